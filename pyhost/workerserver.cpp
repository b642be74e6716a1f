#include "workerserver.h"

#include "inspector.h"
#include "pythonconsole.h"
#include "pythonhost.h"
#include "reportcodec.h"
#include "workermessage.h"

#include <Python.h>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>

namespace stridescope {

namespace {

// Room beyond the scenario's own allocations: the report's two snapshots and their encoding.
constexpr ByteCount kReportRoom = ByteCount(512) << 20;

bool readFully(int fd, char* out, std::size_t n)
{
    while (n > 0) {
        const ssize_t got = ::read(fd, out, n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        out += got;
        n -= std::size_t(got);
    }
    return true;
}

// The supervisor is gone or the socket broke: nothing is left to answer to.
[[noreturn]] void leave()
{
    std::_Exit(0);
}

class Channel
{
public:
    explicit Channel(int fd) : m_fd(fd) {}

    std::pair<WorkerMessage::Kind, std::string> receive()
    {
        char header[WorkerMessage::kHeaderSize];
        if (!readFully(m_fd, header, sizeof header))
            leave();
        auto [kind, size] = WorkerMessage::parseHeader(std::string_view(header, sizeof header));
        std::string payload(std::size_t(size), '\0');
        if (!readFully(m_fd, payload.data(), payload.size()))
            leave();
        return {kind, std::move(payload)};
    }

    void send(WorkerMessage::Kind kind, const std::string& payload)
    {
        std::lock_guard lock(m_writing);
        for (const std::string& part : {WorkerMessage::header(kind, payload.size()), payload}) {
            const char* p = part.data();
            std::size_t n = part.size();
            while (n > 0) {
                const ssize_t put = ::write(m_fd, p, n);
                if (put < 0 && errno == EINTR)
                    continue;
                if (put <= 0)
                    leave();
                p += put;
                n -= std::size_t(put);
            }
        }
    }

private:
    int m_fd;
    std::mutex m_writing;
};

// Bytes of address space in use now (/proc/self/statm counts pages).
ByteCount addressSpaceInUse()
{
    FILE* statm = std::fopen("/proc/self/statm", "re");
    if (!statm)
        return 0;
    unsigned long long pages = 0;
    const int fields = std::fscanf(statm, "%llu", &pages);
    std::fclose(statm);
    return fields == 1 ? ByteCount(pages) * ByteCount(::sysconf(_SC_PAGESIZE)) : 0;
}

// --max-memory holds for everything the scenario does, Python code included: the address space
// may grow by the source, its copy and one more of either (3x the limit), plus the report's room;
// files (memfd_create, /dev/shm, the disk) may grow to the limit, or to the two snapshots. For a
// worker that runs user code (a scenario with code, whose worker is retired after it, or the
// console), the hard limits are lowered too, so the code cannot raise them again.
void limitResources(const Inspector::Options& options, bool final, ByteCount baseline)
{
    const ByteCount allocation = std::max<ByteCount>(0, options.limits.allocationLimit);
    const auto apply = [final](int resource, ByteCount allowed) {
        rlimit limit{};
        if (::getrlimit(resource, &limit) != 0)
            return;
        rlim_t wanted = rlim_t(allowed);
        if (limit.rlim_max != RLIM_INFINITY && wanted > limit.rlim_max)
            wanted = limit.rlim_max;
        limit.rlim_cur = wanted;
        if (final)
            limit.rlim_max = wanted;
        ::setrlimit(resource, &limit);
    };
    ByteCount files = 0;
    if (!__builtin_mul_overflow(std::max<ByteCount>(0, options.probe.snapshotLimit), ByteCount(2), &files) &&
        !__builtin_add_overflow(std::max(files, allocation), kReportRoom, &files))
        apply(RLIMIT_FSIZE, files);
#ifdef STRIDESCOPE_SANITIZED
    // AddressSanitizer reserves terabytes of shadow address space: an address-space limit would
    // stop it, not the scenario. Sanitized builds rely on the allocation limits alone.
    (void)baseline;
#else
    ByteCount space = 0;
    if (!__builtin_mul_overflow(allocation, ByteCount(3), &space) &&
        !__builtin_add_overflow(space, baseline + kReportRoom, &space))
        apply(RLIMIT_AS, space);
#endif
}

// One console message, answered from the Python thread while this thread goes back to reading (so
// Stop reaches a running command). show() reports travel inline: two of them may be on the way at
// once, which one shared snapshot file cannot carry (the console asks for small snapshots).
// Runs `work` on the Python thread's behalf; a C++ exception out of it (no memory past
// --max-memory, ...) is its answer in one line. The supervisor waits for an answer to every console
// message: none may end without one.
ConsoleAnswer answerOf(const std::function<ConsoleAnswer()>& work)
{
    try {
        return work();
    } catch (const std::bad_alloc&) {
        return {false, "the console ran out of memory (--max-memory)"};
    } catch (const std::exception& e) {
        return {false, e.what()};
    }
}

void serveConsole(PythonHost& host, Channel& channel, std::shared_ptr<PythonConsole>& console,
                  WorkerMessage::Kind kind, const std::string& payload, ByteCount baseline)
{
    if (kind == WorkerMessage::Kind::ConsoleStart) {
        ReportCodec::ConsoleStart start = ReportCodec::decodeConsoleStart(payload);
        start.options.limits.outputToDescriptors = true;
        limitResources(start.options, true, baseline);
        host.submit([&channel, &console, start = std::move(start)] {
            const ConsoleAnswer answer = answerOf([&] {
                console = std::make_shared<PythonConsole>([&channel](InspectionReport report) {
                    channel.send(WorkerMessage::Kind::Report, ReportCodec::encode(report));
                });
                return console->start(start.scenario, start.options, start.runScenario);
            });
            channel.send(WorkerMessage::Kind::ConsoleDone, ReportCodec::encode(answer));
        });
    } else if (kind == WorkerMessage::Kind::ConsoleRun) {
        host.submit([&channel, &console, command = ReportCodec::decodeText(payload)] {
            const ConsoleAnswer answer = answerOf([&] {
                return console ? console->run(command) : ConsoleAnswer{false, "the console has not started"};
            });
            channel.send(WorkerMessage::Kind::ConsoleDone, ReportCodec::encode(answer));
        });
    } else {
        host.submit([&channel, &console, text = ReportCodec::decodeText(payload)] {
            std::vector<std::string> found;
            try {
                if (console)
                    found = console->complete(text);
            } catch (const std::exception&) {
                // no completions (out of memory, say), but an answer: the supervisor waits for one
            }
            channel.send(WorkerMessage::Kind::ConsoleCompletions, ReportCodec::encodeTexts(found));
        });
    }
}

} // namespace

int WorkerServer::run(int socketFd, int snapshotFd)
{
    std::signal(SIGPIPE, SIG_IGN);
    std::signal(SIGXFSZ, SIG_IGN); // a write past RLIMIT_FSIZE fails (EFBIG) instead of killing
    Channel channel(socketFd);
    PythonHost& host = PythonHost::instance();
    ReportCodec::Ready ready{host.pythonVersion(), host.startupError()};
    if (ready.startupError.empty()) {
        // A crash in C code prints the Python stack (faulthandler writes to stderr, which the
        // supervisor shows the user). numpy is not imported here: only code that uses it pays for it.
        host.call([] {
            // print() writes through to descriptors 1 and 2 at once (no buffer to lose in a crash);
            // the supervisor captures both. input() ends at once: stdin is /dev/null.
            PyRun_SimpleString(
                "import io, sys\n"
                "sys.stdout = io.TextIOWrapper(io.FileIO(1, 'w', closefd=False), encoding='utf-8',\n"
                "                              errors='backslashreplace', write_through=True)\n"
                "sys.stderr = io.TextIOWrapper(io.FileIO(2, 'w', closefd=False), encoding='utf-8',\n"
                "                              errors='backslashreplace', write_through=True)\n");
            PyErr_Clear();
            PyObject* faulthandler = PyImport_ImportModule("faulthandler");
            if (faulthandler) {
                PyObject* done = PyObject_CallMethod(faulthandler, "enable", nullptr);
                Py_XDECREF(done);
                Py_DECREF(faulthandler);
            }
        });
    }
    const ByteCount baseline = addressSpaceInUse();
    channel.send(WorkerMessage::Kind::Ready, ReportCodec::encode(ready));

    // The console's state; made, used and kept on the Python thread only.
    std::shared_ptr<PythonConsole> console;
    for (;;) {
        auto [kind, payload] = channel.receive();
        if (kind == WorkerMessage::Kind::Interrupt) {
            host.interrupt();
            continue;
        }
        if (kind == WorkerMessage::Kind::ConsoleStart || kind == WorkerMessage::Kind::ConsoleRun ||
            kind == WorkerMessage::Kind::ConsoleComplete) {
            serveConsole(host, channel, console, kind, payload, baseline);
            continue;
        }
        if (kind != WorkerMessage::Kind::Inspect)
            throw WireError("the worker was sent a message it does not answer");
        ReportCodec::InspectRequest request = ReportCodec::decodeInspectRequest(payload);
        request.options.limits.outputToDescriptors = true;
        limitResources(request.options, request.scenario.runsUserCode(), baseline);
        // The answer is sent from the Python thread as soon as it is ready; this thread goes back
        // to reading, so an Interrupt reaches the running code.
        host.submit([&channel, snapshotFd, request = std::move(request)] {
            try {
                InspectionReport report = Inspector::run(request.scenario, request.options);
                channel.send(WorkerMessage::Kind::Report, ReportCodec::encode(report, snapshotFd));
            } catch (const SourceError& e) {
                channel.send(WorkerMessage::Kind::Failure, ReportCodec::encode(e));
            } catch (const std::bad_alloc&) {
                channel.send(
                    WorkerMessage::Kind::Failure,
                    ReportCodec::encode(SourceError("the inspection ran out of memory (--max-memory)")));
            } catch (const std::exception& e) {
                channel.send(WorkerMessage::Kind::Failure, ReportCodec::encode(SourceError(e.what())));
            }
        });
    }
}

} // namespace stridescope
