#pragma once

#include "core/units.h"

#include <cstddef>

namespace stridescope {

// What the console's interpreter and the window hold each other to (both check).
struct ConsoleLimits
{
    // A command that calls show() in a loop must not flood the window with reports.
    static constexpr int maximumShowsPerCommand = 100;
    static constexpr std::size_t maximumCompletions = 200;
    static constexpr std::size_t maximumCommandLength = std::size_t(1) << 20;
    // Bytes of each memory block a shown report carries: reports travel inline in one message
    // (WorkerMessage::kMaxPayload), two snapshots each.
    static constexpr ByteCount maximumSnapshotBytes = ByteCount(16) << 20;
};

} // namespace stridescope
