#pragma once

#include <QString>

namespace stridescope {

// A directory only this user can read or change: made with mode 0700 when missing (its parents
// as usual), and refused when it is a symlink, belongs to someone else or is open to others. Where
// Stridescope keeps the trust secret and the autosaved work.
class PrivateDirectory
{
public:
    // A descriptor of the checked directory (O_NOFOLLOW, close it), or -1 with `error` set.
    static int open(const QString& path, QString* error);
    // The same check, without keeping the descriptor.
    static bool ensure(const QString& path, QString* error);
};

} // namespace stridescope
