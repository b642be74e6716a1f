// Time to draw one frame of each view, for a small and a 16.7-million-element report.
// Not a test: prints a table (median of several runs). The ratio large/small is the figure that
// matters: drawing must follow the pixels on screen, not the element count.
#include "gui/painting/logicalpainter.h"
#include "gui/painting/memorystrippainter.h"
#include "gui/painting/reportdata.h"
#include "gui/painting/resultpainter.h"
#include "gui/painting/syntheticreport.h"

#include <QApplication>
#include <QImage>
#include <QPainter>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

using namespace stridescope;

namespace {

const QSize frame(1000, 700);
constexpr int runs = 9;

// CPU time of the process (all drawing threads) and wall time: the first shows the work, the second
// what a user waits for (per-pixel pictures are drawn in bands on several threads).
double clockMs(clockid_t clock)
{
    timespec t{};
    clock_gettime(clock, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}
double cpuMs()
{
    return clockMs(CLOCK_PROCESS_CPUTIME_ID);
}
double wallMs()
{
    return clockMs(CLOCK_MONOTONIC);
}

bool g_wall = true; // which clock medianMs reports

double medianMs(const std::function<void()>& draw)
{
    draw(); // warm up: fonts, glyph caches
    std::vector<double> times;
    for (int i = 0; i < runs; ++i) {
        const double start = g_wall ? wallMs() : cpuMs();
        draw();
        times.push_back((g_wall ? wallMs() : cpuMs()) - start);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

// One frame at a given zoom (0: fitted).
double frameAtMs(const ReportData& data, const Theme& theme, int view, Zoom zoom)
{
    QImage image(frame, QImage::Format_ARGB32_Premultiplied);
    const QSizeF available(frame);
    const QRectF visible(QPointF(0, 0), available);
    return medianMs([&] {
        image.fill(theme.background());
        QPainter painter(&image);
        if (view == 0)
            LogicalPainter(data, theme, zoom).paint(painter, visible, {});
        else if (view == 1)
            MemoryStripPainter(data, theme, zoom, frame.width(), {}).paint(painter, visible, {});
        else
            ResultPainter(data, theme, zoom, frame.width()).paint(painter, visible, {});
    });
}

// One frame of a view, fitted or at 1:1 with its top-left corner on screen. Without a cache every
// frame computes its per-pixel picture (a zoom or a pan); with one, as a hover repaint does, the
// picture of the previous frame is reused.
double frameMs(const ReportData& data, const Theme& theme, int view, bool fitted, bool cached = false)
{
    QImage image(frame, QImage::Format_ARGB32_Premultiplied);
    const QSizeF available(frame);
    const QRectF visible(QPointF(0, 0), available);
    PictureCache store;
    PictureCache* cache = cached ? &store : nullptr;
    return medianMs([&] {
        image.fill(theme.background());
        QPainter painter(&image);
        switch (view) {
        case 0: {
            const Zoom z = fitted ? LogicalPainter::fitZoom(data, theme, available) : 1.0;
            LogicalPainter(data, theme, z).paint(painter, visible, {}, cache);
            break;
        }
        case 1: {
            const Zoom z = fitted ? MemoryStripPainter::fitZoom(data, theme, available, {}) : 1.0;
            MemoryStripPainter(data, theme, z, frame.width(), {}).paint(painter, visible, {}, cache);
            break;
        }
        default: {
            const Zoom z = fitted ? ResultPainter::fitZoom(data, theme, available) : 1.0;
            ResultPainter(data, theme, z, frame.width()).paint(painter, visible, {}, cache);
            break;
        }
        }
    });
}

std::shared_ptr<InspectionReport> transpose(Extent n)
{
    SyntheticReport::Spec spec;
    spec.format = "B";
    spec.shape = {n, n};
    spec.strides = {1, n}; // a transpose: the copy reorders every element
    return SyntheticReport::make(spec);
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    qputenv("QT_FONT_DPI", "96");
    QApplication app(argc, argv);
    const Theme theme = Theme::light();

    const ReportData small(transpose(16));
    const auto bigReport = transpose(4096);
    const double prepareStart = wallMs();
    const ReportData big(bigReport);
    const double prepareMs = wallMs() - prepareStart;
    // The overviews are built on the first zoomed-out frame, once per report; here before timing.
    double start = wallMs();
    const std::size_t sourceBytes = big.sourceOverview().memoryUse();
    const double sourceOverviewMs = wallMs() - start;
    start = wallMs();
    const std::size_t copyBytes = big.copyOverview().memoryUse();
    const double copyOverviewMs = wallMs() - start;

    std::printf(
        "One frame of %dx%d pixels, median of %d runs, no cached picture. Wall-clock ms; in brackets the\n"
        "CPU ms of all drawing threads (per-pixel pictures are drawn in bands on up to 4 threads).\n\n",
        frame.width(), frame.height(), runs);
    // Four times as many again: past a screenful of pixels, more elements must not cost more.
    const ReportData huge(transpose(8192));
    huge.sourceOverview();
    huge.copyOverview();
    std::printf("| view | zoom | 256 elements | 16.7 M elements | 67.1 M elements | 16.7 M / 256 | 67.1 M / "
                "16.7 M |\n");
    std::printf("|---|---|---:|---:|---:|---:|---:|\n");
    const char* names[] = {"logical", "memory (source)", "result (copy)"};
    for (int view = 0; view < 3; ++view) {
        for (bool fitted : {true, false}) {
            const double a = frameMs(small, theme, view, fitted);
            const double b = frameMs(big, theme, view, fitted);
            const double c = frameMs(huge, theme, view, fitted);
            g_wall = false;
            const double cpuA = frameMs(small, theme, view, fitted);
            const double cpuB = frameMs(big, theme, view, fitted);
            const double cpuC = frameMs(huge, theme, view, fitted);
            g_wall = true;
            std::printf("| %s | %s | %.2f (%.2f) | %.2f (%.2f) | %.2f (%.2f) | %.2f | %.2f |\n", names[view],
                        fitted ? "fit" : "1:1 at origin", a, cpuA, b, cpuB, c, cpuC, b / a, c / b);
        }
    }
    std::printf("\nSlowest frame over zooms from fitted to 2:1 (steps of 1.25x), 16.7 M elements:");
    for (int view = 0; view < 3; ++view) {
        Zoom z = view == 0   ? LogicalPainter::fitZoom(big, theme, QSizeF(frame))
                 : view == 1 ? MemoryStripPainter::fitZoom(big, theme, QSizeF(frame), {})
                             : ResultPainter::fitZoom(big, theme, QSizeF(frame));
        double worst = 0, worstZoom = z;
        for (; z <= 2.0; z *= 1.25) {
            const double t = frameAtMs(big, theme, view, z);
            if (t > worst) {
                worst = t;
                worstZoom = z;
            }
        }
        std::printf(" %s %.2f ms (zoom %.3f)%s", names[view], worst, worstZoom, view < 2 ? "," : "\n");
    }
    std::printf("\nRepainting a fitted frame with the cached picture (a hover), 16.7 M elements:");
    for (int view = 0; view < 3; ++view)
        std::printf(" %s %.2f ms%s", names[view], frameMs(big, theme, view, true, true),
                    view < 2 ? "," : "\n");
    std::printf(
        "\nPreparing the 16.7 M report for drawing (once per report): %.2f ms, then its overviews on the\n"
        "first zoomed-out frame: source strip %.1f ms (%.0f MiB), copy strip %.1f ms (%.0f MiB)\n",
        prepareMs, sourceOverviewMs, sourceBytes / 1048576.0, copyOverviewMs, copyBytes / 1048576.0);
    return 0;
}
