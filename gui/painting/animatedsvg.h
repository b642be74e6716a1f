#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace stridescope {

// One looping SVG made of frames QSvgGenerator wrote (`render --steps --out F.svg`), played with no
// script: SMIL <animate> on `visibility`, which browsers render. The frames are drawn over a base (the
// picture every frame shares): what a frame draws beyond the base is written once, in a group
// visible only during that frame; a base part a frame does not draw is hidden during it. So the
// constant picture is written once and a frame costs what it changes (its caption and highlights).
// The static attributes show frame 0, which is what a viewer without animation draws.
class AnimatedSvg
{
public:
    AnimatedSvg() = delete;

    // `base` and every frame come from QSvgGenerator with the same size, view box, title and
    // definitions (gradients are numbered in painting order: a frame that paints a different one is
    // refused). Each frame is shown for `frameMs` milliseconds; the whole loops. Empty with `error`
    // when a document is not QSvgGenerator's or the definitions differ.
    static QByteArray assemble(const QByteArray& base, const QList<QByteArray>& frames, int frameMs,
                               QString* error);
};

} // namespace stridescope
