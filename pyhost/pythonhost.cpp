#include "pythonhost.h"

#include "pythonerrorcapture.h"
#include "stridedbuffertype.h"

#include <pybind11/embed.h>

#include <Python.h>

#include <algorithm>
#include <chrono>
#include <cstdint>

#ifndef STRIDESCOPE_PYTHON_PREFIX
#error "STRIDESCOPE_PYTHON_PREFIX must name the prefix of the Python to embed (pyhost/CMakeLists.txt)"
#endif
#ifndef STRIDESCOPE_PYTHON_EXECUTABLE
#error "STRIDESCOPE_PYTHON_EXECUTABLE must name the Python to embed (pyhost/CMakeLists.txt)"
#endif

namespace stridescope {

namespace {

// CPython has one main interpreter per process; a second host must not initialise or finalise it.
std::atomic<bool> g_interpreterOwned{false};

// How long the destructor waits for the Python thread. A job stuck in C code cannot be
// interrupted, and waiting for it would hang the end of the program.
constexpr auto kShutdownGrace = std::chrono::seconds(3);
constexpr auto kInterruptRepeat = std::chrono::milliseconds(100);

std::string describeStatus(const PyStatus& status)
{
    if (PyStatus_IsExit(status))
        return "Python exited with code " + std::to_string(status.exitcode) + " while starting";
    std::string text = status.err_msg ? status.err_msg : "unknown error";
    if (status.func)
        text = std::string(status.func) + ": " + text;
    return "Python could not start: " + text;
}

// `_stridescope`, built into every interpreter PythonHost starts: it holds StridedBuffer. Registered
// when the interpreter is started, not at static initialisation (PYBIND11_EMBEDDED_MODULE): this
// library is also linked into the `stridescope` extension module, which a running interpreter loads.
pybind11::module_::module_def g_embeddedModuleDef;

PyObject* initEmbeddedModule()
{
    try {
        auto m = pybind11::module_::create_extension_module(StridedBufferType::embeddedModuleName,
                                                            "Stridescope's native buffer exporter",
                                                            &g_embeddedModuleDef);
        StridedBufferType::addTo(m, "_stridescope.StridedBuffer");
        return m.ptr(); // as PYBIND11_MODULE: create_extension_module holds a reference of its own
    } catch (pybind11::error_already_set& e) {
        e.restore();
    } catch (const std::exception& e) {
        PyErr_SetString(PyExc_ImportError, e.what());
    }
    return nullptr;
}

// Initialises an isolated interpreter on the calling thread. Returns why it failed, or "".
std::string initialiseInterpreter()
{
    if (Py_IsInitialized())
        return "Python is already running in this process, started by someone else";
    // Py_FinalizeEx resets the table of built-in modules: add it before each start.
    if (PyImport_AppendInittab(StridedBufferType::embeddedModuleName, initEmbeddedModule) < 0)
        return "Python could not start: no memory to add the module _stridescope";

    // UTF-8 mode: file names and text are UTF-8 whatever the process locale (the host may start
    // before the GUI toolkit sets the locale from the environment).
    PyPreConfig preconfig;
    PyPreConfig_InitIsolatedConfig(&preconfig);
    preconfig.utf8_mode = 1;
    PyStatus status = Py_PreInitialize(&preconfig);
    if (PyStatus_Exception(status))
        return describeStatus(status);

    // Isolated: PYTHONHOME, PYTHONPATH, the user site and argv are ignored. home and executable are
    // explicit because getpath would otherwise search PATH for "python3" and may find a different
    // installation whose standard library does not match the library we link.
    PyConfig config;
    PyConfig_InitIsolatedConfig(&config);
    config.install_signal_handlers = 0; // embedded: SIGINT and friends belong to the application
    config.site_import = 0;             // site's paths come later, when needed: enableSitePackages()
    config.user_site_directory = 0;
    config.parse_argv = 0;
    status = PyConfig_SetBytesString(&config, &config.home, STRIDESCOPE_PYTHON_PREFIX);
    if (!PyStatus_Exception(status))
        status = PyConfig_SetBytesString(&config, &config.program_name, STRIDESCOPE_PYTHON_EXECUTABLE);
    if (!PyStatus_Exception(status))
        status = PyConfig_SetBytesString(&config, &config.executable, STRIDESCOPE_PYTHON_EXECUTABLE);
    if (!PyStatus_Exception(status))
        status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(status))
        return describeStatus(status);
    return {};
}

std::string versionNumber()
{
    std::string version = Py_GetVersion(); // "3.11.2 (main, ...) [GCC ...]"
    return version.substr(0, version.find(' '));
}

} // namespace

struct PythonHost::State
{
    std::mutex mutex;
    std::condition_variable wake;     // the Python thread: a job arrived, or stop
    std::condition_variable finished; // the destructor: the Python thread is done
    std::deque<Job> queue;
    bool stopping = false;
    bool done = false;
    std::string startupError; // both written once, before the constructor returns
    std::string version;

    std::atomic<bool> busy{false};
    // Serial number of the job that owns the Python thread, 0 between jobs. It goes back to 0 only
    // with the GIL held, so the interrupter (holding the GIL) can tell whether its target still runs.
    std::atomic<std::uint64_t> runningSerial{0};
    std::uint64_t lastSerial = 0;
    unsigned long pythonThreadIdent = 0;

    std::mutex interruptMutex;
    std::condition_variable interruptWake;
    std::uint64_t interruptTarget = 0;
    bool interrupterStopping = false;

    std::thread pythonThread;
    std::thread interrupter;

    // The Python thread's life, in its steps: start the interpreter (false: it could not, said in
    // startupError), run jobs until stopping, then end the interpreter.
    bool start();
    PyThreadState* serveJobs(PyThreadState* saved);
    void finish(PyThreadState* saved);
    // The interrupter thread: delivers interrupt requests. It runs apart from the caller of
    // interrupt() because taking the GIL can take up to a switch interval (or as long as C code
    // holds it).
    void deliverInterrupts();
};

bool PythonHost::State::start()
{
    const std::string error = initialiseInterpreter();
    if (!error.empty()) {
        g_interpreterOwned = false;
        std::lock_guard lock(mutex);
        startupError = error;
        done = true;
        return false;
    }
    pythonThreadIdent = PyThread_get_thread_ident();
    version = versionNumber();
    return true;
}

void PythonHost::State::deliverInterrupts()
{
    for (;;) {
        std::uint64_t target = 0;
        {
            std::unique_lock lock(interruptMutex);
            interruptWake.wait(lock, [&] { return interrupterStopping || interruptTarget != 0; });
            if (interrupterStopping)
                return;
            target = std::exchange(interruptTarget, 0);
        }
        const PyGILState_STATE gil = PyGILState_Ensure();
        // The job may have ended while we waited for the GIL; never hit the next one.
        if (runningSerial.load() == target)
            PyThreadState_SetAsyncExc(pythonThreadIdent, PyExc_KeyboardInterrupt);
        PyGILState_Release(gil);
    }
}

PyThreadState* PythonHost::State::serveJobs(PyThreadState* saved)
{
    for (;;) {
        Job job;
        {
            std::unique_lock lock(mutex);
            wake.wait(lock, [&] { return stopping || !queue.empty(); });
            if (stopping)
                return saved;
            job = std::move(queue.front());
            queue.pop_front();
            busy = true;
            runningSerial = ++lastSerial;
        }
        PyEval_RestoreThread(saved);
        job.execute();
        if (PyErr_Occurred())
            PyErr_Clear(); // a job that misused the C API must not poison the next one
        // An interrupt that arrived after the job's last Python line is still pending: drop it.
        PyThreadState_SetAsyncExc(pythonThreadIdent, nullptr);
        runningSerial = 0;
        saved = PyEval_SaveThread();
        busy = false;
        job.deliver();
    }
}

void PythonHost::State::finish(PyThreadState* saved)
{
    {
        std::lock_guard lock(interruptMutex);
        interrupterStopping = true;
    }
    interruptWake.notify_all();
    interrupter.join(); // it may need the GIL, which is free here
    PyEval_RestoreThread(saved);
    // finalize_interpreter is Py_FinalizeEx plus pybind11's own bookkeeping, which must be reset or
    // a later interpreter in this process would reuse freed pybind11 internals.
    pybind11::finalize_interpreter();
    g_interpreterOwned = false;
    {
        std::lock_guard lock(mutex);
        done = true;
    }
    finished.notify_all();
}

PythonHost::PythonHost() : m_state(std::make_shared<State>()), m_busy(m_state->busy)
{
    if (g_interpreterOwned.exchange(true)) {
        m_startupError = "another PythonHost already owns the embedded interpreter";
        m_state->startupError = m_startupError;
        m_state->done = true;
        return;
    }

    std::promise<void> started;
    std::future<void> startup = started.get_future();
    std::shared_ptr<State> state = m_state;
    state->pythonThread = std::thread([state, started = std::move(started)]() mutable {
        if (!state->start()) {
            started.set_value();
            return;
        }
        started.set_value();
        state->interrupter = std::thread([state] { state->deliverInterrupts(); });
        PyThreadState* saved = PyEval_SaveThread(); // between jobs the GIL is free
        state->finish(state->serveJobs(saved));
    });

    startup.wait();
    std::lock_guard lock(state->mutex);
    m_startupError = state->startupError;
    m_version = state->version;
    if (!m_startupError.empty())
        state->pythonThread.join(); // it has ended
}

PythonHost::~PythonHost()
{
    const std::shared_ptr<State> state = m_state;
    if (!state->pythonThread.joinable())
        return; // never started

    std::deque<Job> dropped;
    {
        std::lock_guard lock(state->mutex);
        state->stopping = true;
        dropped.swap(state->queue);
    }
    state->wake.notify_all();
    for (Job& job : dropped)
        job.fail(
            std::make_exception_ptr(std::runtime_error("the Python host shut down before this job ran")));

    // Destroyed by exit() called from a job: the thread cannot join itself.
    if (std::this_thread::get_id() == state->pythonThread.get_id()) {
        state->pythonThread.detach();
        return;
    }

    // Interrupt again now and then: code may swallow one KeyboardInterrupt.
    const auto deadline = std::chrono::steady_clock::now() + kShutdownGrace;
    bool done = false;
    while (!done && std::chrono::steady_clock::now() < deadline) {
        interrupt();
        std::unique_lock lock(state->mutex);
        done = state->finished.wait_for(lock, kInterruptRepeat, [&] { return state->done; });
    }
    if (done) {
        state->pythonThread.join();
    } else {
        // Stuck in C code. The thread keeps `state` alive and finalises Python if it ever returns.
        state->pythonThread.detach();
    }
}

PythonHost& PythonHost::instance()
{
    // Destroyed at exit, before the C runtime ends: the destructor finalises Python on its thread.
    static PythonHost host;
    return host;
}

bool PythonHost::enableSitePackages()
{
    static bool enabled = false; // only the Python thread reads and writes it
    if (enabled)
        return true;
    // With site_import off, importing site only defines it (sys.flags.no_site): main() does the work.
    PyObject* site = PyImport_ImportModule("site");
    PyObject* done = site ? PyObject_CallMethod(site, "main", nullptr) : nullptr;
    Py_XDECREF(site);
    Py_XDECREF(done);
    enabled = done != nullptr;
    return enabled;
}

void PythonHost::interrupt()
{
    State& s = *m_state;
    const std::uint64_t target = s.runningSerial.load();
    if (target == 0 || !m_startupError.empty())
        return; // nothing runs: an interrupt now must not hit a later job
    {
        std::lock_guard lock(s.interruptMutex);
        s.interruptTarget = target;
    }
    s.interruptWake.notify_one();
}

void PythonHost::enqueue(Job job)
{
    State& s = *m_state;
    std::optional<Job> refused;
    std::optional<Job> superseded;
    std::string refusal;
    {
        std::lock_guard lock(s.mutex);
        if (!s.startupError.empty() || s.stopping || s.done) {
            refusal = !s.startupError.empty() ? s.startupError : std::string("the Python host has shut down");
            refused = std::move(job);
        } else if (auto queued = job.tag.empty()
                                     ? s.queue.end()
                                     : std::find_if(s.queue.begin(), s.queue.end(),
                                                    [&](const Job& j) { return j.tag == job.tag; });
                   queued != s.queue.end()) {
            // Replace in place: the newest edit keeps the queue position of the one it replaces.
            superseded = std::move(*queued);
            *queued = std::move(job);
        } else {
            s.queue.push_back(std::move(job));
        }
    }
    // Futures are fulfilled outside the lock: the woken waiter may submit again at once.
    if (refused) {
        refused->fail(std::make_exception_ptr(std::runtime_error(refusal)));
        return;
    }
    s.wake.notify_one();
    if (superseded)
        superseded->fail(std::make_exception_ptr(SupersededError()));
}

std::exception_ptr PythonHost::portableException(std::exception_ptr error) noexcept
{
    try {
        std::rethrow_exception(error);
    } catch (pybind11::error_already_set& pythonError) {
        try {
            pythonError.restore();
            return std::make_exception_ptr(
                std::runtime_error("Python raised " + takePythonError().oneLine()));
        } catch (...) {
            return std::current_exception();
        }
    } catch (...) {
        return error;
    }
}

} // namespace stridescope
