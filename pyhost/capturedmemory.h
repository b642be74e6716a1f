#pragma once

#include "core/units.h"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace stridescope {

// What a snapshot source holds besides its layout (Scenario::strided): the bytes of the memory block
// its elements live in, captured from another exporter (SnapshotCapture), and where they came from.
// The bytes are shared and never change, so copies of a scenario (undo steps, reports) cost nothing.
struct CapturedMemory
{
    // The most bytes a snapshot holds: base64 makes them 4/3 as many characters, and the file must
    // stay under the 16 MiB a scenario file may have (ScenarioFileReader), with room for the rest.
    static constexpr ByteCount maximumSize = ByteCount(8) << 20;
    // The request the exporter answered when it was captured (SnapshotCapture asks for this one).
    static constexpr const char* captureRequest = "PyBUF_FULL_RO";
    // The longest type name or request name kept (a type's tp_name may be anything).
    static constexpr std::size_t maximumNameLength = 256;

    std::shared_ptr<const std::vector<std::uint8_t>> bytes; // the whole block, Scenario::strided.memory bytes
    std::string capturedFrom;                               // the exporter's type name ("numpy.ndarray")
    std::string capturedWith = captureRequest;              // the request it answered

    const std::vector<std::uint8_t>& data() const
    {
        static const std::vector<std::uint8_t> none;
        return bytes ? *bytes : none;
    }
    bool operator==(const CapturedMemory& other) const
    {
        return (bytes == other.bytes || data() == other.data()) && capturedFrom == other.capturedFrom &&
               capturedWith == other.capturedWith;
    }
};

} // namespace stridescope
