#pragma once

#include "gui/geometry/logicalgridgeometry.h"
#include "gui/style/theme.h"
#include "highlightmodel.h"
#include "picturecache.h"
#include "reportdata.h"

#include <QStringList>

class QPainter;

namespace stridescope {

// The logical view: every element as a cell where Python indexes it, filled with its C-order colour
// and showing its value; axes labelled with their index numbers and strides. Past a few pixels per
// cell the cells are drawn per pixel (the colour of the cell under each pixel), so a 4096x4096 array
// costs what the screen costs.
class LogicalPainter
{
public:
    LogicalPainter(const ReportData& data, const Theme& theme, Zoom zoom, int rowAxis = -1,
                   int columnAxis = -1);
    static Zoom fitZoom(const ReportData& data, const Theme& theme, QSizeF available, int rowAxis = -1,
                        int columnAxis = -1, Zoom maxZoom = 1.0);
    static QSizeF cellSize(const ReportData& data, const Theme& theme); // at zoom 1

    const LogicalGridGeometry& geometry() const { return m_geometry; }
    QSizeF size() const;
    void paint(QPainter& painter, const QRectF& visible, const HighlightModel::Target& target,
               PictureCache* cache = nullptr) const;
    HighlightModel::Target targetAt(QPointF point) const;
    // Index numbers pinned to the top and left edges of `visible` once their own row and column
    // have scrolled away (1-D and 2-D), so a zoomed-in cell still says where it is.
    void paintStickyIndices(QPainter& painter, const QRectF& visible) const;
    // The caption lines above the cells (what the rows, columns and tiles are), as painted.
    const QStringList& header() const { return m_header; }
    // Where an element's cell is drawn.
    QRectF cellRect(ElementIndex element) const;

    // The index numbers along the edges of the cells that `visible` shows: at most a few per
    // label's width of `visible`, however many tiles or cells there are.
    struct IndexLabel
    {
        QRectF rect;
        Qt::Alignment alignment;
        QString text;
    };
    std::vector<IndexLabel> indexLabels(const QRectF& visible) const;
    // What the picture leaves out or packs together (tiles too many to draw apart), or empty.
    QString aggregationNote() const;
    // Whether the cells show their values (not aggregated, room for a legible number).
    bool showsValues() const;
    // Why the values cannot be read when the picture is drawn at `scale` (aggregated, or cells too
    // small), or empty.
    QString unreadableNote(qreal scale = 1.0) const;
    // A tile's fixed indices as Python writes the slice: "[1, 0, :, :]".
    static QString tileLabel(const LogicalGridGeometry& geometry, qint64 tile);
    // The tile labels of the tiles `visible` shows (none when packed), at most a few per tile
    // header's width of `visible`.
    std::vector<IndexLabel> tileLabels(const QRectF& visible) const;

private:
    // The caption lines above the cells: what the rows, columns and tiles are, with their strides.
    static QStringList headerLines(const ReportData& data, const LogicalGridGeometry& probe);
    // The arrangement at zoom 1 with the tile header and gap: what kind of grid, packed or not.
    static LogicalGridGeometry probe(const ReportData& data, const Theme& theme, int rowAxis, int columnAxis);
    // Tile header, gaps and the least width a tile needs for its label.
    static LogicalGridGeometry::Margins tileDecoration(const ReportData& data, const Theme& theme,
                                                       int rowAxis, int columnAxis);
    static QString packedNote(const LogicalGridGeometry& geometry);
    static LogicalGridGeometry::Margins marginsFor(const ReportData& data, const Theme& theme, int rowAxis,
                                                   int columnAxis);
    ElementIndex tileBase(qint64 tile) const;
    qreal valueFontPixels() const;
    void paintLabels(QPainter& painter, const QRectF& visible) const;
    void paintDetail(QPainter& painter, const QRectF& visible) const;
    void paintAggregate(QPainter& painter, const QRectF& visible, PictureCache* cache) const;
    void paintHighlight(QPainter& painter, const QRectF& visible, const HighlightModel::Target& target) const;
    static QString axisText(const ReportData& data, int axis);

    const ReportData* m_data = nullptr;
    Theme m_theme;
    Zoom m_zoom = 1.0;
    LogicalGridGeometry m_geometry;
    std::vector<ElementIndex> m_weights; // C-order weight of each axis
    bool m_aggregated = false;
    QStringList m_header;
    qreal m_headerWidth = 0;
};

} // namespace stridescope
