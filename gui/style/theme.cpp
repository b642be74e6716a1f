#include "theme.h"

#include <QFile>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QPainter>
#include <QPalette>

#include <algorithm>
#include <array>
#include <cmath>

namespace stridescope {

namespace {

QString monoFamily = QStringLiteral("DejaVu Sans Mono");
QString sansFamily = QStringLiteral("DejaVu Sans");

// Polynomial fits of two perceptually ordered colour maps, evaluated once into a table.
// Turbo (Google, Apache-2.0): many distinct hues for telling neighbours apart.
QRgb turbo(double t)
{
    t = std::clamp(t, 0.0, 1.0);
    const double r =
        0.13572138 +
        t * (4.61539260 + t * (-42.66032258 + t * (132.13108234 + t * (-152.94239396 + t * 59.28637943))));
    const double g =
        0.09140261 +
        t * (2.19418839 + t * (4.84296658 + t * (-14.18503333 + t * (4.27729857 + t * 2.82956604))));
    const double b =
        0.10667330 +
        t * (12.64194608 + t * (-60.58204836 + t * (110.36276771 + t * (-89.90310912 + t * 27.34824973))));
    auto c = [](double v) { return int(std::lround(std::clamp(v, 0.0, 1.0) * 255)); };
    return qRgb(c(r), c(g), c(b));
}

// Cividis (Nuñez et al. 2018): designed to read the same for deuteranopia and protanopia.
// Piecewise-linear through samples of the published table.
QRgb cividis(double t)
{
    static constexpr std::array<std::array<int, 3>, 11> stops{{{0, 34, 78},
                                                               {18, 53, 112},
                                                               {59, 73, 108},
                                                               {87, 92, 109},
                                                               {112, 111, 115},
                                                               {138, 132, 120},
                                                               {165, 152, 117},
                                                               {191, 174, 111},
                                                               {219, 197, 98},
                                                               {245, 221, 80},
                                                               {255, 234, 70}}};
    t = std::clamp(t, 0.0, 1.0) * (stops.size() - 1);
    const int i = std::min(int(t), int(stops.size()) - 2);
    const double f = t - i;
    auto mix = [&](int k) { return int(std::lround(stops[i][k] + f * (stops[i + 1][k] - stops[i][k]))); };
    return qRgb(mix(0), mix(1), mix(2));
}

} // namespace

void Theme::loadFonts()
{
    // Once per process, and only with a GUI application (the font database needs one).
    static bool loaded = false;
    if (loaded || !qobject_cast<QGuiApplication*>(QCoreApplication::instance()))
        return;
    loaded = true;
    // Resources first (reproducible everywhere); Debian's copy when the resource is not linked in.
    const std::array<std::pair<QString, QString*>, 2> fonts{
        {{QStringLiteral("DejaVuSansMono.ttf"), &monoFamily},
         {QStringLiteral("DejaVuSans.ttf"), &sansFamily}}};
    for (const auto& [file, family] : fonts) {
        for (const QString& dir :
             {QStringLiteral(":/fonts/"), QStringLiteral("/usr/share/fonts/truetype/dejavu/")}) {
            if (!QFile::exists(dir + file))
                continue;
            const int id = QFontDatabase::addApplicationFont(dir + file);
            const QStringList families = QFontDatabase::applicationFontFamilies(id);
            if (!families.isEmpty()) {
                *family = families.first();
                break;
            }
        }
    }
}

Theme Theme::light(bool colourBlindSafe)
{
    loadFonts();
    Theme t;
    t.m_dark = false;
    t.m_background = QColor(0xfb, 0xfb, 0xfa);
    t.m_panel = QColor(0xee, 0xee, 0xec);
    t.m_text = QColor(0x1d, 0x1d, 0x1f);
    t.m_mutedText = QColor(0x5f, 0x63, 0x68);
    t.m_gap = QColor(0xdc, 0xdc, 0xd8);
    t.m_grid = QColor(0xb4, 0xb4, 0xb0);
    t.m_outside = QColor(0xd3, 0x1f, 0x1f);
    t.m_highlight = QColor(0x11, 0x11, 0x11);
    t.m_marker = QColor(0x8a, 0x1c, 0x7c);
    t.m_error = QColor(0xc6, 0x28, 0x28);
    t.m_alias = QColor(0x1b, 0x6e, 0x3a);
    t.m_copy = QColor(0x1f, 0x4e, 0x9c);
    t.m_hatch = QColor(0x20, 0x20, 0x20);
    t.m_firstObject = QColor(0x1f, 0x6f, 0xc0);
    t.m_secondObject = QColor(0xf0, 0x8a, 0x10);
    t.m_colourBlindSafe = colourBlindSafe;
    t.m_mono = QFont(monoFamily);
    t.m_mono.setPixelSize(13);
    t.m_mono.setStyleHint(QFont::Monospace);
    t.m_label = QFont(sansFamily);
    t.m_label.setPixelSize(12);
    t.m_title = QFont(sansFamily);
    t.m_title.setPixelSize(14);
    t.m_title.setBold(true);
    t.rebuildPalette();
    return t;
}

Theme Theme::dark(bool colourBlindSafe)
{
    Theme t = light(colourBlindSafe);
    t.m_dark = true;
    t.m_background = QColor(0x1e, 0x1f, 0x22);
    t.m_panel = QColor(0x2b, 0x2d, 0x31);
    t.m_text = QColor(0xe8, 0xe8, 0xe6);
    t.m_mutedText = QColor(0xa0, 0xa4, 0xaa);
    t.m_gap = QColor(0x3a, 0x3c, 0x40);
    t.m_grid = QColor(0x55, 0x58, 0x5e);
    t.m_outside = QColor(0xff, 0x4d, 0x4d);
    t.m_highlight = QColor(0xff, 0xff, 0xff);
    t.m_marker = QColor(0xf0, 0x7c, 0xe0);
    t.m_error = QColor(0xff, 0x6b, 0x6b);
    t.m_alias = QColor(0x6c, 0xd8, 0x8e);
    t.m_copy = QColor(0x7a, 0xaa, 0xff);
    t.m_hatch = QColor(0xf4, 0xf4, 0xf4);
    t.m_firstObject = QColor(0x5c, 0xa8, 0xf0);
    t.m_secondObject = QColor(0xff, 0xa8, 0x40);
    return t;
}

void Theme::setColourBlindSafe(bool safe)
{
    if (safe == m_colourBlindSafe && m_palette)
        return;
    m_colourBlindSafe = safe;
    rebuildPalette();
}

void Theme::rebuildPalette()
{
    auto table = std::make_shared<std::vector<QRgb>>(paletteSize);
    for (int i = 0; i < paletteSize; ++i) {
        const double t = double(i) / (paletteSize - 1);
        // Turbo's darkest ends are cut off: values must stay readable on every cell.
        (*table)[i] = m_colourBlindSafe ? cividis(t) : turbo(0.08 + 0.84 * t);
    }
    m_palette = std::move(table);
}

void Theme::paintHatch(QPainter& painter, const QRectF& rect) const
{
    constexpr qreal spacing = 6;
    painter.save();
    painter.setClipRect(rect, Qt::IntersectClip);
    painter.setPen(QPen(m_hatch, 1));
    const qreal h = rect.height();
    for (qreal x = std::floor((rect.left() + rect.top() - h) / spacing) * spacing - rect.top();
         x < rect.right(); x += spacing)
        painter.drawLine(QPointF(x, rect.bottom()), QPointF(x + h, rect.top()));
    painter.restore();
}

QColor Theme::elementColour(ElementIndex element, ElementIndex count) const
{
    return QColor::fromRgb(elementRgb(element, count));
}

QColor Theme::textOn(const QColor& fill) const
{
    // Relative luminance (sRGB weights, no gamma: good enough to pick black or white).
    const double y = 0.2126 * fill.redF() + 0.7152 * fill.greenF() + 0.0722 * fill.blueF();
    return y > 0.5 ? QColor(0x11, 0x11, 0x11) : QColor(0xff, 0xff, 0xff);
}

QPalette Theme::darkWidgetPalette()
{
    QPalette p;
    const QColor window(0x2d, 0x2d, 0x30), base(0x1e, 0x1e, 0x20), text(0xe8, 0xe8, 0xe8);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, window);
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, Qt::red);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb6, 0xff));
    p.setColor(QPalette::Highlight, QColor(0x3a, 0x6e, 0xa5));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Mid, QColor(0x50, 0x50, 0x55));
    p.setColor(QPalette::Dark, QColor(0x18, 0x18, 0x1a));
    p.setColor(QPalette::Light, QColor(0x48, 0x48, 0x4c));
    for (auto role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, QColor(0x80, 0x80, 0x80));
    return p;
}

} // namespace stridescope
