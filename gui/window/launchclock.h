#pragma once

#include <QtGlobal>

namespace stridescope {

// Milliseconds since the program was launched, for start-up timing ("first paint after 80 ms").
// stridescope starts the clock and hands it over when it becomes stridescope-gui (exec), so the
// window's figures count from the user's launch, not from the second program's main().
class LaunchClock
{
public:
    LaunchClock() = delete;

    // At main(): continues a handed-over clock, else starts now.
    static void start();
    // Before exec: the next program's start() continues this clock.
    static void handOver();
    static qint64 elapsedMs();
};

} // namespace stridescope
