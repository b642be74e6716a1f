#pragma once

#include "buffersource.h"

#include <string>

namespace stridescope {

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
    std::string m_path;
    std::string m_member;
    SourceLimits m_limits;
};

} // namespace stridescope
