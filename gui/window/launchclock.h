#pragma once

#include <QElapsedTimer>

namespace stridescope {

// Milliseconds since main() started, for start-up timing ("first paint after 180 ms").
class LaunchClock
{
public:
    LaunchClock() = delete;

    static void start() { timer().start(); }
    static qint64 elapsedMs() { return timer().isValid() ? timer().elapsed() : -1; }

private:
    static QElapsedTimer& timer()
    {
        static QElapsedTimer t;
        return t;
    }
};

} // namespace stridescope
