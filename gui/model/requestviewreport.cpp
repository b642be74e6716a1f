#include "requestviewreport.h"

#include "core/contiguityverdict.h"
#include "core/itemformat.h"

#include <QObject>

namespace stridescope {

namespace {

const RequestOutcome* reference(const InspectionReport& r)
{
    for (const RequestOutcome& o : r.requests)
        if (o.request.name == BufferRequest::referenceName)
            return &o;
    return nullptr;
}

} // namespace

std::shared_ptr<const InspectionReport>
RequestViewReport::make(const std::shared_ptr<const InspectionReport>& report, std::size_t request,
                        QString* whyNot)
{
    const auto refuse = [whyNot](const QString& why) {
        if (whyNot)
            *whyNot = why;
        return std::shared_ptr<const InspectionReport>();
    };
    if (!report || request >= report->requests.size())
        return refuse(QObject::tr("there is no such request"));
    const InspectionReport& r = *report;
    const RequestOutcome& o = r.requests[request];
    if (o.raised())
        return refuse(QObject::tr("the exporter raised: there is no view to draw"));
    if (!o.unreadable.empty())
        return refuse(
            QObject::tr("its %1 could not be read").arg(QString::fromStdString(o.unreadable.front())));
    if (!r.memory || !r.sourceBuffer)
        return refuse(QObject::tr("the exporter's memory is not known"));
    if (o.view->ndim < 0 || o.view->itemSize <= 0 || o.view->len < 0)
        return refuse(QObject::tr("its ndim, itemsize or len is negative"));
    const RequestOutcome* full = reference(r);
    if (full && &o != full && o.differencesFrom(*full).empty())
        return report; // the same view as PyBUF_FULL_RO: the inspection's own picture
    if (&o == full)
        return report;
    if (o.view->suboffsets && o.view->suboffsets != r.sourceBuffer->suboffsets)
        return refuse(
            QObject::tr("its suboffsets differ from the PyBUF_FULL_RO view's, whose pointers are the only "
                        "ones followed"));

    ExportedBuffer drawn = *o.view;
    if (!drawn.shape) {
        // "If shape is NULL as a result of a PyBUF_SIMPLE or a PyBUF_WRITABLE request, the consumer
        // must disregard itemsize and assume itemsize == 1."
        drawn.ndim = 1;
        drawn.itemSize = 1;
        drawn.format = "B";
        drawn.shape = std::vector<Extent>{drawn.len};
        drawn.strides = std::vector<ByteOffset>{1};
    } else if (int(drawn.shape->size()) != drawn.ndim) {
        return refuse(
            QObject::tr("its shape has %1 entries for ndim %2").arg(drawn.shape->size()).arg(drawn.ndim));
    } else if (!drawn.strides) {
        drawn.strides = drawn.effectiveStrides(); // C order, as the documentation says
    }
    if (int(drawn.strides->size()) != drawn.ndim)
        return refuse(QObject::tr("its strides have %1 entries for ndim %2")
                          .arg(drawn.strides->size())
                          .arg(drawn.ndim));
    for (Extent e : *drawn.shape)
        if (e < 0)
            return refuse(QObject::tr("its shape has a negative extent"));

    StridedLayout layout(drawn.itemSize, *drawn.shape, *drawn.strides, ByteOffset(drawn.buf - r.memory->base),
                         r.memory->size);
    if (drawn.suboffsets) {
        if (drawn.buf != r.sourceBuffer->buf || drawn.shape != r.sourceBuffer->shape ||
            drawn.strides != r.sourceBuffer->strides)
            return refuse(QObject::tr("it follows pointers from another place than the PyBUF_FULL_RO view"));
        layout = r.sourceLayout; // the pointers the probe froze
    }
    if (!layout.elementCount())
        return refuse(QObject::tr("its element count overflows"));

    auto derived = std::make_shared<InspectionReport>(r);
    derived->sourceBuffer = drawn;
    derived->sourceLayout = layout;
    // A format left NULL: the exporter's elements are still the PyBUF_FULL_RO view's when the item
    // size is, so their values are written in that format.
    if (!o.view->format && drawn.itemSize == r.sourceBuffer->itemSize && drawn.shape == o.view->shape)
        derived->sourceBuffer->format = r.sourceBuffer->format;
    const std::string format = derived->sourceBuffer->effectiveFormat();
    derived->valuesDecodable = false;
    derived->formatNote.clear();
    if (auto parsed = ItemFormat::parse(format))
        derived->valuesDecodable = parsed->itemSize() <= drawn.itemSize;
    derived->cVerdict = ContiguityVerdict::check(layout, drawn.len, 'C');
    derived->fVerdict = ContiguityVerdict::check(layout, drawn.len, 'F');
    derived->orderVerdict = ContiguityVerdict::check(layout, drawn.len, r.request().order);
    if (!drawn.suboffsets) { // an indirect view is the PyBUF_FULL_RO view's layout: its findings stand
        derived->selfOverlap = layout.findSelfOverlap();
        derived->outsideMemory = layout.outsideMemoryReason();
    }
    return derived;
}

} // namespace stridescope
