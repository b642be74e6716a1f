// stridescope-worker: the embedded interpreter in a process of its own, started and supervised by
// the window and the command line (gui/supervisor). Not meant to be run by hand.
#include "pyhost/workermessage.h"
#include "pyhost/workerserver.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv)
{
    // The supervisor hands over its socket as descriptor 3 and a shared memory file for the
    // reports' byte snapshots as descriptor 4.
    constexpr int socketFd = 3;
    constexpr int snapshotFd = 4;
    struct stat info
    {
    };
    if (argc > 1 || ::fstat(socketFd, &info) != 0 || !S_ISSOCK(info.st_mode)) {
        std::fprintf(stderr,
                     "%s: the interpreter worker of stridescope; it is started by stridescope itself\n",
                     argc > 0 ? argv[0] : "stridescope-worker");
        return 2;
    }
    // Inherited across our exec, but not by the processes user code starts (os.system, subprocess).
    ::fcntl(socketFd, F_SETFD, FD_CLOEXEC);
    ::fcntl(snapshotFd, F_SETFD, FD_CLOEXEC);
    try {
        struct stat shared
        {
        };
        const bool haveShared = ::fstat(snapshotFd, &shared) == 0 && S_ISREG(shared.st_mode);
        return stridescope::WorkerServer::run(socketFd, haveShared ? snapshotFd : -1);
    } catch (const stridescope::WireError& e) {
        std::fprintf(stderr, "stridescope-worker: %s\n", e.what());
        return 3;
    }
}
