#include "privatedirectory.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QObject>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stridescope {

int PrivateDirectory::open(const QString& path, QString* error)
{
    const auto fail = [&](const QString& why) {
        if (error)
            *error = QObject::tr("the directory %1 %2").arg(path, why);
        return -1;
    };
    if (path.isEmpty())
        return fail(QObject::tr("has no location"));
    QDir().mkpath(QFileInfo(path).absolutePath());
    const QByteArray name = QFile::encodeName(path);
    if (::mkdir(name.constData(), 0700) != 0 && errno != EEXIST)
        return fail(QObject::tr("cannot be made: %1").arg(QString::fromLocal8Bit(std::strerror(errno))));
    // O_NOFOLLOW: a symlink put in its place is refused, not followed to somebody else's directory.
    const int fd = ::open(name.constData(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return fail(QObject::tr("cannot be opened (is it a symlink?): %1")
                        .arg(QString::fromLocal8Bit(std::strerror(errno))));
    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0 || !S_ISDIR(info.st_mode) || info.st_uid != ::geteuid() ||
        (info.st_mode & 077) != 0) {
        ::close(fd);
        return fail(QObject::tr("must be a directory owned by this user with mode 0700"));
    }
    return fd;
}

bool PrivateDirectory::ensure(const QString& path, QString* error)
{
    const int fd = open(path, error);
    if (fd < 0)
        return false;
    ::close(fd);
    return true;
}

} // namespace stridescope
