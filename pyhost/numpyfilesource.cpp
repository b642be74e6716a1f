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

BuiltSource NumpyFileSource::build()
{
    const std::string shownPath = quotedText(m_path, 200);
    std::string error;
    auto file = RegularFile::open(m_path, &error);
    if (!file)
        throw SourceError(error);

    // Where the .npy bytes are: the whole file, or one member of the zip.
    std::uint64_t start = 0, length = file->size();
    bool inflate = false;
    std::uint32_t crc = 0;
    std::uint64_t declared = 0;
    std::string what; // "a.npy" or "member 'x' of b.npz (stored)"
    if (startsWith(*file, "\x93NUMPY")) {
        if (!m_member.empty())
            throw SourceError(shownPath + " is an .npy file, which holds one array and no member " +
                              quotedText(m_member));
        what = baseName(m_path);
    } else if (NpzArchive::looksLikeZip(*file)) {
        auto archive = NpzArchive::read(*file, &error);
        if (!archive)
            throw SourceError(shownPath + ": " + error);
        const std::vector<std::string> names = archive->memberNames();
        std::string member = m_member;
        if (member.empty()) {
            if (names.size() != 1)
                throw SourceError(
                    shownPath + (names.empty() ? std::string(" holds no arrays (no .npy members)")
                                               : " holds " + std::to_string(names.size()) +
                                                     " arrays; choose one of " + NpzArchive::listed(names)));
            member = names.front();
        }
        const NpzArchive::Entry* entry = archive->member(member);
        if (!entry)
            throw SourceError(shownPath + " has no member " + quotedText(member) +
                              (names.empty() ? std::string(" (it holds no arrays)")
                                             : " (its members: " + NpzArchive::listed(names) + ")"));
        if (entry->encrypted())
            throw SourceError(shownPath + ": member " + quotedText(member) + " is encrypted");
        auto offset = NpzArchive::dataOffset(*file, *entry, &error);
        if (!offset)
            throw SourceError(shownPath + ": " + error);
        start = *offset;
        length = entry->compressedSize;
        if (entry->method == NpzArchive::methodStored) {
            if (entry->compressedSize != entry->uncompressedSize)
                throw SourceError(shownPath + ": member " + quotedText(member) +
                                  " is stored, but its sizes differ (" +
                                  std::to_string(entry->compressedSize) + " and " +
                                  std::to_string(entry->uncompressedSize) + " bytes)");
            what = "member " + quotedText(member) + " of " + baseName(m_path) + " (stored uncompressed)";
        } else if (entry->method == NpzArchive::methodDeflate) {
            inflate = true;
            crc = entry->crc;
            declared = entry->uncompressedSize;
            what = "member " + quotedText(member) + " of " + baseName(m_path) + " (deflate-compressed)";
        } else {
            throw SourceError(shownPath + ": member " + quotedText(member) + " uses zip compression method " +
                              std::to_string(entry->method) +
                              "; numpy writes only stored and deflate members");
        }
    } else {
        throw SourceError(shownPath + " is not a numpy file: it starts neither with \\x93NUMPY (.npy) nor "
                                      "with a zip header (.npz)");
    }

    py::object array;
    std::int64_t offset = -1;
    ByteCount bytes = 0;
    bool fortran = false;
    std::string dtype;
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
        py::tuple opened =
            scope["open_array"](file->descriptor(), start, length, inflate,
                                std::max<ByteCount>(0, m_limits.allocationLimit), crc, declared);
        array = opened[0];
        offset = opened[1].cast<std::int64_t>();
        bytes = opened[2].cast<ByteCount>();
        fortran = opened[3].cast<bool>();
        dtype = opened[4].cast<std::string>();
    } catch (py::error_already_set& failure) {
        failure.restore();
        const PythonError python = takePythonError();
        // "a.npy" or "b.npz, member 'x'": which array the problem is in.
        const std::string where =
            what == baseName(m_path) ? shownPath : shownPath + ", " + what.substr(0, what.find(" of "));
        if (python.type == "Refused")
            throw SourceError(where + ": " + oneLine(python.message));
        if (python.type == "KeyboardInterrupt")
            throw SourceError("opening " + shownPath + " was interrupted (KeyboardInterrupt)", python);
        if (python.type == "MemoryError" || python.type == "OSError")
            throw SourceError(where + ": " + oneLine(python.oneLine()), python);
        throw SourceError(where + ": not a valid numpy array header (" + oneLine(python.oneLine()) + ")",
                          python);
    }

    BuiltSource built;
    built.object = array;
    if (bytes > 0) {
        MemoryBlock block;
        block.base = py::cast<Address>(array.attr("ctypes").attr("data"));
        block.size = bytes;
        const std::string layout =
            " (dtype " + quotedText(dtype) + (fortran ? ", Fortran order)" : ", C order)");
        if (inflate) {
            block.owner =
                what + layout + ": decompressed into memory, since a compressed member cannot be mapped";
        } else {
            const std::string range =
                "file bytes " + std::to_string(offset) + "–" + std::to_string(offset + bytes - 1);
            const auto mapped = mappingOf(*file, block.base, bytes);
            block.owner = what + layout + ": " + range +
                          (mapped ? ", memory-mapped read-only (" + *mapped + " in /proc/self/maps)"
                                  : ", which numpy.memmap maps (not seen in /proc/self/maps)");
        }
        built.memory = block;
    }
    return built;
}

} // namespace stridescope
