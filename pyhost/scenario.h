#pragma once

#include "capturedmemory.h"
#include "core/conversionrequest.h"
#include "scenariocomparison.h"
#include "stridedsourcespec.h"

#include <optional>
#include <string>
#include <vector>

namespace stridescope {

// Everything one inspection needs: the source to build and the request to make.
// The scenario file (JSON, see README) is this struct written out.
struct Scenario
{
    enum class SourceKind
    {
        Strided,
        Python,
        Memory,
        Snapshot,
        NumpyFile
    };

    SourceKind kind = SourceKind::Strided;
    StridedSourceSpec strided; // Strided, Memory and Snapshot (its layout) kinds
    MemoryViewFunction memoryFunction = MemoryViewFunction::FromBuffer; // Memory kind
    std::string code;                                                   // Python kind
    // Python kind: folders put at the front of sys.path before the code runs (as PYTHONPATH does),
    // so the code can import an extension module under development. Absolute paths.
    std::vector<std::string> importPath;
    CapturedMemory captured; // Snapshot kind: the block's bytes and their origin
    std::string path;        // NumpyFile kind: the .npy or .npz file
    std::string member;      // NumpyFile kind: the .npz member ("" = its only one)
    ConversionRequest request;
    // Python kind: two objects of the code's namespace, side by side (nullopt: the one object).
    std::optional<ScenarioComparison> compare;

    // Python code runs only for the Python kind; the others are data, built by Stridescope itself
    // (a snapshot too: its bytes are data, exported by Stridescope's own exporter).
    bool runsUserCode() const { return kind == SourceKind::Python; }

    static std::string kindName(SourceKind kind);

    // What a user consents to when they let a scenario's code run: the code, and the folders it
    // imports from (the same code importing from another folder runs other code).
    std::string consentKey() const;

    // Bounds of importPath: what a scenario file or the command line may give.
    static constexpr std::size_t maximumImportFolders = 32;
    static constexpr std::size_t maximumImportFolderLength = 4096; // PATH_MAX
    // Why `folders` cannot be an import path (one line), or nothing when it can: each folder
    // absolute, non-empty, at most maximumImportFolderLength bytes, no NUL byte; at most
    // maximumImportFolders of them. Whether they exist is checked when the code runs.
    static std::optional<std::string> importPathProblem(const std::vector<std::string>& folders);
    // Appends folders named on the command line, each made absolute against the current directory;
    // returns importPathProblem of the result (then the scenario is not to be used).
    std::optional<std::string> addImportFolders(const std::vector<std::string>& folders);

    bool operator==(const Scenario&) const = default;
};

} // namespace stridescope
