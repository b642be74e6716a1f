// Preparing and drawing a picture, at 256 / 65,536 / 16.7 M / 268 M elements, for the kinds of
// layout a user meets: a transpose (copied), a C-order array (an alias), sliding windows of 64 and of
// 8 and windows of 8 with a hop of 4 (elements overlap), int32 items a byte apart (overlapping,
// described by no structure: drawn from samples until the overview is built), a broadcast (stride 0,
// copied) and a 5-D array. The figure that matters is the ratio
// to 256 elements: drawing must follow the pixels on screen, not the elements.
//
// Reports are made without Python (SyntheticReport). Past 65,536 elements they hold no bytes, as
// `render` asks for none of a block larger than its picture can write out; zoomed out, no view
// reads a byte value, so the figures are the same with bytes.
#include "gui/painting/logicalpainter.h"
#include "gui/painting/memorystrippainter.h"
#include "gui/painting/reportdata.h"
#include "gui/painting/resultpainter.h"
#include "tests/support/syntheticreport.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include <benchmark/benchmark.h>

#include <cmath>
#include <map>
#include <memory>

using namespace stridescope;

namespace {

const QSize frame(1000, 700); // one view's frame in the window, about

enum Kind
{
    Copy,
    Alias,
    Overlap,
    Broadcast,
    NDim,
    Window8,
    Hop,
    Items,
    kinds
};
const char* const kindNames[] = {"copy", "alias", "overlap", "broadcast", "5d", "window8", "hop", "items"};
const ElementIndex sizes[] = {256, 65536, ElementIndex(1) << 24, ElementIndex(1) << 28};

SyntheticReport::Spec specOf(Kind kind, ElementIndex count)
{
    SyntheticReport::Spec spec;
    const Extent n = Extent(std::llround(std::sqrt(double(count))));
    switch (kind) {
    case Copy: // a transpose asked for C order: copied
        spec.shape = {n, n};
        spec.strides = {1, n};
        break;
    case Alias: // C order: the result aliases the source
        spec.shape = {n, n};
        break;
    case Overlap: // numpy's sliding_window_view(a, 64): element [i, j] is byte i + j
        spec.shape = {count / 64, 64};
        spec.strides = {1, 1};
        break;
    case Window8: // sliding_window_view(a, 8): as many bytes as elements / 8
        spec.shape = {count / 8, 8};
        spec.strides = {1, 1};
        break;
    case Hop: // sliding_window_view(a, 8)[::4]: windows overlap by half
        spec.shape = {count / 8, 8};
        spec.strides = {4, 1};
        break;
    case Items: // int32 items a byte apart, each overlapping its neighbours: no structure describes them
        spec.format = "i";
        spec.shape = {count};
        spec.strides = {1};
        break;
    case Broadcast: // every row the same n bytes: copied
        spec.shape = {n, n};
        spec.strides = {0, 1};
        break;
    case NDim: // tiles of tiles in the logical view
        spec.shape = count == 256                       ? std::vector<Extent>{2, 2, 2, 2, 16}
                     : count == 65536                   ? std::vector<Extent>{4, 4, 4, 64, 16}
                     : count == (ElementIndex(1) << 24) ? std::vector<Extent>{16, 16, 16, 256, 16}
                                                        : std::vector<Extent>{16, 16, 16, 256, 16, 16};
        break;
    default:
        break;
    }
    spec.bytes = count <= 65536;
    return spec;
}

std::shared_ptr<const InspectionReport> reportOf(Kind kind, ElementIndex count)
{
    static std::map<std::pair<int, ElementIndex>, std::shared_ptr<const InspectionReport>> made;
    auto& slot = made[{int(kind), count}];
    if (!slot)
        slot = SyntheticReport::make(specOf(kind, count));
    return slot;
}

// One fitted frame of a view, with nothing cached (a zoom or a pan).
void drawView(const ReportData& data, const Theme& theme, int view)
{
    static QImage image(frame, QImage::Format_ARGB32_Premultiplied);
    image.fill(theme.background());
    QPainter painter(&image);
    const QSizeF available(frame);
    const QRectF visible(QPointF(0, 0), available);
    switch (view) {
    case 0:
        LogicalPainter(data, theme, LogicalPainter::fitZoom(data, theme, available))
            .paint(painter, visible, {});
        break;
    case 1:
        MemoryStripPainter(data, theme, MemoryStripPainter::fitZoom(data, theme, available, {}),
                           frame.width(), {})
            .paint(painter, visible, {});
        break;
    default:
        ResultPainter(data, theme, ResultPainter::fitZoom(data, theme, available), frame.width())
            .paint(painter, visible, {});
        break;
    }
}

void setLabel(benchmark::State& state, Kind kind, ElementIndex count)
{
    state.SetLabel(kindNames[kind]);
    state.counters["elements"] = double(count);
}

// What a new report costs before its first picture is on screen, as the window makes it: ReportData
// (the inverse maps, and the overviews of short strips, prepared off the GUI thread) and one fitted
// frame of each view (a long strip no structure describes drawn from samples).
void firstPicture(benchmark::State& state)
{
    const Kind kind = Kind(state.range(0));
    const ElementIndex count = sizes[state.range(1)];
    const auto report = reportOf(kind, count);
    const Theme theme = Theme::light();
    for (auto _ : state) {
        const ReportData data(report, ReportData::OverviewWait::Never);
        data.prepareImmediateOverviews();
        for (int view = 0; view < 3; ++view)
            drawView(data, theme, view);
    }
    setLabel(state, kind, count);
}

// ReportData alone, with what the window prepares on a pool thread before it shows the report.
void prepareReportData(benchmark::State& state)
{
    const Kind kind = Kind(state.range(0));
    const ElementIndex count = sizes[state.range(1)];
    const auto report = reportOf(kind, count);
    for (auto _ : state) {
        const ReportData data(report, ReportData::OverviewWait::Never);
        data.prepareImmediateOverviews();
        benchmark::DoNotOptimize(&data);
    }
    setLabel(state, kind, count);
}

// Every overview the strips can draw from (what a pool thread builds after the report is shown, and
// what render builds up to its bound): the walk over every byte the structure spares the others.
void refineOverviews(benchmark::State& state)
{
    const Kind kind = Kind(state.range(0));
    const ElementIndex count = sizes[state.range(1)];
    const auto report = reportOf(kind, count);
    for (auto _ : state) {
        const ReportData data(report);
        data.prepareOverviews();
        benchmark::DoNotOptimize(&data);
    }
    setLabel(state, kind, count);
}

// One fitted frame of one view of a prepared report: a zoom or a pan.
void frameOfView(benchmark::State& state)
{
    const Kind kind = Kind(state.range(0));
    const ElementIndex count = sizes[state.range(1)];
    const int view = int(state.range(2));
    const ReportData data(reportOf(kind, count));
    data.prepareOverviews();
    const Theme theme = Theme::light();
    for (auto _ : state)
        drawView(data, theme, view);
    setLabel(state, kind, count);
    state.SetLabel(std::string(kindNames[kind]) + (view == 0   ? " logical"
                                                   : view == 1 ? " memory"
                                                               : " result"));
}

void kindsAndSizes(benchmark::internal::Benchmark* b)
{
    b->ArgNames({"kind", "size"});
    for (int kind = 0; kind < kinds; ++kind)
        for (int size = 0; size < 4; ++size)
            b->Args({kind, size});
}

void kindsSizesAndViews(benchmark::internal::Benchmark* b)
{
    b->ArgNames({"kind", "size", "view"});
    for (int kind = 0; kind < kinds; ++kind)
        for (int size = 0; size < 4; ++size)
            for (int view = 0; view < 3; ++view)
                b->Args({kind, size, view});
}

} // namespace

BENCHMARK(firstPicture)->Apply(kindsAndSizes)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.2);
BENCHMARK(refineOverviews)->Apply(kindsAndSizes)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.1);
BENCHMARK(prepareReportData)
    ->Apply(kindsAndSizes)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(0.1);
BENCHMARK(frameOfView)->Apply(kindsSizesAndViews)->Unit(benchmark::kMillisecond)->UseRealTime()->MinTime(0.1);

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_FONT_DPI", "96");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
