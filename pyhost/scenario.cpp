#include "scenario.h"

#include "core/quotedtext.h"

#include <filesystem>

namespace stridescope {

std::string Scenario::kindName(SourceKind kind)
{
    switch (kind) {
    case SourceKind::Strided:
        return "strided";
    case SourceKind::Python:
        return "python";
    case SourceKind::Memory:
        return "memory";
    case SourceKind::Snapshot:
        return "snapshot";
    case SourceKind::NumpyFile:
        return "npy";
    }
    return "strided";
}

std::string Scenario::consentKey() const
{
    std::string key = code;
    for (const std::string& folder : importPath) {
        key += '\0'; // no folder holds a NUL byte (importPathProblem), so the key is unambiguous
        key += folder;
    }
    return key;
}

std::optional<std::string> Scenario::addImportFolders(const std::vector<std::string>& folders)
{
    for (const std::string& folder : folders) {
        std::error_code error;
        const std::filesystem::path absolute = std::filesystem::absolute(folder, error);
        // "" stays "" (absolute() fails on it), for importPathProblem to name.
        importPath.push_back(folder.empty() || error ? folder : absolute.lexically_normal().string());
    }
    return importPathProblem(importPath);
}

std::optional<std::string> Scenario::importPathProblem(const std::vector<std::string>& folders)
{
    if (folders.size() > maximumImportFolders)
        return "at most " + std::to_string(maximumImportFolders) + " import folders, not " +
               std::to_string(folders.size());
    for (const std::string& folder : folders) {
        if (folder.empty())
            return "an import folder is an empty path";
        if (folder.size() > maximumImportFolderLength)
            return "an import folder's path is longer than " + std::to_string(maximumImportFolderLength) +
                   " bytes";
        if (folder.find('\0') != std::string::npos)
            return "an import folder's path holds a NUL byte";
        if (folder.front() != '/')
            return "the import folder " + quotedText(folder, maximumImportFolderLength) +
                   " is not an absolute path";
    }
    return std::nullopt;
}

} // namespace stridescope
