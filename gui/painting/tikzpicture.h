#pragma once

#include "gui/style/theme.h"
#include "reportpicture.h"

#include <QString>
#include <QStringList>

namespace stridescope {

struct InspectionReport;

// The picture of a report as a standalone LaTeX document (`render --out FIG.tex`): one TikZ picture
// with the SVG's content — the Logical view's cells with their values, the source memory's bytes
// (gaps, padding, shared bytes hatched, buf, a PIL-style pointer table with its arrows), the result's
// banner and strip — drawn from the painters' model (ReportData, the byte looks, the titles and the
// banner's words), never from pixels. Meant to be read and edited by hand: a named colour and style
// per element colour, one \node per cell on a unit grid, a comment naming each part.
//
// A figure is bounded by what a page can show, not by the array (the CuTe library's print_latex
// writes every element, and pdflatex runs out of memory on large layouts): past the caps below a
// tile, a strip or the tiles are elided in the middle (first half, "⋯ N more", last half), so any
// array gives a file of at most a few thousand nodes. User text is escaped for LaTeX and cut.
class TikzPicture
{
public:
    // Rows and columns of one logical tile written at most (past it: the first and last half).
    static constexpr int maximumSide = 16;
    // Tiles written at most (past it: the first and last half).
    static constexpr int maximumTiles = 8;
    // Rows of a byte strip written at most (past it: the first and last half), of at most
    // maximumBytesPerRow bytes each; rows of a PIL-style pointer table likewise.
    static constexpr int maximumStripRows = 16;
    static constexpr int maximumBytesPerRow = 32;
    // Characters of any one text from the scenario (format, type name, exception message) kept.
    static constexpr int maximumTextChars = 600;

    // The whole .tex file. `notes` (optional) receives what the figure leaves out, one sentence each.
    static QString document(const InspectionReport& report, ReportPicture::Views views, const Theme& theme,
                            QStringList* notes = nullptr);
    // `text` as LaTeX text: the special characters escaped, the characters pdflatex's default fonts
    // lack spelled out (arrows and dashes as LaTeX draws them, others as [U+XXXX]), control
    // characters as spaces, cut at maximumTextChars.
    static QString escaped(const QString& text);
    // The caps in words, for notes and --help.
    static QString describeCaps();
};

} // namespace stridescope
