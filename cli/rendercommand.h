#pragma once

#include <QStringList>

namespace stridescope {

// `stridescope render`: the picture of an inspection, drawn by the same painters as the window,
// into a PNG, SVG or PDF, with no display needed, or as a TikZ figure (.tex). Exit codes as for inspect: 0
// written, 1 the scenario is invalid, its source could not be built or the file cannot be written, 2 usage.
class RenderCommand
{
public:
    // Needs a QGuiApplication (main() picks the offscreen platform when there is no display).
    static int run(const QStringList& arguments);
};

} // namespace stridescope
