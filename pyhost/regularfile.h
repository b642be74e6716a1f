#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace stridescope {

// A file opened for reading only if it is a regular file: a FIFO or a device could block a read
// forever or never end, and a directory has no bytes. The check is made on the open descriptor
// (fstat), so the file cannot be swapped between the check and the reads. Move-only; closes on
// destruction.
class RegularFile
{
public:
    // The file, or nullopt with `error`: one line naming the path and the problem.
    static std::optional<RegularFile> open(const std::string& path, std::string* error);

    RegularFile(RegularFile&& other) noexcept;
    RegularFile& operator=(RegularFile&& other) noexcept;
    RegularFile(const RegularFile&) = delete;
    RegularFile& operator=(const RegularFile&) = delete;
    ~RegularFile();

    int descriptor() const { return m_fd; }
    std::uint64_t size() const { return m_size; }
    std::uint64_t device() const { return m_device; }
    std::uint64_t inode() const { return m_inode; }

    // Reads exactly `length` bytes at `offset`; false when the file ends before (or a read fails).
    bool readAt(std::uint64_t offset, void* into, std::size_t length) const;

private:
    RegularFile(int fd, std::uint64_t size, std::uint64_t device, std::uint64_t inode)
        : m_fd(fd), m_size(size), m_device(device), m_inode(inode)
    {
    }

    int m_fd = -1;
    std::uint64_t m_size = 0;
    std::uint64_t m_device = 0;
    std::uint64_t m_inode = 0;
};

} // namespace stridescope
