#pragma once

#include "regularfile.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace stridescope {

// The members of an .npz file (a zip archive of .npy files, as numpy.savez writes it), read from
// the zip's central directory, and where a member's bytes start (its local header). Every offset
// and size from the file is checked against the file's size before it is used: a hostile archive
// gets one line naming what is wrong, never a read outside the file or unbounded work.
class NpzArchive
{
public:
    struct Entry
    {
        std::string name;         // the entry's name in the zip ("x.npy")
        std::uint16_t method = 0; // 0 stored, 8 deflate
        std::uint16_t flags = 0;  // bit 0: encrypted
        std::uint32_t crc = 0;
        std::uint64_t compressedSize = 0;
        std::uint64_t uncompressedSize = 0;
        std::uint64_t localHeaderOffset = 0;

        bool stored() const { return method == 0; }
        bool encrypted() const { return flags & 1u; }
    };
    static constexpr std::uint16_t methodStored = 0;
    static constexpr std::uint16_t methodDeflate = 8;

    // More entries than this, or a longer central directory, is refused (reading it is the bound).
    static constexpr std::size_t maximumEntries = 65536;
    static constexpr std::uint64_t maximumDirectoryBytes = std::uint64_t(64) << 20;
    // Member names shown in a one-line message; the rest are counted.
    static constexpr std::size_t namesShown = 20;

    // Whether the file starts like a zip archive ("PK\3\4", or "PK\5\6" for an empty one).
    static bool looksLikeZip(const RegularFile& file);

    // The archive's entries, or nullopt with `error` (one line, without the file's name).
    static std::optional<NpzArchive> read(const RegularFile& file, std::string* error);

    const std::vector<Entry>& entries() const { return m_entries; }
    // The arrays numpy.load names: entries ending in ".npy", without that suffix, in archive order.
    std::vector<std::string> memberNames() const;
    // The entry of member `name` ("x" or "x.npy"), or nullptr.
    const Entry* member(const std::string& name) const;
    // "x, y, z" (quoted, at most namesShown of them, then "and N more").
    static std::string listed(const std::vector<std::string>& names);

    // Where the entry's data starts in the file, past its local header; nullopt with `error` when
    // the local header is not there or the data would run past the end of the file.
    static std::optional<std::uint64_t> dataOffset(const RegularFile& file, const Entry& entry,
                                                   std::string* error);

private:
    // Where the central directory lies, from the end-of-directory record (or its zip64 form).
    struct Directory
    {
        std::uint64_t entryCount = 0;
        std::uint64_t size = 0;
        std::uint64_t offset = 0;
    };
    // The steps of read(); each says in `why` what is wrong when it returns nullopt.
    static std::optional<Directory> findDirectory(const RegularFile& file, std::string& why);
    static std::optional<Directory> findZip64Directory(const RegularFile& file, std::uint64_t endOffset,
                                                       std::string& why);
    static std::optional<NpzArchive> readDirectory(const RegularFile& file, const Directory& directory,
                                                   std::string& why);
    // The entry at `at` of the directory's bytes (its `index`th), moving `at` past it.
    static std::optional<Entry> readEntry(const std::vector<unsigned char>& directory, std::size_t& at,
                                          std::uint64_t index, std::string& why);

    std::vector<Entry> m_entries;
};

} // namespace stridescope
