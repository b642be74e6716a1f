#include "indexfill.h"

#include "core/overlapsolver.h"

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace stridescope {

namespace {

// Branches the overlap search may visit to let a fill sweep memory in order (it gives up, and the
// fill keeps C order, on layouts too tangled to decide within this).
constexpr std::int64_t kFillOrderWorkLimit = 100000;

void storeUnsigned(unsigned char* p, ByteCount size, char order, std::uint64_t value)
{
    for (ByteCount i = 0; i < size; ++i) {
        unsigned char byte = i < 8 ? static_cast<unsigned char>(value >> (8 * i)) : 0;
        p[order == '>' ? size - 1 - i : i] = byte;
    }
}

std::uint16_t doubleToHalf(double v)
{
    // IEEE 754 binary16, round to nearest even; the index fill only needs integers, which are exact
    // up to 2048 and round beyond that (inf past 65504).
    std::uint16_t sign = std::signbit(v) ? 0x8000 : 0;
    v = std::fabs(v);
    if (std::isnan(v))
        return sign | 0x7e00;
    if (v >= 65520.0)
        return sign | 0x7c00;
    if (v < std::ldexp(1.0, -24) / 2)
        return sign;
    int exponent = 0;
    double mantissa = std::frexp(v, &exponent); // v = mantissa * 2^exponent, mantissa in [0.5, 1)
    int e = exponent - 1 + 15;
    if (e <= 0) { // subnormal
        auto m = static_cast<std::uint16_t>(std::nearbyint(std::ldexp(v, 24)));
        return sign | m;
    }
    auto m = static_cast<std::uint32_t>(std::nearbyint(std::ldexp(mantissa * 2.0 - 1.0, 10)));
    if (m == 1024) {
        m = 0;
        ++e;
    }
    if (e >= 31)
        return sign | 0x7c00;
    return static_cast<std::uint16_t>(sign | (e << 10) | m);
}

void storeFloat(unsigned char* p, ByteCount size, char order, double value)
{
    if (size == 2) {
        storeUnsigned(p, 2, order, doubleToHalf(value));
    } else if (size == 4) {
        storeUnsigned(p, 4, order, std::bit_cast<std::uint32_t>(float(value)));
    } else if (size == 8) {
        storeUnsigned(p, 8, order, std::bit_cast<std::uint64_t>(value));
    } else if (size == ByteCount(sizeof(long double)) &&
               order == (std::endian::native == std::endian::little ? '<' : '>')) {
        // Native long double ('g'): copy only the value bytes, the x87 padding stays zero.
        long double ld = value;
        std::memcpy(p, &ld, LDBL_MANT_DIG == 64 ? 10 : sizeof ld);
    }
    // Other sizes (a standard-size '<g'): no portable encoding here; the bytes stay zero.
}

void writeField(unsigned char* item, const FormatField& field, std::int64_t k)
{
    unsigned char* p = item + field.offset;
    const ByteCount size = field.size;
    const auto letter = [](std::int64_t n) { return static_cast<unsigned char>('a' + n % 26); };
    if (field.complex) {
        storeFloat(p, size / 2, field.byteOrder, double(k));
        storeFloat(p + size / 2, size / 2, field.byteOrder, 0.0);
        return;
    }
    switch (field.code) {
    case 'c':
    case 's':
        for (ByteCount j = 0; j < size; ++j)
            p[j] = letter(k + j);
        return;
    case 'p': // Pascal string: a length byte, then the characters
        if (size > 0)
            p[0] = static_cast<unsigned char>(std::min<ByteCount>(size - 1, 255));
        for (ByteCount j = 1; j < size; ++j)
            p[j] = letter(k + j - 1);
        return;
    case 'u':
    case 'w':
        storeUnsigned(p, size, field.byteOrder, letter(k));
        return;
    case '?':
        storeUnsigned(p, size, field.byteOrder, std::uint64_t(k % 2));
        return;
    case 'e':
    case 'f':
    case 'd':
    case 'g':
        storeFloat(p, size, field.byteOrder, double(k));
        return;
    case 'x':
        return;
    default: // integers and 'P': k modulo 2^bits
        storeUnsigned(p, size, field.byteOrder, std::uint64_t(k));
        return;
    }
}

} // namespace

// Axes of stride 0 only visit their last index: every other index writes the same bytes and would be
// overwritten by it anyway.
void IndexFill::write(StridedBufferStorage& s, const ItemFormat& format,
                      const StridedLayout::PointerReader& rows)
{
    const auto& shape = s.shape;
    const std::size_t ndim = shape.size();
    if (s.length == 0)
        return;
    std::vector<ByteOffset> first(ndim), index(ndim);
    std::vector<std::int64_t> elementStride(ndim); // C-order element strides, to turn an index into k
    std::int64_t stride = 1;
    for (std::size_t d = ndim; d-- > 0;) {
        elementStride[d] = stride;
        stride *= shape[d];
        first[d] = s.strides[d] == 0 ? shape[d] - 1 : 0;
    }
    // Stepped like an odometer: k and the tail's offset move with each step, and the row (axis 0 of
    // an indirect buffer, through its pointer) is looked up again only when axis 0 moves.
    index = first;
    unsigned char* memory = s.memory.get();
    std::int64_t k = 0;
    ByteOffset tail = 0; // the axes after 0
    for (std::size_t d = 0; d < ndim; ++d) {
        k += index[d] * elementStride[d];
        if (d > 0)
            tail += index[d] * s.strides[d];
    }
    const auto rowStart = [&]() -> ByteOffset {
        const ByteOffset at = s.offset + (ndim ? index[0] * s.strides[0] : 0);
        if (!s.indirect)
            return at;
        const auto row = rows(at);
        return row ? *row : -1;
    };
    ByteOffset row = rowStart();
    // Items whose fields cover every byte need no zeroing first; one unsigned byte is stored
    // directly (the common case, and a fill of 2^28 of them is a fifth of a second, not seconds).
    const bool fieldsCoverItem = format.padding(s.itemSize).empty();
    const bool oneByte = s.itemSize == 1 && format.fields().size() == 1 && !format.fields()[0].complex &&
                         (format.fields()[0].code == 'B' || format.fields()[0].code == 'b');
    std::vector<std::size_t> moving; // the axes whose index ever changes, outermost first
    for (std::size_t d = 0; d < ndim; ++d)
        if (shape[d] - first[d] > 1)
            moving.push_back(d);
    // Elements that never share a byte may be written in any order: then the smallest stride goes
    // innermost, so the writes sweep memory instead of jumping a row per element (a transpose's
    // fill is bound by memory latency otherwise). Where elements share bytes, C order decides
    // which value the shared bytes keep, so it stays.
    if (!s.indirect && OverlapSolver(s.itemSize, shape, s.strides).solve(kFillOrderWorkLimit) ==
                           OverlapSolver::Answer::Disjoint)
        std::stable_sort(moving.begin(), moving.end(), [&s](std::size_t a, std::size_t b) {
            return std::abs(s.strides[a]) > std::abs(s.strides[b]);
        });
    while (true) {
        const ByteOffset at = row < 0 ? -1 : row + tail;
        // Core has already refused layouts that leave the block; this guard keeps a mistake there
        // from becoming a write outside our allocation.
        if (at < 0 || at > s.memorySize - s.itemSize)
            throw SourceError("internal error: element " + std::to_string(k) +
                              " would be written outside the memory");
        if (oneByte) {
            memory[at] = static_cast<unsigned char>(k); // k modulo 256, as writeField stores it
        } else {
            if (!fieldsCoverItem) // pad bytes: 0, also over an earlier element
                std::memset(memory + at, 0, std::size_t(s.itemSize));
            for (const FormatField& field : format.fields())
                writeField(memory + at, field, k);
        }
        std::size_t m = moving.size();
        while (true) {
            if (m == 0)
                return;
            const std::size_t d = moving[--m];
            if (++index[d] < shape[d]) {
                k += elementStride[d];
                if (d > 0)
                    tail += s.strides[d];
                else
                    row = rowStart();
                break;
            }
            k -= (index[d] - 1 - first[d]) * elementStride[d];
            if (d > 0)
                tail -= (index[d] - 1 - first[d]) * s.strides[d];
            index[d] = first[d];
            if (d == 0) // axis 0 is inner when the fill sweeps memory: its row starts over
                row = rowStart();
        }
    }
}

} // namespace stridescope
