#include "regularfile.h"

#include "core/quotedtext.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stridescope {

std::optional<RegularFile> RegularFile::open(const std::string& path, std::string* error)
{
    const auto fail = [&](const std::string& why) {
        if (error)
            *error = quotedText(path, 200) + ": " + why;
        return std::nullopt;
    };
    if (path.empty())
        return fail("no file name");
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0)
        return fail(std::strerror(errno));
    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0) {
        const int saved = errno;
        ::close(fd);
        return fail(std::strerror(saved));
    }
    if (!S_ISREG(info.st_mode)) {
        ::close(fd);
        return fail(S_ISDIR(info.st_mode)    ? "is a directory, not a file"
                    : S_ISFIFO(info.st_mode) ? "is a FIFO, not a regular file (reading it could wait forever)"
                                             : "is not a regular file (a device or socket could never end)");
    }
    return RegularFile(fd, std::uint64_t(info.st_size), std::uint64_t(info.st_dev),
                       std::uint64_t(info.st_ino));
}

RegularFile::RegularFile(RegularFile&& other) noexcept
    : m_fd(other.m_fd), m_size(other.m_size), m_device(other.m_device), m_inode(other.m_inode)
{
    other.m_fd = -1;
}

RegularFile& RegularFile::operator=(RegularFile&& other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = other.m_fd;
        m_size = other.m_size;
        m_device = other.m_device;
        m_inode = other.m_inode;
        other.m_fd = -1;
    }
    return *this;
}

RegularFile::~RegularFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

bool RegularFile::readAt(std::uint64_t offset, void* into, std::size_t length) const
{
    auto* out = static_cast<char*>(into);
    while (length > 0) {
        if (offset > std::uint64_t(INT64_MAX))
            return false;
        const ssize_t n = ::pread(m_fd, out, length, off_t(offset));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        out += n;
        offset += std::uint64_t(n);
        length -= std::size_t(n);
    }
    return true;
}

} // namespace stridescope
