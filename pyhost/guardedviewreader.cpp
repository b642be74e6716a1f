#include "guardedviewreader.h"

#include "core/itemformat.h"
#include "guardedmemory.h"

#include <cstdio>
#include <cstring>

namespace stridescope {

namespace {

// The NUL-terminated string at `address`, read through GuardedMemory; nullopt when it cannot be
// read, or runs past the longest format Stridescope reads.
std::optional<std::string> readCString(const char* address)
{
    std::string text;
    char chunk[256];
    const auto limit = ItemFormat::maxTextLength + 1;
    Address at = reinterpret_cast<Address>(address);
    while (text.size() < limit) {
        // A chunk may cross into an unmapped page: the read gives the readable prefix.
        const ByteCount usable = GuardedMemory::read(at, ByteCount(sizeof chunk), chunk);
        if (usable <= 0)
            return std::nullopt;
        const void* nul = std::memchr(chunk, '\0', std::size_t(usable));
        if (nul) {
            text.append(chunk, std::size_t(static_cast<const char*>(nul) - chunk));
            return text;
        }
        text.append(chunk, std::size_t(usable));
        at += Address(usable);
    }
    return std::nullopt;
}

std::optional<std::vector<std::int64_t>> readArray(const Py_ssize_t* address, int ndim)
{
    std::vector<std::int64_t> values(static_cast<std::size_t>(ndim));
    const ByteCount size = ByteCount(sizeof(Py_ssize_t)) * ndim;
    static_assert(sizeof(Py_ssize_t) == sizeof(std::int64_t));
    if (ndim > 0 && GuardedMemory::read(reinterpret_cast<Address>(address), size, values.data()) != size)
        return std::nullopt;
    return values;
}

bool ndimInRange(int ndim)
{
    return ndim >= 0 && ndim <= GuardedViewReader::maxNdim;
}

} // namespace

GuardedViewReader::Copy GuardedViewReader::read(const Py_buffer& v)
{
    Copy out;
    ExportedBuffer& e = out.buffer;
    e.buf = reinterpret_cast<Address>(v.buf);
    e.len = v.len;
    e.itemSize = v.itemsize;
    e.readonly = v.readonly != 0;
    e.ndim = v.ndim;
    if (v.format) {
        e.format = readCString(v.format);
        if (!e.format)
            out.unreadable.emplace_back("format");
    }
    const auto array = [&](const Py_ssize_t* a,
                           const char* name) -> std::optional<std::vector<std::int64_t>> {
        if (!a)
            return std::nullopt;
        auto values = ndimInRange(v.ndim) ? readArray(a, v.ndim) : std::nullopt;
        if (!values)
            out.unreadable.emplace_back(name);
        return values;
    };
    e.shape = array(v.shape, "shape");
    e.strides = array(v.strides, "strides");
    e.suboffsets = array(v.suboffsets, "suboffsets");
    return out;
}

std::optional<std::string> GuardedViewReader::problem(const Py_buffer& v, const Copy& copy,
                                                      const char* request)
{
    const std::string answer = std::string(" in its answer to ") + request;
    if (!ndimInRange(v.ndim))
        return "the exporter's Py_buffer.ndim is " + std::to_string(v.ndim) + ", outside 0.." +
               std::to_string(maxNdim) + " (PyBUF_MAX_NDIM)," + answer;
    if (copy.unreadable.empty())
        return std::nullopt;
    const std::string& name = copy.unreadable.front();
    const void* pointer = name == "format"    ? static_cast<const void*>(v.format)
                          : name == "shape"   ? static_cast<const void*>(v.shape)
                          : name == "strides" ? static_cast<const void*>(v.strides)
                                              : static_cast<const void*>(v.suboffsets);
    char address[32];
    std::snprintf(address, sizeof address, "%p", pointer);
    char first = 0;
    if (name == "format" && GuardedMemory::read(reinterpret_cast<Address>(v.format), 1, &first) == 1)
        return "the exporter's Py_buffer.format (" + std::string(address) +
               ") is not a NUL-terminated string of at most " + std::to_string(ItemFormat::maxTextLength) +
               " characters" + answer;
    return "the exporter's Py_buffer." + name + " points to unreadable memory (" + address + ")" + answer;
}

} // namespace stridescope
