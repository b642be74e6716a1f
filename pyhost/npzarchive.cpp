#include "npzarchive.h"

#include "core/quotedtext.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace stridescope {

namespace {

constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kEndOfDirectory = 0x06054b50;
constexpr std::uint32_t kZip64EndOfDirectory = 0x06064b50;
constexpr std::uint32_t kZip64Locator = 0x07064b50;
constexpr std::size_t kEndSize = 22;
constexpr std::size_t kLocatorSize = 20;
constexpr std::size_t kZip64EndSize = 56;
constexpr std::size_t kCentralSize = 46;
constexpr std::size_t kLocalSize = 30;
constexpr std::size_t kMaximumComment = 65535;
constexpr std::uint32_t kMissing32 = 0xFFFFFFFFu;
constexpr std::uint16_t kMissing16 = 0xFFFFu;

// Little-endian fields at `at` of a buffer already known to hold them.
std::uint16_t u16(const unsigned char* p)
{
    return std::uint16_t(p[0] | (p[1] << 8));
}
std::uint32_t u32(const unsigned char* p)
{
    return std::uint32_t(u16(p)) | (std::uint32_t(u16(p + 2)) << 16);
}
std::uint64_t u64(const unsigned char* p)
{
    return std::uint64_t(u32(p)) | (std::uint64_t(u32(p + 4)) << 32);
}

// The zip64 extended information extra field (id 1) supplies, in this order, each of the
// uncompressed size, compressed size and local header offset that the fixed fields mark 0xFFFFFFFF.
bool applyZip64Extra(const unsigned char* extra, std::size_t length, NpzArchive::Entry& entry,
                     bool needUncompressed, bool needCompressed, bool needOffset)
{
    std::size_t at = 0;
    while (at + 4 <= length) {
        const std::uint16_t id = u16(extra + at);
        const std::uint16_t size = u16(extra + at + 2);
        if (at + 4 + size > length)
            return false;
        if (id == 1) {
            const unsigned char* field = extra + at + 4;
            std::size_t used = 0;
            const auto take = [&](std::uint64_t& value) {
                if (used + 8 > size)
                    return false;
                value = u64(field + used);
                used += 8;
                return true;
            };
            return (!needUncompressed || take(entry.uncompressedSize)) &&
                   (!needCompressed || take(entry.compressedSize)) &&
                   (!needOffset || take(entry.localHeaderOffset));
        }
        at += 4 + size;
    }
    return !needUncompressed && !needCompressed && !needOffset;
}

// Says in `why` what is wrong, for the steps of NpzArchive::read.
std::nullopt_t failed(std::string& why, std::string text)
{
    why = std::move(text);
    return std::nullopt;
}

} // namespace

bool NpzArchive::looksLikeZip(const RegularFile& file)
{
    unsigned char head[4];
    if (!file.readAt(0, head, sizeof head))
        return false;
    const std::uint32_t signature = u32(head);
    return signature == kLocalHeader || signature == kEndOfDirectory;
}

std::optional<NpzArchive> NpzArchive::read(const RegularFile& file, std::string* error)
{
    std::string why;
    std::optional<NpzArchive> archive;
    if (const auto directory = findDirectory(file, why))
        archive = readDirectory(file, *directory, why);
    if (!archive && error)
        *error = why;
    return archive;
}

std::optional<NpzArchive::Directory> NpzArchive::findDirectory(const RegularFile& file, std::string& why)
{
    const std::uint64_t fileSize = file.size();
    if (fileSize < kEndSize)
        return failed(why, "not a zip archive: it is too short to hold a zip directory");
    // The end-of-directory record is the last thing in the file, followed by a comment of at most
    // 64 KiB: search that tail backwards for a record whose comment ends exactly at the end.
    const std::uint64_t tailSize = std::min<std::uint64_t>(fileSize, kEndSize + kMaximumComment);
    std::vector<unsigned char> tail(tailSize);
    if (!file.readAt(fileSize - tailSize, tail.data(), tail.size()))
        return failed(why, "the file could not be read");
    std::optional<std::size_t> end;
    for (std::size_t at = tail.size() - kEndSize + 1; at-- > 0;) {
        if (u32(&tail[at]) == kEndOfDirectory && at + kEndSize + u16(&tail[at + 20]) == tail.size()) {
            end = at;
            break;
        }
    }
    if (!end)
        return failed(why, "not a zip archive: no end-of-directory record at its end");
    const unsigned char* e = &tail[*end];
    const Directory directory{u16(e + 10), u32(e + 12), u32(e + 16)};
    if (u16(e + 4) != 0 || u16(e + 6) != 0)
        return failed(why, "a zip archive split over several disks is not supported");
    if (directory.entryCount == kMissing16 || directory.size == kMissing32 || directory.offset == kMissing32)
        return findZip64Directory(file, fileSize - tailSize + *end, why);
    return directory;
}

std::optional<NpzArchive::Directory> NpzArchive::findZip64Directory(const RegularFile& file,
                                                                    std::uint64_t endOffset, std::string& why)
{
    // Zip64: a locator right before the record points to the zip64 end-of-directory record.
    const std::uint64_t fileSize = file.size();
    unsigned char locator[kLocatorSize];
    if (endOffset < kLocatorSize || !file.readAt(endOffset - kLocatorSize, locator, sizeof locator) ||
        u32(locator) != kZip64Locator)
        return failed(why, "the zip64 end-of-directory locator is missing");
    const std::uint64_t zip64End = u64(locator + 8);
    unsigned char record[kZip64EndSize];
    if (zip64End > fileSize || fileSize - zip64End < kZip64EndSize ||
        !file.readAt(zip64End, record, sizeof record) || u32(record) != kZip64EndOfDirectory)
        return failed(why, "the zip64 end-of-directory record is not where its locator says");
    return Directory{u64(record + 32), u64(record + 40), u64(record + 48)};
}

std::optional<NpzArchive> NpzArchive::readDirectory(const RegularFile& file, const Directory& directory,
                                                    std::string& why)
{
    const std::uint64_t fileSize = file.size();
    if (directory.entryCount > maximumEntries)
        return failed(why, "the zip archive has " + std::to_string(directory.entryCount) +
                               " entries; at most " + std::to_string(maximumEntries) + " are read");
    if (directory.size > maximumDirectoryBytes)
        return failed(why, "the zip directory has " + std::to_string(directory.size) + " bytes; at most " +
                               std::to_string(maximumDirectoryBytes) + " are read");
    if (directory.offset > fileSize || directory.size > fileSize - directory.offset)
        return failed(why, "the zip directory (" + std::to_string(directory.size) + " bytes at offset " +
                               std::to_string(directory.offset) + ") lies outside the " +
                               std::to_string(fileSize) + "-byte file");
    std::vector<unsigned char> bytes(directory.size);
    if (!file.readAt(directory.offset, bytes.data(), bytes.size()))
        return failed(why, "the zip directory could not be read");
    NpzArchive archive;
    archive.m_entries.reserve(directory.entryCount);
    std::size_t at = 0;
    for (std::uint64_t i = 0; i < directory.entryCount; ++i) {
        auto entry = readEntry(bytes, at, i, why);
        if (!entry)
            return std::nullopt;
        archive.m_entries.push_back(std::move(*entry));
    }
    return archive;
}

std::optional<NpzArchive::Entry> NpzArchive::readEntry(const std::vector<unsigned char>& directory,
                                                       std::size_t& at, std::uint64_t index, std::string& why)
{
    if (directory.size() - at < kCentralSize || u32(&directory[at]) != kCentralHeader)
        return failed(why, "zip directory entry " + std::to_string(index + 1) + " is damaged");
    const unsigned char* c = &directory[at];
    const std::size_t nameLength = u16(c + 28), extraLength = u16(c + 30), commentLength = u16(c + 32);
    if (directory.size() - at - kCentralSize < nameLength + extraLength + commentLength)
        return failed(why, "zip directory entry " + std::to_string(index + 1) + " runs past the directory");
    Entry entry;
    entry.flags = u16(c + 8);
    entry.method = u16(c + 10);
    entry.crc = u32(c + 16);
    entry.compressedSize = u32(c + 20);
    entry.uncompressedSize = u32(c + 24);
    entry.localHeaderOffset = u32(c + 42);
    entry.name.assign(reinterpret_cast<const char*>(c + kCentralSize), nameLength);
    if (!applyZip64Extra(c + kCentralSize + nameLength, extraLength, entry,
                         entry.uncompressedSize == kMissing32, entry.compressedSize == kMissing32,
                         entry.localHeaderOffset == kMissing32))
        return failed(why, "zip directory entry " + quotedText(entry.name) + " lacks its zip64 sizes");
    at += kCentralSize + nameLength + extraLength + commentLength;
    return entry;
}

std::vector<std::string> NpzArchive::memberNames() const
{
    std::vector<std::string> names;
    for (const Entry& entry : m_entries)
        if (entry.name.size() > 4 && entry.name.ends_with(".npy"))
            names.push_back(entry.name.substr(0, entry.name.size() - 4));
    return names;
}

const NpzArchive::Entry* NpzArchive::member(const std::string& name) const
{
    for (const Entry& entry : m_entries)
        if (entry.name == name + ".npy")
            return &entry;
    for (const Entry& entry : m_entries)
        if (entry.name == name && name.ends_with(".npy"))
            return &entry;
    return nullptr;
}

std::string NpzArchive::listed(const std::vector<std::string>& names)
{
    std::string text;
    const std::size_t shown = std::min(names.size(), namesShown);
    for (std::size_t i = 0; i < shown; ++i)
        text += (i ? ", " : "") + quotedText(names[i], 40);
    if (names.size() > shown)
        text += " and " + std::to_string(names.size() - shown) + " more";
    return text;
}

std::optional<std::uint64_t> NpzArchive::dataOffset(const RegularFile& file, const Entry& entry,
                                                    std::string* error)
{
    const auto fail = [&](const std::string& why) {
        if (error)
            *error = "member " + quotedText(entry.name) + ": " + why;
        return std::nullopt;
    };
    const std::uint64_t fileSize = file.size();
    unsigned char local[kLocalSize];
    if (entry.localHeaderOffset > fileSize || fileSize - entry.localHeaderOffset < kLocalSize ||
        !file.readAt(entry.localHeaderOffset, local, sizeof local))
        return fail("its local header offset " + std::to_string(entry.localHeaderOffset) +
                    " lies outside the " + std::to_string(fileSize) + "-byte file");
    if (u32(local) != kLocalHeader)
        return fail("there is no local file header at offset " + std::to_string(entry.localHeaderOffset));
    // The local header repeats the entry's name: a directory entry pointing at another member's
    // header (or at bytes that merely look like one) is caught here.
    const std::size_t nameLength = u16(local + 26);
    std::string name(nameLength, '\0');
    if (nameLength != entry.name.size() ||
        !file.readAt(entry.localHeaderOffset + kLocalSize, name.data(), nameLength) || name != entry.name)
        return fail("the local header at offset " + std::to_string(entry.localHeaderOffset) +
                    " belongs to another entry");
    const std::uint64_t data = entry.localHeaderOffset + kLocalSize + nameLength + u16(local + 28);
    if (data > fileSize || entry.compressedSize > fileSize - data)
        return fail("its " + std::to_string(entry.compressedSize) + " bytes at offset " +
                    std::to_string(data) + " run past the end of the " + std::to_string(fileSize) +
                    "-byte file");
    return data;
}

} // namespace stridescope
