#pragma once

namespace stridescope {

// The interpreter worker's side of its socket to the supervising process (the window or the
// command line). It starts the interpreter, says Ready, then answers Inspect requests one at a time
// on the PythonHost thread, and passes Interrupt on at once. Whatever user code does here - crash,
// hang in C, poison the interpreter, print to the file descriptors - happens in this process only;
// the supervisor restarts it.
class WorkerServer
{
public:
    // Serves on `socketFd` until the supervisor closes it; returns the process exit code. Reports'
    // snapshots go into `snapshotFd`, a shared memory file the supervisor reads (-1: inline).
    static int run(int socketFd, int snapshotFd);
};

} // namespace stridescope
