#pragma once

#include <pybind11/pybind11.h>

#include <cstddef>
#include <memory>
#include <string>

namespace stridescope {

// While alive, sys.stdout and sys.stderr write into one buffer that keeps the first `limit` bytes
// (UTF-8) and drops the rest, so a scenario printing gigabytes costs neither memory nor quadratic
// time. sys.stdin is an empty stream meanwhile, so input() fails at once instead of blocking the
// Python thread. Construct, use and destroy with the GIL held.
class OutputCapture
{
public:
    // Throws pybind11::error_already_set if the streams cannot be replaced.
    explicit OutputCapture(std::size_t limit);
    ~OutputCapture(); // restores the streams
    OutputCapture(const OutputCapture&) = delete;
    OutputCapture& operator=(const OutputCapture&) = delete;

    // Puts the original streams back (also if the code replaced or deleted them). Idempotent;
    // keeps a pending Python exception as it was. Later writes to the capture are dropped.
    void restore() noexcept;

    // What was written so far, stdout and stderr interleaved in order.
    std::string text() const;
    bool truncated() const;

private:
    struct Buffer; // shared with the writer object, which user code may keep beyond the capture

    std::shared_ptr<Buffer> m_buffer;
    pybind11::object m_stdout;
    pybind11::object m_stderr;
    pybind11::object m_stdin;
    bool m_restored = false;
};

} // namespace stridescope
