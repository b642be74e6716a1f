#include "requestviewreport.h"

#include "core/contiguityverdict.h"
#include "core/itemformat.h"

#include <QObject>

#include <optional>

namespace stridescope {

namespace {

const RequestOutcome* reference(const InspectionReport& r)
{
    for (const RequestOutcome& o : r.requests)
        if (o.request.name == BufferRequest::referenceName)
            return &o;
    return nullptr;
}

// Why the request's view cannot be drawn whatever it is; empty when it may be.
QString whyNoView(const InspectionReport& r, const RequestOutcome& o)
{
    if (o.raised())
        return QObject::tr("the exporter raised: there is no view to draw");
    if (!o.unreadable.empty())
        return QObject::tr("its %1 could not be read").arg(QString::fromStdString(o.unreadable.front()));
    if (!r.memory || !r.sourceBuffer)
        return QObject::tr("the exporter's memory is not known");
    if (o.view->ndim < 0 || o.view->itemSize <= 0 || o.view->len < 0)
        return QObject::tr("its ndim, itemsize or len is negative");
    return {};
}

// The view as a consumer must read it: bytes without a shape, C order without strides; nothing (with
// `why` set) when its shape or strides do not match its ndim or an extent is negative.
std::optional<ExportedBuffer> consumerView(const ExportedBuffer& view, QString* why)
{
    ExportedBuffer drawn = view;
    if (!drawn.shape) {
        // "If shape is NULL as a result of a PyBUF_SIMPLE or a PyBUF_WRITABLE request, the consumer
        // must disregard itemsize and assume itemsize == 1."
        drawn.ndim = 1;
        drawn.itemSize = 1;
        drawn.format = "B";
        drawn.shape = std::vector<Extent>{drawn.len};
        drawn.strides = std::vector<ByteOffset>{1};
    } else if (int(drawn.shape->size()) != drawn.ndim) {
        *why = QObject::tr("its shape has %1 entries for ndim %2").arg(drawn.shape->size()).arg(drawn.ndim);
        return std::nullopt;
    } else if (!drawn.strides) {
        drawn.strides = drawn.effectiveStrides(); // C order, as the documentation says
    }
    if (int(drawn.strides->size()) != drawn.ndim) {
        *why =
            QObject::tr("its strides have %1 entries for ndim %2").arg(drawn.strides->size()).arg(drawn.ndim);
        return std::nullopt;
    }
    for (Extent e : *drawn.shape)
        if (e < 0) {
            *why = QObject::tr("its shape has a negative extent");
            return std::nullopt;
        }
    return drawn;
}

// The layout of `drawn` over the inspection's memory; nothing (with `why` set) when it follows other
// pointers than the PyBUF_FULL_RO view or its element count overflows.
std::optional<StridedLayout> drawnLayout(const InspectionReport& r, const ExportedBuffer& drawn, QString* why)
{
    StridedLayout layout(drawn.itemSize, *drawn.shape, *drawn.strides, ByteOffset(drawn.buf - r.memory->base),
                         r.memory->size);
    if (drawn.suboffsets) {
        if (drawn.buf != r.sourceBuffer->buf || drawn.shape != r.sourceBuffer->shape ||
            drawn.strides != r.sourceBuffer->strides) {
            *why = QObject::tr("it follows pointers from another place than the PyBUF_FULL_RO view");
            return std::nullopt;
        }
        layout = r.sourceLayout; // the pointers the probe froze
    }
    if (!layout.elementCount()) {
        *why = QObject::tr("its element count overflows");
        return std::nullopt;
    }
    return layout;
}

// The inspection's report with `drawn` as its source, and the findings about the source made again.
std::shared_ptr<const InspectionReport> derivedReport(const InspectionReport& r, const RequestOutcome& o,
                                                      const ExportedBuffer& drawn,
                                                      const StridedLayout& layout)
{
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
    if (const QString why = whyNoView(r, o); !why.isEmpty())
        return refuse(why);
    const RequestOutcome* full = reference(r);
    if (full && &o != full && o.differencesFrom(*full).empty())
        return report; // the same view as PyBUF_FULL_RO: the inspection's own picture
    if (&o == full)
        return report;
    if (o.view->suboffsets && o.view->suboffsets != r.sourceBuffer->suboffsets)
        return refuse(
            QObject::tr("its suboffsets differ from the PyBUF_FULL_RO view's, whose pointers are the only "
                        "ones followed"));
    QString why;
    const std::optional<ExportedBuffer> drawn = consumerView(*o.view, &why);
    if (!drawn)
        return refuse(why);
    const std::optional<StridedLayout> layout = drawnLayout(r, *drawn, &why);
    if (!layout)
        return refuse(why);
    return derivedReport(r, o, *drawn, *layout);
}

} // namespace stridescope
