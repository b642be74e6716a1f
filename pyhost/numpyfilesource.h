#pragma once

#include "buffersource.h"

#include <cstdint>
#include <string>
#include <vector>

namespace stridescope {

class RegularFile;

// An array from a numpy file, opened as numpy would and never by unpickling:
//   .npy: memory-mapped read-only (numpy.memmap, mode 'r'), as np.load(path, mmap_mode='r') does.
//   .npz: a member stored uncompressed is mapped the same way at its offset inside the zip (numpy
//         itself cannot map members); a deflate-compressed one is decompressed into memory, at most
//         SourceLimits::allocationLimit bytes, checked against the array's header before any is read.
// Object dtypes are refused (loading them would unpickle), so are files that are not regular files.
// numpy is imported on first use, not when the interpreter warms up. The memory block is the
// array's bytes; its owner says which file bytes they are and whether /proc/self/maps shows them
// mapped read-only from the file.
class NumpyFileSource final : public BufferSource
{
public:
    // `member`: the .npz member ("" = the only one); must be empty for an .npy file.
    NumpyFileSource(std::string path, std::string member, SourceLimits limits);

    BuiltSource build() override;

private:
    // Where the .npy bytes are: the whole file, or one member of the zip.
    struct NpyBytes
    {
        std::uint64_t start = 0;
        std::uint64_t length = 0;
        bool inflate = false;       // a deflate-compressed member
        std::uint32_t crc = 0;      // inflate: the member's CRC-32,
        std::uint64_t declared = 0; // and its uncompressed size
        std::string what;           // "a.npy" or "member 'x' of b.npz (stored)"
    };
    // The array numpy opened from those bytes.
    struct OpenedArray
    {
        pybind11::object array;
        std::int64_t offset = -1; // of its first byte in the file; -1 when decompressed
        ByteCount bytes = 0;
        bool fortran = false;
        std::string dtype; // dtype.str
    };

    std::string shownPath() const; // the path as messages quote it
    // The steps of build(); each throws SourceError with one line naming the problem.
    NpyBytes locate(const RegularFile& file) const;
    NpyBytes locateMember(const RegularFile& file) const;
    std::string chooseMember(const std::vector<std::string>& names) const;
    OpenedArray openArray(const RegularFile& file, const NpyBytes& at) const;
    SourceError openingError(const NpyBytes& at, const PythonError& python) const;
    MemoryBlock memoryOf(const RegularFile& file, const NpyBytes& at, const OpenedArray& opened) const;

    std::string m_path;
    std::string m_member;
    SourceLimits m_limits;
};

} // namespace stridescope
