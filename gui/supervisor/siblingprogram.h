#pragma once

#include <QString>

namespace stridescope {

// Where Stridescope's other programs are, from the running one: beside it (the build tree), else
// where `cmake --install` and the Debian package put them, ../libexec/stridescope/ from bin/.
class SiblingProgram
{
public:
    SiblingProgram() = delete;

    // The candidates for `name`, in the order they are tried.
    static QStringList candidates(const QString& name);
    // The first candidate that is an executable file; empty when there is none.
    static QString find(const QString& name);
};

} // namespace stridescope
