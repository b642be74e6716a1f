#include "launchclock.h"

#include <QByteArray>
#include <QString>

#include <chrono>
#include <cstdlib>
#include <optional>

namespace stridescope {

namespace {

using Clock = std::chrono::steady_clock;
constexpr const char* kHandOver = "STRIDESCOPE_LAUNCH_CLOCK"; // nanoseconds on the steady clock

std::optional<Clock::time_point>& origin()
{
    static std::optional<Clock::time_point> t;
    return t;
}

} // namespace

void LaunchClock::start()
{
    const Clock::time_point now = Clock::now();
    origin() = now;
    bool ok = false;
    const qlonglong handed = qEnvironmentVariable(kHandOver).toLongLong(&ok);
    qunsetenv(kHandOver); // not for the worker, nor for what user code starts
    if (!ok)
        return;
    // Anything from the environment is checked: a clock from the future or from more than a
    // minute ago was not handed over by our own exec a moment ago.
    const Clock::time_point then{std::chrono::nanoseconds(handed)};
    if (then <= now && now - then < std::chrono::minutes(1))
        origin() = then;
}

void LaunchClock::handOver()
{
    if (!origin())
        return;
    const auto ns =
        std::chrono::duration_cast<std::chrono::nanoseconds>(origin()->time_since_epoch()).count();
    qputenv(kHandOver, QByteArray::number(qlonglong(ns)));
}

qint64 LaunchClock::elapsedMs()
{
    if (!origin())
        return -1;
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - *origin()).count();
}

} // namespace stridescope
