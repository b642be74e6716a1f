#pragma once

#include "gui/style/theme.h"
#include "highlightmodel.h"

#include <QFlags>
#include <QRectF>
#include <QSize>
#include <QStringList>

#include <utility>

class QPainter;

namespace stridescope {

struct InspectionReport;
class ReportData;

// Paints chosen views of a report onto any QPainter (screen, QImage, QSvgGenerator, QPdfWriter) with
// the painters the widgets use, so an exported picture is what the window shows. The views are
// stacked top to bottom, each with a title, fitted into `target`.
class ReportPicture
{
public:
    enum View
    {
        Logical = 1,
        Memory = 2,
        Result = 4,
        Inspector = 8
    };
    Q_DECLARE_FLAGS(Views, View)

    // The most byte or element values a picture within PictureLimits can write out at `deviceScale`:
    // its pixels over the smallest cell that shows a value (a byte strip's or the logical view's). A
    // strip or array larger than this is drawn zoomed out, so `render` asks for no bytes past it.
    static qint64 mostWrittenValues(double deviceScale);
    // The size at which every chosen view is drawn at its natural zoom (capped for huge buffers).
    static QSize preferredSize(const InspectionReport& report, Views views, const Theme& theme);
    // What the picture of these views, drawn at `size` (default: preferredSize), aggregates or leaves
    // out, one sentence each (empty: nothing).
    static QStringList notes(const InspectionReport& report, Views views, const Theme& theme,
                             QSize size = {});
    // Bytes per row of the memory and the result strips as the picture draws them at its preferred
    // size (0 for a strip not drawn): one value for both when both are drawn.
    static std::pair<qint64, qint64> stripBytesPerRow(const InspectionReport& report, Views views,
                                                      const Theme& theme);
    // The title line above a view, as paint() writes it.
    static QString title(View view, const ReportData& data);
    static void paint(QPainter& painter, const QRectF& target, const InspectionReport& report, Views views,
                      const Theme& theme, const HighlightModel::Target& highlight = {});
};

} // namespace stridescope

Q_DECLARE_OPERATORS_FOR_FLAGS(stridescope::ReportPicture::Views)
