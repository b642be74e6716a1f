#pragma once

#include <QStringList>

namespace stridescope {

// `stridescope snippet [SCENARIO | --expr CODE | --preset NAME] [--lang python|c]`: prints the code
// that reproduces a scenario outside Stridescope (SnippetGenerator), without a window and without
// running anything. Exit codes: 0 printed (a refused layout prints a snippet that gives the reason),
// 1 the scenario file is invalid, 2 usage errors.
class SnippetCommand
{
public:
    static int run(const QStringList& arguments);
};

} // namespace stridescope
