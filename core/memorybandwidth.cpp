#include "memorybandwidth.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstring>
#include <memory>
#include <mutex>

namespace stridescope {

namespace {

constexpr std::size_t kBlockBytes = std::size_t(64) << 20; // far beyond any last-level cache
constexpr int kRounds = 3;                                 // the fastest round counts

std::atomic<double> g_measured{0};

double measure()
{
    const std::unique_ptr<char[]> from(new char[kBlockBytes]);
    const std::unique_ptr<char[]> to(new char[kBlockBytes]);
    // Touch every page first: the first write to a page costs a fault, which is no copy speed.
    std::memset(from.get(), 1, kBlockBytes);
    std::memset(to.get(), 2, kBlockBytes);
    double best = 0;
    for (int round = 0; round < kRounds; ++round) {
        const auto start = std::chrono::steady_clock::now();
        std::memcpy(to.get(), from.get(), kBlockBytes);
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        // Read the copy back through a volatile, so the copy cannot be left out as unused.
        volatile char sink = to[kBlockBytes - 1 - std::size_t(round)];
        (void)sink;
        if (took.count() > 0)
            best = std::max(best, double(kBlockBytes) / took.count());
    }
    return best;
}

} // namespace

double MemoryBandwidth::bytesPerSecond()
{
    static std::once_flag once;
    std::call_once(once, [] { g_measured.store(measure()); });
    return g_measured.load();
}

std::optional<double> MemoryBandwidth::ifMeasured()
{
    const double figure = g_measured.load();
    if (figure <= 0)
        return std::nullopt;
    return figure;
}

} // namespace stridescope
