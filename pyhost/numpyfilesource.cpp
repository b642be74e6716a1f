#include "numpyfilesource.h"

#include "core/quotedtext.h"
#include "npzarchive.h"
#include "pythonerrorcapture.h"
#include "pythonhost.h"
#include "regularfile.h"

#include <pybind11/eval.h>

#include <sys/sysmacros.h>

#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <optional>

namespace py = pybind11;

namespace stridescope {

namespace {

// numpy's own header reader (numpy.lib.format: the magic, then a dict literal read by
// ast.literal_eval, at most 10,000 bytes) decides what the array is; this code only places it.
// Refused is raised for what Stridescope will not open; numpy's ValueError for a bad header.
constexpr const char* kLoaderSource = R"PY(
import os, zlib
import numpy as np
from numpy.lib import format as npformat

class Refused(Exception):
    pass

def _header(fp):
    version = npformat.read_magic(fp)
    shape, fortran, dtype = npformat._read_array_header(fp, version)
    if dtype.hasobject:
        raise Refused(f"the array holds Python objects (dtype {dtype.str!r}), which only unpickling "
                      "could load; Stridescope never unpickles")
    count = 1
    for n in shape:
        count *= n
    return shape, fortran, dtype, count * dtype.itemsize

class _Inflater:
    """A file-like reader of a raw deflate stream of `length` bytes at `start`, that never holds more
    than it was asked for (a zip bomb inflates only as far as the array's header allows)."""
    def __init__(self, fp, start, length):
        self.fp, self.left, self.done = fp, length, 0
        fp.seek(start)
        self.z = zlib.decompressobj(-15)
        self.crc = 0
    def read(self, n):
        out = b""
        while len(out) < n:
            if self.z.unconsumed_tail:
                chunk = self.z.unconsumed_tail
            elif self.left > 0 and not self.z.eof:
                chunk = self.fp.read(min(self.left, 1 << 16))
                self.left -= len(chunk)
                if not chunk:
                    break
            else:
                break
            out += self.z.decompress(chunk, n - len(out))
        self.crc = zlib.crc32(out, self.crc)
        self.done += len(out)
        return out

def open_array(fd, start, length, inflate, limit, crc, declared):
    """(array, offset of its first byte in the file or -1, its bytes, fortran, dtype.str)"""
    with os.fdopen(os.dup(fd), "rb") as fp:
        if not inflate:
            fp.seek(start)
            shape, fortran, dtype, nbytes = _header(fp)
            offset = fp.tell()
            if offset + nbytes > start + length:
                raise Refused(f"the header describes {nbytes} bytes of data at offset {offset}, but only "
                              f"{max(0, start + length - offset)} follow: the file is truncated")
            order = "F" if fortran else "C"
            if nbytes == 0:
                return np.empty(shape, dtype, order=order), offset, 0, fortran, dtype.str
            array = np.memmap(fp, dtype=dtype, mode="r", offset=offset, shape=shape, order=order)
            return array, offset, nbytes, fortran, dtype.str
        source = _Inflater(fp, start, length)
        shape, fortran, dtype, nbytes = _header(source)
        if nbytes > limit:
            raise Refused(f"the compressed member holds {nbytes} bytes of data, more than the memory "
                          f"limit of {limit} bytes, so it was not decompressed")
        order = "F" if fortran else "C"
        if nbytes == 0:
            return np.empty(shape, dtype, order=order), -1, 0, fortran, dtype.str
        data = bytearray(nbytes)
        view = memoryview(data)
        filled = 0
        while filled < nbytes:
            chunk = source.read(min(nbytes - filled, 1 << 20))
            if not chunk:
                raise Refused(f"the compressed member ends after {filled} of its {nbytes} bytes of data")
            view[filled:filled + len(chunk)] = chunk
            filled += len(chunk)
        if source.done == declared and source.crc != crc:
            raise Refused("the compressed member's CRC does not match its contents: it is damaged")
        # As numpy.lib.format.read_array builds it: C order, or the reversed shape transposed.
        array = np.frombuffer(data, dtype=dtype, count=nbytes // dtype.itemsize)
        if fortran:
            array = array.reshape(shape[::-1]).transpose()
        else:
            array = array.reshape(shape)
        return array, -1, nbytes, fortran, dtype.str
)PY";

// Messages are one line: numpy's may quote a header that spans lines, or a huge one.
std::string oneLine(std::string text)
{
    constexpr std::size_t kShown = 300;
    for (char& c : text)
        if (c == '\n' || c == '\r')
            c = ' ';
    if (text.size() > kShown)
        text = text.substr(0, kShown) + "...";
    return text;
}

bool startsWith(const RegularFile& file, std::string_view magic)
{
    std::string head(magic.size(), '\0');
    return file.readAt(0, head.data(), head.size()) && head == magic;
}

std::string baseName(const std::string& path)
{
    const auto slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

// The permissions of the mapping of `file` that holds [address, address + size), from
// /proc/self/maps ("r--s"), or nullopt when no mapping of that file holds it.
std::optional<std::string> mappingOf(const RegularFile& file, Address address, ByteCount size)
{
    FILE* maps = std::fopen("/proc/self/maps", "re");
    if (!maps)
        return std::nullopt;
    std::optional<std::string> found;
    char line[4096];
    while (std::fgets(line, sizeof line, maps)) {
        unsigned long long first = 0, end = 0, offset = 0, inode = 0;
        unsigned major = 0, minor = 0;
        char permissions[8] = {};
        if (std::sscanf(line, "%llx-%llx %7s %llx %x:%x %llu", &first, &end, permissions, &offset, &major,
                        &minor, &inode) != 7)
            continue;
        if (address >= first && address + Address(size) <= end && inode == file.inode() &&
            major == ::major(dev_t(file.device())) && minor == ::minor(dev_t(file.device()))) {
            found = permissions;
            break;
        }
    }
    std::fclose(maps);
    return found;
}

} // namespace

NumpyFileSource::NumpyFileSource(std::string path, std::string member, SourceLimits limits)
    : m_path(std::move(path)), m_member(std::move(member)), m_limits(limits)
{
}

std::string NumpyFileSource::shownPath() const
{
    return quotedText(m_path, 200);
}

BuiltSource NumpyFileSource::build()
{
    std::string error;
    auto file = RegularFile::open(m_path, &error);
    if (!file)
        throw SourceError(error);
    const NpyBytes at = locate(*file);
    const OpenedArray opened = openArray(*file, at);
    BuiltSource built;
    built.object = opened.array;
    if (opened.bytes > 0)
        built.memory = memoryOf(*file, at, opened);
    return built;
}

// An .npy file is one array from its first byte; an .npz holds it as a member. Anything else is refused.
NumpyFileSource::NpyBytes NumpyFileSource::locate(const RegularFile& file) const
{
    if (startsWith(file, "\x93NUMPY")) {
        if (!m_member.empty())
            throw SourceError(shownPath() + " is an .npy file, which holds one array and no member " +
                              quotedText(m_member));
        NpyBytes at;
        at.length = file.size();
        at.what = baseName(m_path);
        return at;
    }
    if (NpzArchive::looksLikeZip(file))
        return locateMember(file);
    throw SourceError(shownPath() + " is not a numpy file: it starts neither with \\x93NUMPY (.npy) nor "
                                    "with a zip header (.npz)");
}

// The member's bytes inside the zip: a stored member is read where it lies, a deflated one inflated.
NumpyFileSource::NpyBytes NumpyFileSource::locateMember(const RegularFile& file) const
{
    std::string error;
    auto archive = NpzArchive::read(file, &error);
    if (!archive)
        throw SourceError(shownPath() + ": " + error);
    const std::vector<std::string> names = archive->memberNames();
    const std::string member = chooseMember(names);
    const NpzArchive::Entry* entry = archive->member(member);
    if (!entry)
        throw SourceError(shownPath() + " has no member " + quotedText(member) +
                          (names.empty() ? std::string(" (it holds no arrays)")
                                         : " (its members: " + NpzArchive::listed(names) + ")"));
    if (entry->encrypted())
        throw SourceError(shownPath() + ": member " + quotedText(member) + " is encrypted");
    auto offset = NpzArchive::dataOffset(file, *entry, &error);
    if (!offset)
        throw SourceError(shownPath() + ": " + error);
    NpyBytes at;
    at.start = *offset;
    at.length = entry->compressedSize;
    if (entry->method == NpzArchive::methodStored) {
        if (entry->compressedSize != entry->uncompressedSize)
            throw SourceError(shownPath() + ": member " + quotedText(member) +
                              " is stored, but its sizes differ (" + std::to_string(entry->compressedSize) +
                              " and " + std::to_string(entry->uncompressedSize) + " bytes)");
        at.what = "member " + quotedText(member) + " of " + baseName(m_path) + " (stored uncompressed)";
    } else if (entry->method == NpzArchive::methodDeflate) {
        at.inflate = true;
        at.crc = entry->crc;
        at.declared = entry->uncompressedSize;
        at.what = "member " + quotedText(member) + " of " + baseName(m_path) + " (deflate-compressed)";
    } else {
        throw SourceError(shownPath() + ": member " + quotedText(member) + " uses zip compression method " +
                          std::to_string(entry->method) + "; numpy writes only stored and deflate members");
    }
    return at;
}

// The member asked for, or the archive's only one.
std::string NumpyFileSource::chooseMember(const std::vector<std::string>& names) const
{
    if (!m_member.empty())
        return m_member;
    if (names.size() != 1)
        throw SourceError(shownPath() + (names.empty()
                                             ? std::string(" holds no arrays (no .npy members)")
                                             : " holds " + std::to_string(names.size()) +
                                                   " arrays; choose one of " + NpzArchive::listed(names)));
    return names.front();
}

// numpy (imported now, not when the interpreter warms up) reads the header and maps or inflates the data.
NumpyFileSource::OpenedArray NumpyFileSource::openArray(const RegularFile& file, const NpyBytes& at) const
{
    try {
        if (!PythonHost::enableSitePackages())
            throw py::error_already_set();
        try {
            py::module_::import("numpy");
        } catch (py::error_already_set& failure) {
            failure.restore();
            throw SourceError("numpy could not be imported (" + oneLine(takePythonError().oneLine()) + ")");
        }
        py::dict scope;
        scope["__builtins__"] = py::module_::import("builtins");
        py::exec(kLoaderSource, scope);
        py::tuple result =
            scope["open_array"](file.descriptor(), at.start, at.length, at.inflate,
                                std::max<ByteCount>(0, m_limits.allocationLimit), at.crc, at.declared);
        OpenedArray opened;
        opened.array = result[0];
        opened.offset = result[1].cast<std::int64_t>();
        opened.bytes = result[2].cast<ByteCount>();
        opened.fortran = result[3].cast<bool>();
        opened.dtype = result[4].cast<std::string>();
        return opened;
    } catch (py::error_already_set& failure) {
        failure.restore();
        throw openingError(at, takePythonError());
    }
}

// What the loader's exception says, as one line naming the file (and member) it is about.
SourceError NumpyFileSource::openingError(const NpyBytes& at, const PythonError& python) const
{
    const std::string shown = shownPath();
    // "a.npy" or "b.npz, member 'x'": which array the problem is in.
    const std::string where =
        at.what == baseName(m_path) ? shown : shown + ", " + at.what.substr(0, at.what.find(" of "));
    if (python.type == "Refused")
        return SourceError(where + ": " + oneLine(python.message));
    if (python.type == "KeyboardInterrupt")
        return SourceError("opening " + shown + " was interrupted (KeyboardInterrupt)", python);
    if (python.type == "MemoryError" || python.type == "OSError")
        return SourceError(where + ": " + oneLine(python.oneLine()), python);
    return SourceError(where + ": not a valid numpy array header (" + oneLine(python.oneLine()) + ")",
                       python);
}

// The array's bytes, with an owner that says which file bytes they are and how they came to memory.
MemoryBlock NumpyFileSource::memoryOf(const RegularFile& file, const NpyBytes& at,
                                      const OpenedArray& opened) const
{
    MemoryBlock block;
    block.base = py::cast<Address>(opened.array.attr("ctypes").attr("data"));
    block.size = opened.bytes;
    const std::string layout =
        " (dtype " + quotedText(opened.dtype) + (opened.fortran ? ", Fortran order)" : ", C order)");
    if (at.inflate) {
        block.owner =
            at.what + layout + ": decompressed into memory, since a compressed member cannot be mapped";
        return block;
    }
    const std::string range = "file bytes " + std::to_string(opened.offset) + "–" +
                              std::to_string(opened.offset + opened.bytes - 1);
    const auto mapped = mappingOf(file, block.base, opened.bytes);
    block.owner = at.what + layout + ": " + range +
                  (mapped ? ", memory-mapped read-only (" + *mapped + " in /proc/self/maps)"
                          : ", which numpy.memmap maps (not seen in /proc/self/maps)");
    return block;
}

} // namespace stridescope
