#pragma once

#include <QtGlobal>

#include <algorithm>
#include <thread>
#include <vector>

namespace stridescope {

// Splits the rows of a per-pixel picture into bands drawn on several threads: every pixel is
// independent, so a fitted 16 MiB strip takes a fraction of the time on a multi-core machine.
// Small pictures stay on the calling thread (starting threads costs more than they save).
class RowBands
{
public:
    template <class F> static void run(int rows, qint64 pixels, F&& drawRows)
    {
        const int threads =
            pixels < minimumPixels ? 1 : int(std::clamp(std::thread::hardware_concurrency(), 1u, 4u));
        if (threads <= 1 || rows < 2 * threads) {
            drawRows(0, rows);
            return;
        }
        std::vector<std::thread> workers;
        const int band = (rows + threads - 1) / threads;
        for (int t = 1; t < threads; ++t) {
            const int first = t * band, end = std::min(rows, first + band);
            if (first < end)
                workers.emplace_back([&drawRows, first, end] { drawRows(first, end); });
        }
        drawRows(0, std::min(rows, band));
        for (auto& w : workers)
            w.join();
    }

private:
    static constexpr qint64 minimumPixels = 100000;
};

} // namespace stridescope
