#pragma once

#include "core/units.h"

#include <QColor>
#include <QFont>
#include <QPalette>

#include <memory>
#include <vector>

class QPainter;
class QRectF;

namespace stridescope {

// Colours and fonts of every picture Stridescope draws. A value type: views and ReportPicture take
// a copy, so an export looks exactly like the screen. Fonts come from resources (DejaVu), so the
// same picture is drawn on every machine.
class Theme
{
public:
    static Theme light(bool colourBlindSafe = false);
    static Theme dark(bool colourBlindSafe = false);
    // The widgets' palette under the dark theme (the light theme keeps the style's own).
    static QPalette darkWidgetPalette();

    bool isDark() const { return m_dark; }
    // A palette readable with deuteranopia and protanopia (cividis); the default one is turbo-like,
    // with more distinct hues. Both are ordered by lightness, so order reads even in grey.
    bool colourBlindSafe() const { return m_colourBlindSafe; }
    void setColourBlindSafe(bool safe);

    // Colour of an element: its position in logical C order along the palette (0 -> first colour).
    QColor elementColour(ElementIndex element, ElementIndex count) const;
    QRgb elementRgb(ElementIndex element, ElementIndex count) const
    {
        return paletteRgb(element, paletteScale(count));
    }
    // The same, split for loops over many elements of one buffer: the scale once, then a multiply.
    static double paletteScale(ElementIndex count)
    {
        return count > 1 ? double(paletteSize - 1) / double(count - 1) : 0.0;
    }
    QRgb paletteRgb(ElementIndex element, double scale) const
    {
        return paletteAt(paletteIndex(element, scale));
    }
    // Where an element falls on the palette: theme-independent, so it can be worked out once per report.
    static int paletteIndex(ElementIndex element, double scale)
    {
        const double i = double(element) * scale + 0.5;
        return i <= 0 ? 0 : i >= paletteSize - 1 ? paletteSize - 1 : int(i);
    }
    QRgb paletteAt(int index) const { return (*m_palette)[std::size_t(index)]; }
    static constexpr int paletteSize = 1024;
    // Black or white, whichever reads better on `fill`.
    QColor textOn(const QColor& fill) const;

    QColor background() const { return m_background; }
    QColor panel() const { return m_panel; } // behind headers and blocks
    QColor text() const { return m_text; }
    QColor mutedText() const { return m_mutedText; }   // axis labels, offsets
    QColor gap() const { return m_gap; }               // bytes no element reaches
    QColor grid() const { return m_grid; }             // cell and byte borders
    QColor outsideMemory() const { return m_outside; } // elements outside the memory block (red)
    QColor highlight() const { return m_highlight; }   // outline of hovered or pinned elements
    QColor marker() const { return m_marker; }         // the `buf` marker and arrows
    QColor errorAccent() const { return m_error; }
    QColor aliasAccent() const { return m_alias; }
    QColor copyAccent() const { return m_copy; }
    QColor hatchColour() const { return m_hatch; }
    // The colour of each object of a comparison (0: the first, 1: the second): its bytes, its legend
    // swatch and the frame of its views. Blue and orange: told apart with every common colour blindness.
    QColor objectColour(int which) const { return which == 0 ? m_firstObject : m_secondObject; }
    // Diagonal hatching over bytes reached by more than one element, drawn as lines: pattern brushes
    // become flat fills in SVG and PDF output, and the hatching must survive an export. Lines sit on a
    // fixed grid, so adjacent rects join up.
    void paintHatch(QPainter& painter, const QRectF& rect) const;

    QFont monoFont() const { return m_mono; }   // bytes, values, offsets
    QFont labelFont() const { return m_label; } // axis labels, captions
    QFont titleFont() const { return m_title; } // section titles

private:
    Theme() = default;
    void rebuildPalette();
    static void loadFonts();

    bool m_dark = false;
    bool m_colourBlindSafe = false;
    std::shared_ptr<const std::vector<QRgb>> m_palette; // 1024 entries, shared between copies
    QColor m_background;
    QColor m_panel;
    QColor m_text;
    QColor m_mutedText;
    QColor m_gap;
    QColor m_grid;
    QColor m_outside;
    QColor m_highlight;
    QColor m_marker;
    QColor m_error;
    QColor m_alias;
    QColor m_copy;
    QColor m_hatch;
    QColor m_firstObject;
    QColor m_secondObject;
    QFont m_mono;
    QFont m_label;
    QFont m_title;
};

} // namespace stridescope
