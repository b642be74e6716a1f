#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

namespace stridescope {

// Thrown through a future whose job was replaced by a newer one with the same tag.
struct SupersededError : std::runtime_error
{
    SupersededError() : std::runtime_error("superseded by a newer request") {}
};

// The one owner of the embedded interpreter. Python is initialised on a thread of its own and every
// Python call runs there, with the GIL held; any thread may submit work. The interpreter is isolated
// (PYTHONHOME, PYTHONPATH and argv are ignored) so the environment cannot break it.
class PythonHost
{
public:
    PythonHost();
    ~PythonHost();
    PythonHost(const PythonHost&) = delete;
    PythonHost& operator=(const PythonHost&) = delete;

    // The process-wide host (created on first use, finalised at exit).
    static PythonHost& instance();

    // Runs `job` on the Python thread with the GIL held. With a non-empty `tag`, a job with the same
    // tag that is still queued is dropped (its future throws SupersededError): the newest edit wins.
    template <class F>
    auto submit(F job, const std::string& tag = {}) -> std::future<std::invoke_result_t<F>>;

    // Convenience: submit and wait.
    template <class F>
    auto call(F job) -> std::invoke_result_t<F>
    {
        return submit(std::move(job)).get();
    }

    // Raises KeyboardInterrupt in the Python code that is running now (if any) from any thread,
    // without blocking the caller. Pure-Python loops stop within a second.
    void interrupt();
    bool isBusy() const { return m_busy.load(); }
    std::string pythonVersion() const { return m_version; }
    // Empty when the interpreter started; otherwise why it could not.
    std::string startupError() const { return m_startupError; }

private:
    // (implementation-defined: the helper that implements this class owns everything below)
};

} // namespace stridescope
