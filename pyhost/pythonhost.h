#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <variant>

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
    template <class F> auto call(F job) -> std::invoke_result_t<F> { return submit(std::move(job)).get(); }

    // Puts the site directories (dist-packages: numpy, the user's modules) on sys.path and runs
    // their .pth files and sitecustomize, as `python3` does at start. The interpreter starts
    // without them: they cost a third of its start-up, and only user code needs them. Call on the
    // Python thread; later calls do nothing. False, with the Python error set, if site failed.
    static bool enableSitePackages();

    // Raises KeyboardInterrupt in the Python code that is running now (if any) from any thread,
    // without blocking the caller. Pure-Python loops stop within a second.
    void interrupt();
    bool isBusy() const { return m_busy.load(); }
    std::string pythonVersion() const { return m_version; }
    // Empty when the interpreter started; otherwise why it could not.
    std::string startupError() const { return m_startupError; }

private:
    // One queued job. The three parts let the Python thread run a job with the GIL held, then mark
    // itself idle before the future becomes ready (so isBusy() is false once get() returns).
    struct Job
    {
        std::string tag;
        std::function<void()> execute;                // runs the job and keeps its result (GIL held)
        std::function<void()> deliver;                // hands the kept result to the future
        std::function<void(std::exception_ptr)> fail; // never ran: the future throws `error`
    };
    // Everything the Python thread touches. Shared with that thread so that a host whose job is
    // stuck in C code at exit can let the thread go (detach) without it touching freed memory.
    struct State;

    void enqueue(Job job);
    // An exception that is safe to keep in a future: pybind11::error_already_set owns Python
    // objects, which must not be released on another thread or after finalisation.
    static std::exception_ptr portableException(std::exception_ptr error) noexcept;

    std::shared_ptr<State> m_state;
    std::atomic<bool>& m_busy; // lives in m_state
    std::string m_version;
    std::string m_startupError;
};

// Jobs and their results must not hold Python objects beyond the job: a future may be read, and a
// superseded job dropped, on another thread without the GIL. Calling call() from inside a job
// deadlocks (the job would wait for itself).
template <class F>
auto PythonHost::submit(F job, const std::string& tag) -> std::future<std::invoke_result_t<F>>
{
    using Result = std::invoke_result_t<F>;
    static_assert(!std::is_reference_v<Result>, "a job must return a value, not a reference");
    using Stored = std::conditional_t<std::is_void_v<Result>, std::monostate, Result>;
    struct Task
    {
        std::optional<F> job;
        std::promise<Result> promise;
        std::optional<Stored> value;
        std::exception_ptr error;
    };
    // std::function needs copyable targets; the task is shared by the three parts of the job.
    auto task = std::make_shared<Task>();
    task->job.emplace(std::move(job));
    std::future<Result> future = task->promise.get_future();

    Job entry;
    entry.tag = tag;
    entry.execute = [task] {
        try {
            if constexpr (std::is_void_v<Result>) {
                (*task->job)();
                task->value.emplace();
            } else {
                task->value.emplace((*task->job)());
            }
        } catch (...) {
            task->error = portableException(std::current_exception());
        }
        task->job.reset(); // the job's captures die here, on the Python thread with the GIL held
    };
    entry.deliver = [task] {
        if (task->error) {
            task->promise.set_exception(task->error);
        } else if constexpr (std::is_void_v<Result>) {
            task->promise.set_value();
        } else {
            task->promise.set_value(std::move(*task->value));
        }
    };
    entry.fail = [task](std::exception_ptr error) { task->promise.set_exception(std::move(error)); };
    enqueue(std::move(entry));
    return future;
}

} // namespace stridescope
