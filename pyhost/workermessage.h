#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace stridescope {

// Thrown when a message from the other process is malformed (user code in the worker may write
// anything to any descriptor it finds).
struct WireError : std::runtime_error
{
    using std::runtime_error::runtime_error;
};

// What the supervising process and its interpreter worker say to each other over their socket.
// A frame is a fixed header (magic, kind, payload length) and a payload in ReportCodec's encoding.
// Both ends are the same build, so the encoding is native, not portable.
struct WorkerMessage
{
    enum class Kind : std::uint32_t
    {
        Ready = 1,     // worker -> supervisor: the interpreter started (payload: version, error)
        Inspect = 2,   // supervisor -> worker: Scenario + Inspector::Options
        Interrupt = 3, // supervisor -> worker: raise KeyboardInterrupt in the running code
        Report = 4,    // worker -> supervisor: InspectionReport
        Failure = 5,   // worker -> supervisor: SourceError (the source could not be built)
        // The interactive console (a worker of its own, kept between commands):
        ConsoleStart = 6,        // supervisor -> worker: ReportCodec::ConsoleStart; ConsoleDone follows
        ConsoleRun = 7,          // supervisor -> worker: a command; Reports (show()), then ConsoleDone
        ConsoleComplete = 8,     // supervisor -> worker: the text to complete; ConsoleCompletions follows
        ConsoleDone = 9,         // worker -> supervisor: ConsoleAnswer
        ConsoleCompletions = 10, // worker -> supervisor: the completions, a list of strings
    };
    static constexpr std::uint32_t kMagic = 0x31575353; // "SSW1"
    static constexpr std::size_t kHeaderSize = 16;
    // Larger payloads are refused (the worker may be hostile: it runs user code). Snapshots travel
    // through shared memory, so a report is small; a frozen pointer table of 4 M rows fits.
    static constexpr std::uint64_t kMaxPayload = std::uint64_t(128) << 20;

    static std::string header(Kind kind, std::uint64_t payloadSize);
    // Reads a header; throws WireError when it is not one of ours.
    static std::pair<Kind, std::uint64_t> parseHeader(std::string_view bytes);
    static std::string frame(Kind kind, const std::string& payload)
    {
        return header(kind, payload.size()) + payload;
    }
};

} // namespace stridescope
