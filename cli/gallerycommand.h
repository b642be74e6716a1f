#pragma once

#include <QStringList>

namespace stridescope {

// `stridescope gallery --out DIR`: one PNG per teaching preset plus an index.md with each picture
// and its explanation, ready for a documentation site. Exit codes: 0 written, 1 a preset could not
// be inspected or a file cannot be written, 2 usage.
class GalleryCommand
{
public:
    // Needs a QGuiApplication (main() picks the offscreen platform when there is no display).
    static int run(const QStringList& arguments);
};

} // namespace stridescope
