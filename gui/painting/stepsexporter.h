#pragma once

#include "core/copysteps.h"
#include "reportpicture.h"

#include <QSize>
#include <QSizeF>
#include <QString>

namespace stridescope {

struct InspectionReport;

// The copy as slides (`render --steps`): a PDF of one page per step in the order CPython's copy
// visits the elements, each the report's picture with that step's element highlighted (its cell,
// its source bytes, the bytes it lands on) under a caption naming it; or the same frames as one
// looping animated SVG. Past maxPages steps a page (a frame) stands for a block of consecutive steps
// and highlights the block's first.
class StepsExporter
{
public:
    StepsExporter() = delete;

    static constexpr int maxPages = 64;

    // The steps of the report's copy: none for an alias or an error.
    static CopySteps stepsOf(const InspectionReport& report);
    // The steps page `page` of `pages` shows, [first, end).
    static std::pair<ElementIndex, ElementIndex> pageSteps(ElementIndex count, int page, int pages);
    // The caption of a page: CopyStepPlayer's sentence for one step, with the block's range for more.
    static QString caption(const CopySteps& steps, ElementIndex first, ElementIndex end);
    // Why a report has no steps, one line (it must have none).
    static QString nothingToCopy(const InspectionReport& report);
    // The pages (frames) the steps take: one a step, at most maxPages.
    static int frameCount(const CopySteps& steps);
    // A page: the picture at `size` (empty: its preferred size, capped) under the caption band.
    static QSizeF frameSize(const InspectionReport& report, ReportPicture::Views views, const Theme& theme,
                            QSize size = {});
    static double captionBand(const Theme& theme);
    // Paints one page of `frame` logical pixels: the caption (none if empty) over the picture.
    static void paintFrame(QPainter& painter, const QSizeF& frame, const InspectionReport& report,
                           ReportPicture::Views views, const Theme& theme, const QString& caption,
                           const HighlightModel::Target& highlight);
    // Writes `path` whole or not at all; false with `error` (one line) when the copy has no steps
    // or the file cannot be written. `size` in logical pixels (empty: the picture's preferred size).
    static bool writePdf(const QString& path, const InspectionReport& report, ReportPicture::Views views,
                         const Theme& theme, QString* error, QSize size = {});
    // The same frames as one SVG that plays them in order, `frameMs` milliseconds each, and loops
    // (AnimatedSvg); failures as for writePdf.
    static constexpr int defaultFrameMs = 500; // the player's default speed, 2 steps a second
    static bool writeSvg(const QString& path, const InspectionReport& report, ReportPicture::Views views,
                         const Theme& theme, QString* error, QSize size = {}, int frameMs = defaultFrameMs);
};

} // namespace stridescope
