#include "guardedmemory.h"

#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <limits>

namespace stridescope {

ByteCount GuardedMemory::read(Address address, ByteCount size, void* out)
{
    if (size <= 0 || address == 0 || address > std::numeric_limits<Address>::max() - Address(size))
        return 0;
    ByteCount done = 0;
    const pid_t self = ::getpid();
    // The kernel stops a transfer at the first unreadable page and reports the bytes before it;
    // it also caps one call, so loop until the range is done or a call makes no progress.
    while (done < size) {
        iovec local{static_cast<char*>(out) + done, std::size_t(size - done)};
        iovec remote{reinterpret_cast<void*>(address + Address(done)), std::size_t(size - done)};
        const ssize_t n = ::process_vm_readv(self, &local, 1, &remote, 1, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        done += ByteCount(n);
    }
    return done;
}

bool GuardedMemory::isReadable(Address address, ByteCount size)
{
    if (size <= 0)
        return true;
    if (address == 0 || address > std::numeric_limits<Address>::max() - Address(size))
        return false;
    FILE* maps = std::fopen("/proc/self/maps", "re");
    if (!maps)
        return false;
    // Mappings are listed in address order: walk them, extending the covered prefix.
    Address covered = address;
    const Address end = address + Address(size);
    unsigned long long lo = 0, hi = 0;
    char perms[8] = {};
    char* line = nullptr; // getline: a mapped file's path may be longer than any fixed buffer
    std::size_t capacity = 0;
    while (covered<end&& ::getline(&line, &capacity, maps)> 0) {
        if (std::sscanf(line, "%llx-%llx %7s", &lo, &hi, perms) != 3)
            continue;
        if (hi <= covered)
            continue;
        if (lo > covered || perms[0] != 'r')
            break; // a hole or an unreadable mapping inside the range
        covered = Address(hi);
    }
    std::free(line);
    std::fclose(maps);
    return covered >= end;
}

} // namespace stridescope
