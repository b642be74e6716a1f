#pragma once

#include "core/units.h"

namespace stridescope {

// Reads memory that an exporter *claims* holds its buffer. An exporter may lie (numpy's as_strided
// describes a gigabyte over ten bytes), and a plain memcpy from such a claim faults. Every read of
// memory Stridescope has not proven readable goes through here: process_vm_readv on this process,
// which fails with EFAULT where a load would fault.
class GuardedMemory
{
public:
    // Copies up to `size` bytes from `address` into `out`; returns how many could be read, a prefix
    // of the range (0 when the first byte is not readable).
    static ByteCount read(Address address, ByteCount size, void* out);
    // Whether every byte of [address, address + size) lies in a readable mapping of this process
    // now (from /proc/self/maps). A proven range may then be read in place.
    static bool isReadable(Address address, ByteCount size);
};

} // namespace stridescope
