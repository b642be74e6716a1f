#include "tikzpicture.h"

#include "bytestrippainter.h"
#include "logicalpainter.h"
#include "memorystrippainter.h"
#include "reportdata.h"
#include "reporttext.h"
#include "resultpainter.h"

#include <QHash>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <vector>

namespace stridescope {

namespace {

// Sizes in centimetres: the painters' pixels at 40 a centimetre (a byte cell 0.6 x 0.5 cm).
constexpr double pixelsPerCm = 40;
constexpr double byteWidth = 0.6, byteHeight = 0.5;
constexpr double titleHeight = 0.65, lineHeight = 0.42, sectionGap = 0.35;
constexpr double flowWidth = 24; // tiles wrap past this width
constexpr double bannerWidth = 16;
constexpr double charWidth = 0.15; // of \ttfamily\scriptsize, for gutters

QString cm(double v)
{
    QString s = QString::number(v, 'f', 3);
    while (s.endsWith(QLatin1Char('0')))
        s.chop(1);
    if (s.endsWith(QLatin1Char('.')))
        s.chop(1);
    return s == QLatin1String("-0") ? QStringLiteral("0") : s;
}

QString rgbText(QRgb c)
{
    return QStringLiteral("%1,%2,%3").arg(qRed(c)).arg(qGreen(c)).arg(qBlue(c));
}

// The indices of `count` places a figure writes: all of them, or past `cap` the first and last
// half with one nullopt (the "⋯ N more" place) between.
std::vector<std::optional<qint64>> shownIndices(qint64 count, int cap)
{
    std::vector<std::optional<qint64>> out;
    if (count <= cap) {
        for (qint64 i = 0; i < count; ++i)
            out.push_back(i);
        return out;
    }
    const int half = cap / 2;
    for (qint64 i = 0; i < half; ++i)
        out.push_back(i);
    out.push_back(std::nullopt);
    for (qint64 i = count - half; i < count; ++i)
        out.push_back(i);
    return out;
}

// The named colours and styles of a figure, one per distinct look, in order of first use.
class Styles
{
public:
    // The style for cells of this fill and text colour, named `name` (made unique) the first time.
    QString style(QRgb fill, QRgb text, const QString& name, const QString& comment)
    {
        const quint64 key = (quint64(fill & 0xffffff) << 24) | (text & 0xffffff);
        if (const auto it = m_index.constFind(key); it != m_index.constEnd())
            return m_entries[*it].name;
        QString unique = name;
        for (int n = 2; m_names.contains(unique); ++n)
            unique = name + QStringLiteral("v") + QString::number(n);
        m_names.insert(unique);
        m_index.insert(key, int(m_entries.size()));
        m_entries.push_back({unique, fill, text, comment});
        return unique;
    }
    // \definecolor lines, then the \tikzset of the styles.
    QString definitions() const
    {
        QString out = QStringLiteral(
            "% ---- One colour and one style per look of a cell (fill, text): edit here ----\n");
        for (const Entry& e : m_entries)
            out +=
                QStringLiteral("\\definecolor{%1}{RGB}{%2} % %3\n").arg(e.name, rgbText(e.fill), e.comment);
        out += QStringLiteral("\\tikzset{\n");
        for (const Entry& e : m_entries)
            out += QStringLiteral("  %1/.style={fill=%1, text=%2},\n")
                       .arg(e.name, qGray(e.text) > 127 ? QStringLiteral("white") : QStringLiteral("ink"));
        out += QStringLiteral("}\n");
        return out;
    }

private:
    struct Entry
    {
        QString name;
        QRgb fill;
        QRgb text;
        QString comment;
    };
    std::vector<Entry> m_entries;
    QHash<quint64, int> m_index;
    QSet<QString> m_names;
};

// A byte strip's marker: a bar on the byte and its label in the gutter.
struct Marker
{
    ByteOffset byte = -1;
    QString label;
};

class Writer
{
public:
    Writer(const ReportData& data, const Theme& theme, ReportPicture::Views views)
        : m_data(data), m_theme(theme), m_views(views)
    {
        const auto [memory, result] = ReportPicture::stripBytesPerRow(data.report(), views, theme);
        ByteCount bpr = memory > 0 ? memory : result;
        const ByteCount item = data.hasSource() ? data.sourceLayout().itemSize() : 1;
        if (bpr <= 0 || bpr > TikzPicture::maximumBytesPerRow)
            bpr = item > 0 && item <= TikzPicture::maximumBytesPerRow
                      ? TikzPicture::maximumBytesPerRow / item * item
                      : TikzPicture::maximumBytesPerRow;
        m_bytesPerRow = bpr;
    }

    QString document()
    {
        if (m_views & ReportPicture::Logical)
            logical();
        if (m_views & ReportPicture::Memory)
            memory();
        if (m_views & ReportPicture::Result)
            result();
        if (m_views & ReportPicture::Inspector)
            notes << QStringLiteral("a .tex figure leaves out the inspector view (the Py_buffer fields)");
        return preamble() +
               QStringLiteral("\\begin{document}\n\\pagecolor{paper}\\color{ink}%\n"
                              "\\begin{tikzpicture}[x=1cm, y=-1cm] % y grows downwards\n") +
               m_body + QStringLiteral("\\end{tikzpicture}\n\\end{document}\n");
    }

    QStringList notes;

private:
    QString preamble() const
    {
        const auto colour = [](const char* name, const QColor& c, const char* what) {
            return QStringLiteral("\\definecolor{%1}{RGB}{%2} % %3\n")
                .arg(QLatin1String(name), rgbText(c.rgb()), QLatin1String(what));
        };
        QString out = QStringLiteral(
            "% What PyMemoryView_GetContiguous does to a buffer: a Stridescope figure\n"
            "% (stridescope render --out FIG.tex). Compile with pdflatex (TikZ); every cell is one\n"
            "% \\node on a unit grid, every colour and style is named below: edit freely.\n"
            "\\IfFileExists{standalone.cls}{%\n"
            "  \\documentclass[tikz,border=4pt]{standalone}%\n"
            "}{% without the standalone class (Debian: texlive-latex-extra), the same page from preview\n"
            "  \\documentclass{article}\\usepackage{tikz}\\usepackage[active,tightpage]{preview}%\n"
            "  \\PreviewEnvironment{tikzpicture}\\setlength\\PreviewBorder{4pt}%\n"
            "}\n"
            "\\usetikzlibrary{patterns}\n");
        out += colour("paper", m_theme.background(), "the page");
        out += colour("ink", m_theme.text(), "text");
        out += colour("panel", m_theme.panel(), "behind the banner");
        out += colour("muted", m_theme.mutedText(), "index numbers, offsets");
        out += colour("marker", m_theme.marker(), "the buf marker and the pointer arrows");
        out += colour("hatch", m_theme.hatchColour(), "the hatching of shared bytes");
        out += colour("outsidered", m_theme.outsideMemory(), "elements outside the memory block");
        out += colour("aliasaccent", m_theme.aliasAccent(), "ALIAS");
        out += colour("copyaccent", m_theme.copyAccent(), "COPY");
        out += colour("erroraccent", m_theme.errorAccent(), "an error");
        out += m_styles.definitions();
        out += QStringLiteral(
                   "\\tikzset{\n"
                   "  title/.style={anchor=north west, inner sep=0pt, font=\\sffamily\\small\\bfseries},\n"
                   "  caption/.style={anchor=north west, inner sep=0pt, font=\\sffamily\\scriptsize},\n"
                   "  index/.style={inner sep=1pt, font=\\sffamily\\scriptsize, text=muted},\n"
                   "  offset/.style={anchor=east, inner sep=0pt, font=\\ttfamily\\scriptsize, text=muted},\n"
                   "  cell/.style={rectangle, draw=paper, line width=0.5pt, inner sep=0pt, "
                   "font=\\ttfamily\\scriptsize},\n"
                   "  logical cell/.style={cell, minimum width=%1cm, minimum height=%2cm},\n"
                   "  byte/.style={cell, minimum width=%3cm, minimum height=%4cm},\n"
                   "  more/.style={inner sep=0pt, text=muted, font=\\sffamily\\scriptsize},\n"
                   "  shared/.style={postaction={pattern=north east lines, pattern color=hatch}},\n"
                   "  outside/.style={draw=outsidered, line width=1.5pt},\n"
                   "  buf/.style={draw=marker, line width=1.5pt},\n"
                   "  pointer/.style={draw=marker, thick, -latex},\n"
                   "  swatch/.style={rectangle, draw=muted, line width=0.3pt, minimum width=0.3cm, "
                   "minimum height=0.25cm, inner sep=0pt},\n"
                   "  banner/.style={anchor=north west, draw, fill=panel, line width=1pt, rounded "
                   "corners=2pt, inner sep=4pt,\n"
                   "    text width=%5cm, align=left, font=\\sffamily\\scriptsize},\n"
                   "}\n")
                   .arg(cm(m_logicalCell.width()), cm(m_logicalCell.height()), cm(byteWidth), cm(byteHeight),
                        cm(bannerWidth));
        return out;
    }

    // One line of text at the left edge, below what is written so far.
    void line(const QString& text, const QString& style = QStringLiteral("caption"))
    {
        m_body +=
            QStringLiteral("\\node[%1] at (0,%2) {%3};\n").arg(style, cm(m_y), TikzPicture::escaped(text));
        m_y += style == QLatin1String("title") ? titleHeight : lineHeight;
    }

    void section(const QString& comment, ReportPicture::View view)
    {
        if (m_y > 0)
            m_y += sectionGap;
        m_body += QStringLiteral("% ==== %1 ====\n").arg(comment);
        line(ReportPicture::title(view, m_data), QStringLiteral("title"));
    }

    QString elementStyle(ElementIndex e)
    {
        const QColor fill = m_theme.elementColour(e, m_data.elementCount());
        return m_styles.style(fill.rgb(), m_theme.textOn(fill).rgb(), QStringLiteral("el%1").arg(e),
                              QStringLiteral("element %1 in C order").arg(e));
    }

    // ---- The Logical view ----
    void logical()
    {
        section(QStringLiteral("Logical view: every element where Python indexes it"),
                ReportPicture::Logical);
        if (!m_data.hasSource()) {
            line(QStringLiteral("No elements: the object exports no buffer."));
            return;
        }
        using Kind = LogicalGridGeometry::Kind;
        const LogicalPainter painter(m_data, m_theme, 1.0);
        for (const QString& header : painter.header())
            line(header);
        const LogicalGridGeometry& g = painter.geometry();
        if (g.kind() == Kind::Empty) {
            line(QStringLiteral("empty (extent 0): no elements"));
            return;
        }
        const std::vector<Extent>& shape = g.shape();
        std::vector<ElementIndex> weights(shape.size(), 1);
        for (int d = int(shape.size()) - 2; d >= 0; --d)
            weights[d] = weights[d + 1] * shape[d + 1];
        const bool tiles = g.kind() == Kind::Tiles;
        const auto shownTiles = shownIndices(tiles ? g.tileCount() : 1, TikzPicture::maximumTiles);
        const auto rows = shownIndices(g.rows(), TikzPicture::maximumSide);
        const auto columns = shownIndices(g.columns(), TikzPicture::maximumSide);
        const double cw = m_logicalCell.width(), ch = m_logicalCell.height();
        const bool numbered = g.kind() != Kind::Scalar;
        const bool rowNumbers = g.kind() == Kind::Grid || tiles;
        const double gutter =
            rowNumbers ? (QString::number(std::max<Extent>(0, g.rows() - 1)).size() + 1) * charWidth : 0;
        const bool elided = rows.size() < std::size_t(g.rows()) || columns.size() < std::size_t(g.columns());
        const double above = (tiles ? lineHeight : 0) + (numbered ? lineHeight : 0);
        const double tileWidth = gutter + double(columns.size()) * cw;
        const double tileHeight = above + double(rows.size()) * ch + (elided ? lineHeight : 0);
        if (elided)
            notes << QStringLiteral(
                         "logical view: a .tex figure writes at most %1 rows and %1 columns a tile "
                         "(the first and last %2); this one has %3 x %4")
                         .arg(TikzPicture::maximumSide)
                         .arg(TikzPicture::maximumSide / 2)
                         .arg(ReportText::countText(g.rows()), ReportText::countText(g.columns()));
        if (shownTiles.size() < std::size_t(g.tileCount()))
            notes << QStringLiteral(
                         "logical view: a .tex figure writes at most %1 tiles (the first and last %2); "
                         "this one has %3")
                         .arg(TikzPicture::maximumTiles)
                         .arg(TikzPicture::maximumTiles / 2)
                         .arg(ReportText::countText(g.tileCount()));
        // Tiles flow left to right and wrap.
        double x = 0, top = m_y + 0.1;
        const ElementIndex rowWeight = g.rowAxis() >= 0 ? weights[std::size_t(g.rowAxis())] : 0;
        const ElementIndex columnWeight = g.columnAxis() >= 0 ? weights[std::size_t(g.columnAxis())] : 0;
        const bool checkOutside = m_data.report().outsideMemory.has_value();
        for (const auto& tile : shownTiles) {
            const double width = tile ? tileWidth : 3.2;
            if (x > 0 && x + width > flowWidth) {
                x = 0;
                top += tileHeight + sectionGap;
            }
            if (!tile) {
                m_body += QStringLiteral("\\node[caption] at (%1,%2) {$\\cdots$ %3 more tiles};\n")
                              .arg(cm(x), cm(top + above),
                                   ReportText::countText(g.tileCount() - TikzPicture::maximumTiles));
                x += width + 0.5;
                continue;
            }
            ElementIndex base = 0;
            QString name = QStringLiteral("the cells");
            if (tiles) {
                const auto index = g.tileIndex(*tile);
                for (int d : g.outerAxes())
                    base += index[std::size_t(d)] * weights[std::size_t(d)];
                name = QStringLiteral("tile ") + LogicalPainter::tileLabel(g, *tile);
            }
            m_body += QStringLiteral("% %1: one node per element, at (column, row)\n"
                                     "\\begin{scope}[shift={(%2,%3)}, x=%4cm, y=-%5cm]\n")
                          .arg(name, cm(x + gutter), cm(top + above), cm(cw), cm(ch));
            if (tiles)
                m_body += QStringLiteral("\\node[caption, anchor=south west] at (0,%1) {%2};\n")
                              .arg(cm(-(numbered ? lineHeight : 0) / ch),
                                   TikzPicture::escaped(LogicalPainter::tileLabel(g, *tile)));
            if (numbered)
                for (std::size_t j = 0; j < columns.size(); ++j)
                    if (columns[j])
                        m_body += QStringLiteral("\\node[index, anchor=south] at (%1,0) {%2};\n")
                                      .arg(cm(j + 0.5))
                                      .arg(*columns[j]);
            for (std::size_t i = 0; i < rows.size(); ++i) {
                if (rowNumbers && rows[i])
                    m_body += QStringLiteral("\\node[index, anchor=east] at (0,%1) {%2};\n")
                                  .arg(cm(i + 0.5))
                                  .arg(*rows[i]);
                for (std::size_t j = 0; j < columns.size(); ++j) {
                    const QString at = QStringLiteral("(%1,%2)").arg(cm(j + 0.5), cm(i + 0.5));
                    if (!rows[i] || !columns[j]) {
                        const char* dots = !rows[i] && !columns[j] ? "\\ddots"
                                           : !rows[i]              ? "\\vdots"
                                                                   : "\\cdots";
                        m_body += QStringLiteral("\\node[more] at %1 {$%2$};\n").arg(at, QLatin1String(dots));
                        continue;
                    }
                    const ElementIndex e = base + *rows[i] * rowWeight + *columns[j] * columnWeight;
                    const bool outside = checkOutside && !m_data.elementInsideMemory(e);
                    m_body += QStringLiteral("\\node[logical cell, %1%2] at %3 {%4};\n")
                                  .arg(elementStyle(e), outside ? QStringLiteral(", outside") : QString(), at,
                                       TikzPicture::escaped(m_data.valueText(e)));
                }
            }
            if (elided)
                m_body +=
                    QStringLiteral("\\node[caption, text=muted] at (0,%1) {$\\cdots$ %2 of %3 rows, %4 of %5 "
                                   "columns written};\n")
                        .arg(cm(rows.size() + 0.15))
                        .arg(std::min<qint64>(g.rows(), TikzPicture::maximumSide))
                        .arg(ReportText::countText(g.rows()))
                        .arg(std::min<qint64>(g.columns(), TikzPicture::maximumSide))
                        .arg(ReportText::countText(g.columns()));
            m_body += QStringLiteral("\\end{scope}\n");
            x += width + 0.5;
        }
        m_y = top + tileHeight;
    }

    // ---- Byte strips ----
    QString byteStyle(const ByteStripPainter::ByteLook& look, bool inside)
    {
        if (!look.owned)
            return m_styles.style(look.fill, m_theme.mutedText().rgb(),
                                  inside ? QStringLiteral("gap") : QStringLiteral("off"),
                                  inside ? QStringLiteral("a byte of the block no element reaches")
                                         : QStringLiteral("a byte outside the block"));
        if (!inside)
            return m_styles.style(look.fill, m_theme.textOn(QColor(look.fill)).rgb(),
                                  QStringLiteral("beyond"),
                                  QStringLiteral("an element's byte outside the memory block"));
        if (look.padding)
            return m_styles.style(look.fill, m_theme.mutedText().rgb(),
                                  QStringLiteral("pad%1").arg(look.element),
                                  QStringLiteral("padding of element %1").arg(look.element));
        return elementStyle(look.element);
    }

    // The colour key, one line: each word and swatch placed right of the one before (TeX measures them).
    void legend(bool copy)
    {
        const ElementIndex count = m_data.elementCount();
        m_body += QStringLiteral("% the colour key\n\\begin{scope}[shift={(0,%1)}]\n").arg(cm(m_y + 0.15));
        QString previous;
        const auto place = [&](const QString& style, const QString& content) {
            const QString name = QStringLiteral("key%1n%2").arg(m_keys).arg(m_keyItems++);
            m_body += QStringLiteral("\\node[%1, anchor=west] (%2) at %3 {%4};\n")
                          .arg(style, name,
                               previous.isEmpty() ? QStringLiteral("(0,0)")
                                                  : QStringLiteral("([xshift=0.12cm]%1.east)").arg(previous),
                               content);
            previous = name;
        };
        const auto text = [&](const QString& words) {
            place(QStringLiteral("caption"), TikzPicture::escaped(words));
        };
        const auto swatch = [&](const QString& style) {
            place(QStringLiteral("swatch, ") + style, QString());
        };
        text(copy ? QStringLiteral("colour of the element copied here: first")
                  : QStringLiteral("C order: first"));
        if (count > 0) {
            swatch(elementStyle(0));
            text(QStringLiteral("\u2026"));
            swatch(elementStyle(count - 1));
        }
        text(QStringLiteral("last"));
        if (copy) { // a copy has no gaps, shares nothing and lies in its block
            m_body += QStringLiteral("\\end{scope}\n");
            ++m_keys;
            m_y += lineHeight;
            return;
        }
        swatch(m_styles.style(m_theme.background().rgb(), m_theme.text().rgb(), QStringLiteral("plain"),
                              QStringLiteral("the page, under the hatching of a shared byte")) +
               QStringLiteral(", shared"));
        text(QStringLiteral("shared"));
        swatch(byteStyle({m_theme.gap().rgb()}, true));
        text(QStringLiteral("gap"));
        swatch(m_styles.style(m_theme.outsideMemory().rgb(), m_theme.textOn(m_theme.outsideMemory()).rgb(),
                              QStringLiteral("beyond"),
                              QStringLiteral("an element's byte outside the memory block")));
        text(QStringLiteral("outside the block"));
        if (m_data.hasFieldLayout() && count > 0) {
            ByteStripPainter::ByteLook padding;
            padding.owned = padding.padding = true;
            padding.element = 0;
            padding.fill = ByteStripPainter::paddingFill(m_theme.elementColour(0, count).rgb(), m_theme);
            swatch(byteStyle(padding, true));
            text(QStringLiteral("padding"));
        }
        m_body += QStringLiteral("\\end{scope}\n");
        ++m_keys;
        m_y += lineHeight;
    }

    // Bytes [first, end) of a strip, `m_bytesPerRow` a row, rows aligned as the painters align them.
    void strip(const QString& comment, const StripContent& content, ByteOffset first, ByteOffset end,
               const std::vector<Marker>& markers)
    {
        const ByteStripPainter looks(ByteStripGeometry(), content, m_theme);
        const ByteCount bpr = m_bytesPerRow;
        const ByteOffset rowStart = (first >= 0 ? first / bpr : -((-first + bpr - 1) / bpr)) * bpr;
        const qint64 rowCount = end > first ? (end - rowStart + bpr - 1) / bpr : 0;
        const auto rows = shownIndices(rowCount, TikzPicture::maximumStripRows);
        if (rows.size() < std::size_t(rowCount))
            notes << QStringLiteral(
                         "%1: a .tex figure writes at most %2 rows of %3 bytes (the first and last %4); "
                         "this one has %5 rows")
                         .arg(comment)
                         .arg(TikzPicture::maximumStripRows)
                         .arg(bpr)
                         .arg(TikzPicture::maximumStripRows / 2)
                         .arg(ReportText::countText(rowCount));
        qsizetype widest = ReportText::offsetText(std::max(std::abs(first), std::abs(end))).size() + 1;

        for (const Marker& m : markers)
            widest = std::max(widest, ReportText::offsetText(end).size() + m.label.size() + 3);
        const double gutter = widest * charWidth + 0.2;
        m_body += QStringLiteral("% %1: one node per byte, at (byte in row, row); %2 bytes a row\n"
                                 "\\begin{scope}[shift={(%3,%4)}, x=%5cm, y=-%6cm]\n")
                      .arg(comment)
                      .arg(bpr)
                      .arg(cm(gutter), cm(m_y), cm(byteWidth), cm(byteHeight));
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const QString y = cm(i + 0.5);
            if (!rows[i]) {
                const ByteOffset from = rowStart + TikzPicture::maximumStripRows / 2 * bpr;
                const ByteOffset to = rowStart + (rowCount - TikzPicture::maximumStripRows / 2) * bpr;
                m_body += QStringLiteral(
                              "\\node[more, anchor=west] at (0,%1) {$\\vdots$ %2 more bytes, %3 to %4};\n")
                              .arg(y, ReportText::countText(to - from), ReportText::offsetText(from),
                                   ReportText::offsetText(to));
                continue;
            }
            const ByteOffset start = rowStart + *rows[i] * bpr;
            QString gutterText = ReportText::offsetText(start);
            for (const Marker& m : markers)
                if (m.byte >= start && m.byte < start + bpr)
                    gutterText += QLatin1Char(' ') + m.label + QStringLiteral(" \u25B8");
            m_body += QStringLiteral("\\node[offset] at (-0.15,%1) {%2};\n")
                          .arg(y, TikzPicture::escaped(gutterText));
            for (ByteOffset b = std::max(start, first); b < std::min(start + bpr, end); ++b) {
                const auto look = looks.look(b);
                const bool inside = b >= content.memoryFirst && b < content.memoryEnd;
                const auto value = content.byteValue ? content.byteValue(b) : std::nullopt;
                m_body +=
                    QStringLiteral("\\node[byte, %1%2] at (%3,%4) {%5};\n")
                        .arg(byteStyle(look, inside), look.shared ? QStringLiteral(", shared") : QString(),
                             cm(b - start + 0.5), y,
                             value ? QStringLiteral("%1").arg(*value, 2, 16, QLatin1Char('0')).toUpper()
                                   : QString());
            }
            for (const Marker& m : markers)
                if (m.byte >= start && m.byte < start + bpr && m.byte >= first && m.byte < end)
                    m_body += QStringLiteral("\\draw[buf] (%1,%2) -- (%1,%3); % %4\n")
                                  .arg(cm(m.byte - start), cm(i), cm(i + 1), m.label);
        }
        m_body += QStringLiteral("\\end{scope}\n");
        m_y += double(rows.size()) * byteHeight + 0.15;
    }

    // A PIL-style block: the pointer slots, each with an arrow to the row it points to.
    void pointerTable(const QString& comment)
    {
        line(MemoryStripPainter::tableTitle());
        const auto& all = m_data.indirectRows();
        const auto shown = shownIndices(qint64(all.size()), TikzPicture::maximumStripRows);
        if (shown.size() < all.size())
            notes << QStringLiteral(
                         "%1: a .tex figure writes at most %2 rows of a pointer table (the first and last "
                         "%3); this one has %4")
                         .arg(comment)
                         .arg(TikzPicture::maximumStripRows)
                         .arg(TikzPicture::maximumStripRows / 2)
                         .arg(ReportText::countText(qint64(all.size())));
        const ByteCount ptr = m_data.pointerSize();
        StripContent slotContent = MemoryStripPainter::sourceContent(m_data);
        slotContent.owners = nullptr; // pointer slots are not elements
        slotContent.elementOffset = nullptr;
        const ByteStripPainter slotLooks(ByteStripGeometry(), slotContent, m_theme);
        const double rowLeft = ptr + 2.5; // in byte cells
        m_body += QStringLiteral("% %1: pointer slots at x 0..%2, each row from x %3, one arrow each\n"
                                 "\\begin{scope}[shift={(0.2,%4)}, x=%5cm, y=-%6cm]\n")
                      .arg(comment)
                      .arg(ptr)
                      .arg(cm(rowLeft), cm(m_y), cm(byteWidth), cm(byteHeight));
        double y = 0; // in byte rows
        const double caption = lineHeight / byteHeight;
        for (const auto& index : shown) {
            if (!index) {
                m_body +=
                    QStringLiteral("\\node[more, anchor=north west] at (0,%1) {$\\vdots$ %2 more rows};\n")
                        .arg(cm(y),
                             ReportText::countText(qint64(all.size()) - TikzPicture::maximumStripRows));
                y += caption + 0.3;
                continue;
            }
            const ReportData::IndirectRow& r = all[std::size_t(*index)];
            const bool apart = r.target && !m_data.insideBlock(r.first) && m_data.blockAround(r.first);
            const QString rowCaption =
                !r.target ? QStringLiteral("row %1: pointer unreadable").arg(r.index)
                : apart   ? QStringLiteral("row %1 at %2, in a block of its own")
                              .arg(r.index)
                              .arg(ReportText::offsetText(*r.target))
                        : QStringLiteral("row %1 at %2").arg(r.index).arg(ReportText::offsetText(*r.target));
            m_body += QStringLiteral("\\node[caption] at (0,%1) {%2};\n\\node[caption] at (%3,%1) {%4};\n")
                          .arg(cm(y), TikzPicture::escaped(MemoryStripPainter::slotCaption(m_data, r)),
                               cm(rowLeft), TikzPicture::escaped(rowCaption));
            y += caption;
            const QString cy = cm(y + 0.5);
            for (ByteOffset b = r.slot; b < r.slot + ptr; ++b) {
                const auto value = slotContent.byteValue(b);
                m_body +=
                    QStringLiteral("\\node[byte, %1] at (%2,%3) {%4};\n")
                        .arg(byteStyle(slotLooks.look(b), m_data.insideBlock(b)), cm(b - r.slot + 0.5), cy,
                             value ? QStringLiteral("%1").arg(*value, 2, 16, QLatin1Char('0')).toUpper()
                                   : QString());
            }
            const ByteOffset buf = m_data.bufOffset();
            if (buf >= r.slot && buf < r.slot + ptr)
                m_body += QStringLiteral("\\draw[buf] (%1,%2) -- (%1,%3); % buf\n")
                              .arg(cm(buf - r.slot), cm(y), cm(y + 1));
            StripContent rowContent = MemoryStripPainter::sourceContent(m_data);
            if (const auto block = m_data.blockAround(r.first)) {
                rowContent.memoryFirst = block->first;
                rowContent.memoryEnd = block->second;
            }
            const ByteStripPainter rowLooks(ByteStripGeometry(), rowContent, m_theme);
            const ByteCount span = std::max<ByteCount>(1, r.end - r.first);
            const ByteCount written = std::min<ByteCount>(span, TikzPicture::maximumBytesPerRow);
            for (ByteOffset b = r.first; b < r.first + written; ++b) {
                const auto look = rowLooks.look(b);
                const auto value = rowContent.byteValue(b);
                m_body += QStringLiteral("\\node[byte, %1%2] at (%3,%4) {%5};\n")
                              .arg(byteStyle(look, b >= rowContent.memoryFirst && b < rowContent.memoryEnd),
                                   look.shared ? QStringLiteral(", shared") : QString(),
                                   cm(rowLeft + double(b - r.first) + 0.5), cy,
                                   value ? QStringLiteral("%1").arg(*value, 2, 16, QLatin1Char('0')).toUpper()
                                         : QString());
            }
            if (written < span)
                m_body +=
                    QStringLiteral("\\node[more, anchor=west] at (%1,%2) {$\\cdots$ %3 more bytes};\n")
                        .arg(cm(rowLeft + double(written) + 0.2), cy, ReportText::countText(span - written));
            if (r.target)
                m_body += QStringLiteral("\\draw[pointer] (%1,%2) -- (%3,%2); % slot %4 -> row %4\n")
                              .arg(cm(ptr + 0.1), cy, cm(rowLeft - 0.1))
                              .arg(r.index);
            y += 1.3;
        }
        m_body += QStringLiteral("\\end{scope}\n");
        m_y += y * byteHeight;
    }

    void sourceStrip(const QString& comment, const std::vector<Marker>& markers)
    {
        if (!m_data.indirectRows().empty()) {
            pointerTable(comment);
            return;
        }
        strip(comment, MemoryStripPainter::sourceContent(m_data), m_data.displayFirst(), m_data.displayEnd(),
              markers);
    }

    // ---- The source memory ----
    void memory()
    {
        section(QStringLiteral("Source memory: the exporter's bytes"), ReportPicture::Memory);
        if (!m_data.hasSource()) {
            line(MemoryStripPainter::noMemoryText(m_data));
            return;
        }
        legend(false);
        m_y += 0.1;
        sourceStrip(QStringLiteral("memory view"), {{m_data.bufOffset(), QStringLiteral("buf")}});
    }

    // ---- The result: the banner, then the bytes ----
    void result()
    {
        section(QStringLiteral("Result: what PyMemoryView_GetContiguous returned"), ReportPicture::Result);
        const ResultPainter painter(m_data, m_theme, 1.0, 1000, true);
        const QString words = painter.bannerText();
        const qsizetype cut = words.indexOf(QLatin1Char('\n'));
        const QString head = words.left(cut), body = cut < 0 ? QString() : words.mid(cut + 1);
        const auto outcome = m_data.outcome();
        const QString accent =
            !m_data.hasSource() && outcome != ConversionPrediction::Outcome::Error ? QStringLiteral("muted")
            : outcome == ConversionPrediction::Outcome::Alias ? QStringLiteral("aliasaccent")
            : outcome == ConversionPrediction::Outcome::Copy && m_data.copyLayout()
                ? QStringLiteral("copyaccent")
                : QStringLiteral("erroraccent");
        QStringList lines;
        for (const QString& l : body.split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            lines << TikzPicture::escaped(l);
        m_body +=
            QStringLiteral("% the outcome and why, in the banner's words\n"
                           "\\node[banner, draw=%1] (banner) at (0,%2) {\\textcolor{%1}{\\bfseries %3}%4};\n")
                .arg(accent, cm(m_y), TikzPicture::escaped(head),
                     lines.isEmpty() ? QString()
                                     : QStringLiteral("\\\\\n  ") + lines.join(QStringLiteral("\\\\\n  ")));
        // The banner's height is TeX's to decide: what follows is placed below it.
        QString below;
        std::swap(below, m_body);
        const double top = m_y;
        m_y = 0;
        if (m_data.hasSource() && outcome == ConversionPrediction::Outcome::Alias) {
            std::vector<Marker> markers{{m_data.bufOffset(), QStringLiteral("buf")}};
            if (const auto delta = m_data.resultBufDelta().value_or(0); delta != 0)
                markers.push_back({m_data.bufOffset() + delta, QStringLiteral("result buf")});
            line(QStringLiteral("The result's memory is the source's: the same bytes, no copy."));
            sourceStrip(QStringLiteral("result (alias)"), markers);
        } else if (outcome == ConversionPrediction::Outcome::Copy && m_data.copyLayout()) {
            legend(true);
            m_y += 0.1;
            strip(QStringLiteral("result (copy)"), ResultPainter::copyContent(m_data), 0, m_data.copyLength(),
                  {{0, QStringLiteral("buf")}});
        }
        std::swap(below, m_body);
        if (!below.isEmpty())
            m_body += QStringLiteral("\\begin{scope}[shift={(banner.south west)}, yshift=-0.25cm]\n") +
                      below + QStringLiteral("\\end{scope}\n");
        m_y = top + m_y;
    }

    const ReportData& m_data;
    Theme m_theme;
    ReportPicture::Views m_views;
    ByteCount m_bytesPerRow = 16;
    QSizeF m_logicalCell = LogicalPainter::cellSize(m_data, m_theme) / pixelsPerCm;
    Styles m_styles;
    int m_keys = 0, m_keyItems = 0; // names of the colour keys' nodes
    QString m_body;
    double m_y = 0; // below what is written, in cm
};

// LaTeX for the characters that are special to TeX, or missing from pdflatex's default fonts.
struct Escape
{
    char32_t character;
    const char* latex;
};
constexpr Escape escapes[] = {
    {'\\', "\\textbackslash{}"},
    {'{', "\\{"},
    {'}', "\\}"},
    {'$', "\\$"},
    {'&', "\\&"},
    {'#', "\\#"},
    {'^', "\\textasciicircum{}"},
    {'_', "\\_"},
    {'%', "\\%"},
    {'~', "\\textasciitilde{}"},
    {'<', "\\textless{}"},
    {'>', "\\textgreater{}"},
    {'|', "\\textbar{}"},
    {'"', "\\textquotedbl{}"},
    {'\'', "\\textquotesingle{}"},
    {'`', "\\textasciigrave{}"},
    {'-', "-{}"}, // no -- or --- ligature
    {'[', "{[}"}, // not an optional argument
    {']', "{]}"},
    {char32_t(0x2014), "---"},
    {char32_t(0x2013), "--"},
    {char32_t(0x2026), "\\dots{}"},
    {char32_t(0x2192), "$\\rightarrow$"},
    {char32_t(0x2193), "$\\downarrow$"},
    {char32_t(0x25B8), "$\\triangleright$"},
    {char32_t(0x22EF), "$\\cdots$"},
    {char32_t(0x00B7), "$\\cdot$"},
    {char32_t(0x00D7), "$\\times$"},
    {char32_t(0x2264), "$\\le$"},
    {char32_t(0x2265), "$\\ge$"},
    {char32_t(0x2260), "$\\ne$"},
    {char32_t(0x2018), "`"},
    {char32_t(0x2019), "'"},
    {char32_t(0x201C), "``"},
    {char32_t(0x201D), "''"},
    {char32_t(0x00A0), "~"},
};

// A character without an escape: control codes as a space, ASCII as it is, anything else named by
// its code point.
void appendPlain(QString& out, char32_t c)
{
    if (c < 0x20 || c == 0x7f)
        out += QLatin1Char(' '); // newlines, tabs, NUL: never a line break or a control code in TeX
    else if (c < 0x7f)
        out += QChar(char16_t(c));
    else
        out += QStringLiteral("{[}U+%1{]}")
                   .arg(QString::number(quint32(c), 16).toUpper().rightJustified(4, QLatin1Char('0')));
}

} // namespace

QString TikzPicture::escaped(const QString& input)
{
    QString text = input;
    if (text.size() > maximumTextChars)
        text = text.left(maximumTextChars) + QStringLiteral("\u2026");
    QString out;
    out.reserve(text.size() * 2);
    for (const char32_t c : text.toUcs4()) {
        const auto matches = [c](const Escape& e) { return e.character == c; };
        if (const Escape* e = std::find_if(std::begin(escapes), std::end(escapes), matches);
            e != std::end(escapes))
            out += QLatin1String(e->latex);
        else
            appendPlain(out, c);
    }
    return out;
}

QString TikzPicture::describeCaps()
{
    return QStringLiteral(
               "%1 rows and %1 columns a tile, %2 tiles, %3 rows of %4 bytes a strip (past a cap: the "
               "first and last half)")
        .arg(maximumSide)
        .arg(maximumTiles)
        .arg(maximumStripRows)
        .arg(maximumBytesPerRow);
}

QString TikzPicture::document(const InspectionReport& report, ReportPicture::Views views, const Theme& theme,
                              QStringList* notes)
{
    // The report is borrowed for the call; strips past ReportData's bound are never walked whole here.
    const ReportData data(std::shared_ptr<const InspectionReport>(&report, [](const InspectionReport*) {}),
                          ReportData::OverviewWait::Bounded);
    Writer writer(data, theme, views);
    const QString out = writer.document();
    if (notes)
        *notes = writer.notes;
    return out;
}

} // namespace stridescope
