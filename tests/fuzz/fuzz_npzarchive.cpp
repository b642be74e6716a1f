// libFuzzer target: the .npz directory reader (NpzArchive), on any bytes as a file. Every entry it
// accepts lies inside the file, every member's data offset too, and every refusal is one line.
#include "pyhost/npzarchive.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <sys/mman.h>
#include <unistd.h>

using namespace stridescope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // A file in memory, opened by path as the app opens one (RegularFile::open checks it is regular).
    const int fd = ::memfd_create("npz", 0);
    if (fd < 0)
        std::abort();
    if (size > 0 && ::write(fd, data, size) != static_cast<ssize_t>(size))
        std::abort();
    std::string error;
    const auto file = RegularFile::open("/proc/self/fd/" + std::to_string(fd), &error);
    ::close(fd);
    if (!file || file->size() != size)
        std::abort();
    const auto oneLine = [](const std::string& text) {
        return !text.empty() && text.find('\n') == std::string::npos;
    };
    if (!NpzArchive::looksLikeZip(*file))
        return 0;
    const auto archive = NpzArchive::read(*file, &error);
    if (!archive) {
        if (!oneLine(error))
            std::abort();
        return 0;
    }
    if (archive->entries().size() > NpzArchive::maximumEntries)
        std::abort();
    for (const NpzArchive::Entry& entry : archive->entries()) {
        std::string why;
        const auto offset = NpzArchive::dataOffset(*file, entry, &why);
        if (offset) {
            // The member's bytes lie inside the file.
            if (*offset > size || entry.compressedSize > size - *offset)
                std::abort();
        } else if (!oneLine(why)) {
            std::abort();
        }
    }
    (void)NpzArchive::listed(archive->memberNames());
    return 0;
}
