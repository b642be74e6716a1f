#include "stridedbuffertype.h"

#include "../core/contiguityverdict.h"
#include "../core/itemformat.h"
#include "../core/stridedlayout.h"

#include <pybind11/embed.h>

#include <algorithm>
#include <bit>
#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <memory>
#include <new>
#include <string>
#include <vector>

namespace stridescope {

static_assert(sizeof(Py_ssize_t) == sizeof(ByteOffset), "Py_buffer fields are stored as 64-bit core units");
static_assert(alignof(std::max_align_t) >= 16, "calloc must give 16-byte aligned memory");

namespace {

constexpr ByteCount pointerSize = ByteCount(sizeof(void*));
// Indirect layouts are checked by core element by element (it follows every pointer); beyond this
// many elements that check would take longer than anyone would wait.
constexpr ElementIndex indirectElementLimit = ElementIndex(1) << 24;

std::string sizeText(ByteCount bytes)
{
    static const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double value = double(bytes);
    int unit = 0;
    while (value >= 1024.0 && unit < 6) {
        value /= 1024.0;
        ++unit;
    }
    std::string text = std::to_string(bytes) + " bytes";
    if (unit > 0) {
        char buf[32];
        std::snprintf(buf, sizeof buf, " (%.1f %s)", value, units[unit]);
        text += buf;
    }
    return text;
}

std::string ndimMessage(std::size_t ndim)
{
    return "ndim " + std::to_string(ndim) + " exceeds 64 (PyBUF_MAX_NDIM)";
}

std::string strideCountMessage(std::size_t given, std::size_t ndim)
{
    return std::to_string(given) + " stride" + (given == 1 ? "" : "s") + " given for ndim " + std::to_string(ndim) +
           ": give exactly one stride (in bytes) per axis";
}

struct FreeDeleter
{
    void operator()(unsigned char* p) const { std::free(p); }
};

// Everything a StridedBuffer owns. The Py_buffer arrays handed to consumers point into these vectors,
// which never change after construction, so any number of exports can share them.
struct Storage
{
    std::string format;
    std::string fill;
    Py_ssize_t itemSize = 1;
    std::vector<Py_ssize_t> shape;
    std::vector<Py_ssize_t> strides;
    std::vector<Py_ssize_t> suboffsets; // empty unless indirect
    std::unique_ptr<unsigned char, FreeDeleter> memory;
    Py_ssize_t memorySize = 0;
    Py_ssize_t offset = 0;
    Py_ssize_t length = 0; // product(shape) * itemsize
    bool readonly = false;
    bool indirect = false;
    StridedLayout layout;  // the truth about the layout: contiguity and bounds come from core
    ContiguityVerdict cOrder;
    ContiguityVerdict fortranOrder;
    ContiguityVerdict anyOrder;
    Py_ssize_t exports = 0;
};

// Reads pointer slots of an indirect buffer straight from its memory, so core validates exactly the
// pointers a consumer will follow.
StridedLayout::PointerReader pointerReaderFor(const unsigned char* memory, ByteCount size)
{
    return [memory, size](ByteOffset slot) -> std::optional<ByteOffset> {
        if (slot < 0 || size < pointerSize || slot > size - pointerSize)
            return std::nullopt;
        std::uintptr_t target = 0;
        std::memcpy(&target, memory + slot, sizeof target);
        const std::uintptr_t base = reinterpret_cast<std::uintptr_t>(memory);
        if (target < base || target - base >= std::uintptr_t(size))
            return std::nullopt;
        return ByteOffset(target - base);
    };
}

// ---- fill ---------------------------------------------------------------------------------------

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
    } else if (size == ByteCount(sizeof(long double)) && order == (std::endian::native == std::endian::little ? '<' : '>')) {
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

// Writes value k into the element at C-order position k. Axes of stride 0 only visit their last
// index: every other index writes the same bytes and would be overwritten by it anyway.
void fillIndex(Storage& s, const ItemFormat& format)
{
    const auto& shape = s.shape;
    const std::size_t ndim = shape.size();
    if (s.length == 0)
        return;
    std::vector<Py_ssize_t> first(ndim), index(ndim);
    std::vector<std::int64_t> elementStride(ndim); // C-order element strides, to turn an index into k
    std::int64_t stride = 1;
    ElementIndex visits = 1;
    for (std::size_t d = ndim; d-- > 0;) {
        elementStride[d] = stride;
        stride *= shape[d];
        first[d] = s.strides[d] == 0 ? shape[d] - 1 : 0;
        visits *= shape[d] - first[d];
    }
    const ElementIndex budget = std::max<ElementIndex>(ElementIndex(1) << 24, 2 * s.memorySize / s.itemSize);
    if (visits > budget)
        throw SourceError("fill 'index' would write " + std::to_string(visits) + " overlapping elements into " +
                          sizeText(s.memorySize) + " of memory; use fill='bytes' or fill='zero'");
    index = first;
    const auto reader = pointerReaderFor(s.memory.get(), s.memorySize);
    unsigned char* memory = s.memory.get();
    while (true) {
        std::int64_t k = 0;
        ByteOffset at = s.offset;
        for (std::size_t d = 0; d < ndim; ++d) {
            k += index[d] * elementStride[d];
            at += index[d] * s.strides[d];
            if (s.indirect && d == 0) {
                const auto row = reader(at);
                at = row ? *row : -1;
            }
        }
        // Core has already refused layouts that leave the block; this guard keeps a mistake there
        // from becoming a write outside our allocation.
        if (at < 0 || at > s.memorySize - s.itemSize)
            throw SourceError("internal error: element " + std::to_string(k) + " would be written outside the memory");
        std::memset(memory + at, 0, std::size_t(s.itemSize)); // pad bytes: 0, also over an earlier element
        for (const FormatField& field : format.fields())
            writeField(memory + at, field, k);
        std::size_t d = ndim;
        while (d > 0) {
            --d;
            if (++index[d] < shape[d])
                break;
            index[d] = first[d];
            if (d == 0)
                return;
        }
        if (ndim == 0)
            return;
    }
}

// ---- construction -------------------------------------------------------------------------------

ByteOffset checkedAdd(ByteOffset a, ByteOffset b, const std::string& what)
{
    ByteOffset r = 0;
    if (__builtin_add_overflow(a, b, &r))
        throw SourceError(what + " overflows 64 bits");
    return r;
}

ByteOffset checkedMul(ByteOffset a, ByteOffset b, const std::string& what)
{
    ByteOffset r = 0;
    if (__builtin_mul_overflow(a, b, &r))
        throw SourceError(what + " overflows 64 bits");
    return r;
}

// Refuses strides whose reach cannot even be computed: core measures extents in 64 bits.
void checkReach(const std::vector<Extent>& shape, const std::vector<ByteOffset>& strides, ByteCount itemSize)
{
    ByteOffset reach = itemSize;
    for (std::size_t d = 0; d < shape.size(); ++d) {
        if (shape[d] <= 1)
            continue;
        const std::string what = "the reach of axis " + std::to_string(d) + " (extent " + std::to_string(shape[d]) +
                                 ", stride " + std::to_string(strides[d]) + ")";
        if (strides[d] == std::numeric_limits<ByteOffset>::min())
            throw SourceError(what + " overflows 64 bits");
        reach = checkedAdd(reach, checkedMul(shape[d] - 1, std::abs(strides[d]), what), what);
    }
}

std::unique_ptr<Storage> buildStorage(const StridedSourceSpec& spec, const SourceLimits& limits)
{
    auto storage = std::make_unique<Storage>();
    Storage& s = *storage;

    std::string formatError;
    const auto format = ItemFormat::parse(spec.format, &formatError);
    if (!format)
        throw SourceError(formatError.empty() ? "unknown format '" + spec.format + "'" : formatError);
    for (const FormatField& field : format->fields()) {
        if (field.code == 'O')
            throw SourceError("format '" + spec.format +
                              "' holds Python object pointers ('O'); a StridedBuffer cannot export them");
    }
    if (format->itemSize() <= 0)
        throw SourceError("format '" + spec.format + "' has item size 0; a buffer needs items of at least one byte");
    if (spec.fill != "index" && spec.fill != "bytes" && spec.fill != "zero")
        throw SourceError("unknown fill '" + spec.fill + "': use 'index', 'bytes' or 'zero'");

    const std::vector<Extent>& shape = spec.shape;
    const std::size_t ndim = shape.size();
    if (ndim > PyBUF_MAX_NDIM)
        throw SourceError(ndimMessage(ndim));
    for (std::size_t d = 0; d < ndim; ++d) {
        if (shape[d] < 0)
            throw SourceError("axis " + std::to_string(d) + " has a negative extent (" + std::to_string(shape[d]) +
                              "); extents must be >= 0");
    }
    if (spec.indirect && ndim == 0)
        throw SourceError("indirect needs at least one axis");

    const ByteCount itemSize = format->itemSize();
    {
        const StridedLayout counting(itemSize, shape, std::vector<ByteOffset>(ndim, 0));
        if (!counting.elementCount())
            throw SourceError("the shape holds more than 2^63 elements");
        if (!counting.byteLength())
            throw SourceError("the shape times the item size (" + std::to_string(itemSize) +
                              ") is more than 2^63 bytes");
    }

    std::vector<ByteOffset> strides;
    if (spec.strides) {
        if (spec.strides->size() != ndim)
            throw SourceError(strideCountMessage(spec.strides->size(), ndim));
        strides = *spec.strides;
    } else if (spec.indirect) {
        strides = StridedLayout::cStrides(std::vector<Extent>(shape.begin() + 1, shape.end()), itemSize);
        strides.insert(strides.begin(), pointerSize);
    } else {
        strides = StridedLayout::cStrides(shape, itemSize);
    }

    // Where buf sits, how big the block is and (indirect) where the rows go: see the header.
    ByteOffset offset = spec.offset.value_or(0);
    ByteCount neededMemory = 0;
    ByteOffset rowsStart = 0, rowSpan = 0, rowLead = 0;
    if (!spec.indirect) {
        checkReach(shape, strides, itemSize);
        const auto range = StridedLayout(itemSize, shape, strides).extent(); // relative to buf
        if (!spec.offset && range && range->first < 0)
            offset = -range->first;
        neededMemory = range ? std::max(offset, checkedAdd(offset, range->end, "the memory size")) : offset;
    } else {
        checkReach({shape[0]}, {strides[0]}, pointerSize);
        const std::vector<Extent> innerShape(shape.begin() + 1, shape.end());
        const std::vector<ByteOffset> innerStrides(strides.begin() + 1, strides.end());
        checkReach(innerShape, innerStrides, itemSize);
        const auto table = StridedLayout(pointerSize, {shape[0]}, {strides[0]}).extent();
        if (!spec.offset && table && table->first < 0)
            offset = -table->first;
        rowsStart = table ? std::max(offset, checkedAdd(offset, table->end, "the pointer table")) : offset;
        if (const auto row = StridedLayout(itemSize, innerShape, innerStrides).extent()) {
            rowSpan = row->end - row->first;
            rowLead = -row->first;
        }
        neededMemory = checkedAdd(rowsStart, checkedMul(shape[0], rowSpan, "the rows"), "the memory size");
    }
    const ByteCount memorySize = spec.memory.value_or(neededMemory);
    if (memorySize < 0)
        throw SourceError("memory size " + std::to_string(memorySize) + " is negative");
    if (memorySize > limits.allocationLimit)
        throw SourceError("the memory block of " + sizeText(memorySize) + " exceeds the allocation limit of " +
                          sizeText(limits.allocationLimit) + "; raise the limit with --max-memory");
    if (offset < 0 || offset > memorySize)
        throw SourceError("offset " + std::to_string(offset) + " lies outside the memory block of " +
                          std::to_string(memorySize) + " bytes");

    StridedLayout layout(itemSize, shape, strides, offset, memorySize);
    const ElementIndex elements = *layout.elementCount();
    if (spec.indirect && elements > indirectElementLimit)
        throw SourceError("an indirect buffer may hold at most " + std::to_string(indirectElementLimit) +
                          " elements; this one holds " + std::to_string(elements));

    // calloc: zeroed, 16-byte aligned, and a large zero block costs nothing until it is touched.
    s.memory.reset(static_cast<unsigned char*>(std::calloc(std::size_t(std::max<ByteCount>(memorySize, 1)), 1)));
    if (!s.memory)
        throw SourceError("could not allocate the memory block of " + sizeText(memorySize));
    s.memorySize = memorySize;
    unsigned char* memory = s.memory.get();

    if (spec.fill == "bytes") {
        for (ByteCount i = 0; i < memorySize; ++i)
            memory[i] = static_cast<unsigned char>(i & 0xFF);
    }
    if (spec.indirect) {
        // Slot i -> row i. With stride 0 every slot is the same one, so only the last write matters.
        for (Extent i = strides[0] == 0 ? std::max<Extent>(shape[0] - 1, 0) : 0; i < shape[0]; ++i) {
            const ByteOffset slot = offset + i * strides[0];
            if (slot < 0 || slot > memorySize - pointerSize)
                continue; // core reports it below
            // Integer arithmetic: a row of a too-small block may lie past its end (refused below).
            const std::uintptr_t row = reinterpret_cast<std::uintptr_t>(memory) + std::uintptr_t(rowsStart) +
                                       std::uintptr_t(i * rowSpan + rowLead);
            std::memcpy(memory + slot, &row, sizeof row);
        }
        s.suboffsets.assign(ndim, -1);
        s.suboffsets[0] = 0;
        layout.setSuboffsets(std::vector<ByteOffset>(s.suboffsets.begin(), s.suboffsets.end()),
                             pointerReaderFor(memory, memorySize));
    }
    if (auto why = layout.outsideMemoryReason())
        throw SourceError("the layout reaches outside its memory: " + *why);

    s.format = spec.format;
    s.fill = spec.fill;
    s.itemSize = itemSize;
    s.shape.assign(shape.begin(), shape.end());
    s.strides.assign(strides.begin(), strides.end());
    s.offset = offset;
    s.length = *layout.byteLength();
    s.readonly = spec.readonly;
    s.indirect = spec.indirect;
    s.cOrder = ContiguityVerdict::check(layout, s.length, 'C');
    s.fortranOrder = ContiguityVerdict::check(layout, s.length, 'F');
    s.anyOrder = ContiguityVerdict::check(layout, s.length, 'A');
    s.layout = std::move(layout);

    if (spec.fill == "index")
        fillIndex(s, *format);
    return storage;
}

// ---- the Python type ----------------------------------------------------------------------------

struct StridedBufferObject
{
    PyObject_HEAD
    Storage* storage; // never null once tp_new returned the object
};

PyTypeObject* s_type = nullptr; // strong reference, set when `_stridescope` is imported
SourceLimits s_pythonLimits;

Storage& storageOf(PyObject* self)
{
    return *reinterpret_cast<StridedBufferObject*>(self)->storage;
}

// Converts an int, or a sequence of ints (at most PyBUF_MAX_NDIM + 1 of them are read), to int64s.
// `name` names the argument in messages. Returns false with a Python exception set.
bool toInt64(PyObject* object, const std::string& name, std::int64_t* out)
{
    PyObject* index = PyNumber_Index(object);
    if (!index) {
        if (!PyErr_ExceptionMatches(PyExc_TypeError))
            return false;
        PyErr_Clear();
        PyErr_Format(PyExc_TypeError, "%s must be an integer, not %.100s", name.c_str(), Py_TYPE(object)->tp_name);
        return false;
    }
    int overflow = 0;
    long long value = PyLong_AsLongLongAndOverflow(index, &overflow);
    Py_DECREF(index);
    if (overflow) {
        PyErr_Format(PyExc_ValueError, "%s does not fit in 64 bits", name.c_str());
        return false;
    }
    if (value == -1 && PyErr_Occurred())
        return false;
    *out = value;
    return true;
}

bool toInt64Vector(PyObject* object, const char* name, std::vector<std::int64_t>* out, Py_ssize_t* length)
{
    if (PyIndex_Check(object)) { // a lone integer is a 1-d shape
        *length = 1;
        out->resize(1);
        return toInt64(object, name, out->data());
    }
    if (PyUnicode_Check(object) || PyBytes_Check(object) || !PySequence_Check(object)) {
        PyErr_Format(PyExc_TypeError, "%s must be a sequence of integers, not %.100s", name,
                     Py_TYPE(object)->tp_name);
        return false;
    }
    PyObject* fast = PySequence_Fast(object, name);
    if (!fast)
        return false;
    *length = PySequence_Fast_GET_SIZE(fast);
    const Py_ssize_t n = std::min<Py_ssize_t>(*length, PyBUF_MAX_NDIM + 1);
    out->resize(std::size_t(n));
    for (Py_ssize_t i = 0; i < n; ++i) {
        if (!toInt64(PySequence_Fast_GET_ITEM(fast, i), std::string(name) + "[" + std::to_string(i) + "]",
                     &(*out)[std::size_t(i)])) {
            Py_DECREF(fast);
            return false;
        }
    }
    Py_DECREF(fast);
    return true;
}

PyObject* tupleOf(const std::vector<Py_ssize_t>& values)
{
    PyObject* tuple = PyTuple_New(Py_ssize_t(values.size()));
    if (!tuple)
        return nullptr;
    for (std::size_t i = 0; i < values.size(); ++i) {
        PyObject* item = PyLong_FromSsize_t(values[i]);
        if (!item) {
            Py_DECREF(tuple);
            return nullptr;
        }
        PyTuple_SET_ITEM(tuple, Py_ssize_t(i), item);
    }
    return tuple;
}

PyObject* newStridedBuffer(PyTypeObject* type, std::unique_ptr<Storage> storage)
{
    PyObject* self = type->tp_alloc(type, 0);
    if (!self)
        return nullptr;
    reinterpret_cast<StridedBufferObject*>(self)->storage = storage.release();
    return self;
}

PyObject* stridedBufferNew(PyTypeObject* type, PyObject* args, PyObject* kwargs)
{
    static const char* keywords[] = {"format", "shape", "strides", "offset", "memory",
                                     "readonly", "indirect", "fill", nullptr};
    const char* format = "B";
    const char* fill = "index";
    PyObject* shapeArg = nullptr;
    PyObject* stridesArg = Py_None;
    PyObject* offsetArg = Py_None;
    PyObject* memoryArg = Py_None;
    int readonly = 0, indirect = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|sOOOOpps:StridedBuffer", const_cast<char**>(keywords), &format,
                                     &shapeArg, &stridesArg, &offsetArg, &memoryArg, &readonly, &indirect, &fill))
        return nullptr;

    StridedSourceSpec spec;
    spec.format = format;
    spec.fill = fill;
    spec.readonly = readonly != 0;
    spec.indirect = indirect != 0;
    Py_ssize_t length = 0;
    if (shapeArg) {
        if (!toInt64Vector(shapeArg, "shape", &spec.shape, &length))
            return nullptr;
        if (length > PyBUF_MAX_NDIM) {
            PyErr_SetString(PyExc_ValueError, ndimMessage(std::size_t(length)).c_str());
            return nullptr;
        }
    }
    if (stridesArg != Py_None) {
        std::vector<std::int64_t> strides;
        if (!toInt64Vector(stridesArg, "strides", &strides, &length))
            return nullptr;
        if (std::size_t(length) != spec.shape.size()) {
            PyErr_SetString(PyExc_ValueError, strideCountMessage(std::size_t(length), spec.shape.size()).c_str());
            return nullptr;
        }
        spec.strides = std::move(strides);
    }
    if (offsetArg != Py_None) { // None: not given
        std::int64_t offset = 0;
        if (!toInt64(offsetArg, "offset", &offset))
            return nullptr;
        spec.offset = offset;
    }
    if (memoryArg != Py_None) {
        std::int64_t memory = 0;
        if (!toInt64(memoryArg, "memory", &memory))
            return nullptr;
        spec.memory = memory;
    }
    try {
        return newStridedBuffer(type, buildStorage(spec, s_pythonLimits));
    } catch (const SourceError& e) {
        PyErr_SetString(PyExc_ValueError, e.what());
    } catch (const std::bad_alloc&) {
        PyErr_NoMemory();
    } catch (const std::exception& e) {
        PyErr_SetString(PyExc_RuntimeError, e.what());
    }
    return nullptr;
}

void stridedBufferDealloc(PyObject* self)
{
    PyTypeObject* type = Py_TYPE(self);
    delete reinterpret_cast<StridedBufferObject*>(self)->storage;
    type->tp_free(self);
    Py_DECREF(type); // instances of heap types own a reference to their type
}

int refuse(Py_buffer* view, const std::string& message)
{
    view->obj = nullptr; // the protocol requires obj = NULL when the request fails
    PyErr_SetString(PyExc_BufferError, message.c_str());
    return -1;
}

// The request rules of https://docs.python.org/3/c-api/buffer.html, in the order CPython's own test
// exporter (Modules/_testbuffer.c, ndarray_getbuf) applies them, so the first violated rule names
// the error.
int stridedBufferGetBuffer(PyObject* self, Py_buffer* view, int flags)
{
    if (!view) {
        PyErr_SetString(PyExc_BufferError, "StridedBuffer: NULL view in getbuffer");
        return -1;
    }
    const Storage& s = storageOf(self);
    const auto requested = [flags](int mask) { return (flags & mask) == mask; };

    if (requested(PyBUF_WRITABLE) && s.readonly)
        return refuse(view, "StridedBuffer is read-only, but a writable buffer (PyBUF_WRITABLE) was requested");
    if (requested(PyBUF_C_CONTIGUOUS) && !s.cOrder.contiguous)
        return refuse(view, "PyBUF_C_CONTIGUOUS requested, but the StridedBuffer is " + s.cOrder.explanation);
    if (requested(PyBUF_F_CONTIGUOUS) && !s.fortranOrder.contiguous)
        return refuse(view, "PyBUF_F_CONTIGUOUS requested, but the StridedBuffer is " + s.fortranOrder.explanation);
    if (requested(PyBUF_ANY_CONTIGUOUS) && !s.anyOrder.contiguous)
        return refuse(view, "PyBUF_ANY_CONTIGUOUS requested, but the StridedBuffer is " + s.anyOrder.explanation);
    if (!requested(PyBUF_INDIRECT) && s.indirect)
        return refuse(view, "the StridedBuffer cannot be represented without suboffsets (PIL-style indirection), "
                            "but PyBUF_INDIRECT was not requested");
    const bool withStrides = requested(PyBUF_STRIDES);
    if (!withStrides && !s.cOrder.contiguous)
        return refuse(view, "PyBUF_STRIDES not requested, so the buffer must be C-contiguous, but the "
                            "StridedBuffer is " + s.cOrder.explanation);
    const bool withShape = requested(PyBUF_ND);
    const bool withFormat = requested(PyBUF_FORMAT);
    // Without a shape the consumer sees plain unsigned bytes, which a format would contradict. The
    // docs forbid PyBUF_SIMPLE | PyBUF_FORMAT; like _testbuffer.c, refuse it even for format 'B'.
    if (!withShape && withFormat)
        return refuse(view, "PyBUF_FORMAT without PyBUF_ND: a buffer without a shape is cast to unsigned bytes, "
                            "so it cannot carry the format '" + s.format + "'");

    view->buf = s.memory.get() + s.offset;
    view->len = s.length;
    view->itemsize = s.itemSize; // stays the item size of the real format, even when format is NULL
    view->readonly = s.readonly ? 1 : 0;
    view->format = withFormat ? const_cast<char*>(s.format.c_str()) : nullptr;
    view->ndim = withShape ? int(s.shape.size()) : 1;
    // A 0-d buffer gets no arrays at all: the docs say shape and strides MUST then be NULL.
    const bool scalar = s.shape.empty();
    view->shape = withShape && !scalar ? const_cast<Py_ssize_t*>(s.shape.data()) : nullptr;
    view->strides = withStrides && !scalar ? const_cast<Py_ssize_t*>(s.strides.data()) : nullptr;
    view->suboffsets = s.indirect ? const_cast<Py_ssize_t*>(s.suboffsets.data()) : nullptr;
    view->internal = nullptr;
    view->obj = Py_NewRef(self);
    ++reinterpret_cast<StridedBufferObject*>(self)->storage->exports;
    return 0;
}

void stridedBufferReleaseBuffer(PyObject* self, Py_buffer*)
{
    --storageOf(self).exports;
}

PyObject* getFormat(PyObject* self, void*) { return PyUnicode_FromString(storageOf(self).format.c_str()); }
PyObject* getItemSize(PyObject* self, void*) { return PyLong_FromSsize_t(storageOf(self).itemSize); }
PyObject* getShape(PyObject* self, void*) { return tupleOf(storageOf(self).shape); }
PyObject* getStrides(PyObject* self, void*) { return tupleOf(storageOf(self).strides); }
PyObject* getSuboffsets(PyObject* self, void*)
{
    const Storage& s = storageOf(self);
    return s.indirect ? tupleOf(s.suboffsets) : Py_NewRef(Py_None);
}
PyObject* getOffset(PyObject* self, void*) { return PyLong_FromSsize_t(storageOf(self).offset); }
PyObject* getMemorySize(PyObject* self, void*) { return PyLong_FromSsize_t(storageOf(self).memorySize); }
PyObject* getNbytes(PyObject* self, void*) { return PyLong_FromSsize_t(storageOf(self).length); }
PyObject* getReadonly(PyObject* self, void*) { return PyBool_FromLong(storageOf(self).readonly); }
PyObject* getIndirect(PyObject* self, void*) { return PyBool_FromLong(storageOf(self).indirect); }
PyObject* getFill(PyObject* self, void*) { return PyUnicode_FromString(storageOf(self).fill.c_str()); }
PyObject* getAddress(PyObject* self, void*) { return PyLong_FromVoidPtr(storageOf(self).memory.get()); }
PyObject* getExports(PyObject* self, void*) { return PyLong_FromSsize_t(storageOf(self).exports); }

PyGetSetDef stridedBufferGetSet[] = {
    {"format", getFormat, nullptr, "struct format of one item", nullptr},
    {"itemsize", getItemSize, nullptr, "bytes per item", nullptr},
    {"shape", getShape, nullptr, "extent of each axis", nullptr},
    {"strides", getStrides, nullptr, "bytes between neighbours along each axis", nullptr},
    {"suboffsets", getSuboffsets, nullptr, "PIL-style suboffsets, None for a direct buffer", nullptr},
    {"offset", getOffset, nullptr, "where buf sits inside the memory block", nullptr},
    {"memory_size", getMemorySize, nullptr, "bytes in the memory block", nullptr},
    {"nbytes", getNbytes, nullptr, "product(shape) * itemsize (Py_buffer.len)", nullptr},
    {"readonly", getReadonly, nullptr, "whether writable requests are refused", nullptr},
    {"indirect", getIndirect, nullptr, "whether axis 0 goes through a table of pointers", nullptr},
    {"fill", getFill, nullptr, "how the memory was filled", nullptr},
    {"address", getAddress, nullptr, "address of the first byte of the memory block", nullptr},
    {"exports", getExports, nullptr, "number of buffers currently exported", nullptr},
    {nullptr, nullptr, nullptr, nullptr, nullptr},
};

PyObject* memoryBytes(PyObject* self, PyObject*)
{
    const Storage& s = storageOf(self);
    return PyBytes_FromStringAndSize(reinterpret_cast<const char*>(s.memory.get()), s.memorySize);
}

PyMethodDef stridedBufferMethods[] = {
    {"memory_bytes", memoryBytes, METH_NOARGS, "memory_bytes() -> bytes: a copy of the whole memory block"},
    {nullptr, nullptr, 0, nullptr},
};

PyObject* stridedBufferRepr(PyObject* self)
{
    const Storage& s = storageOf(self);
    auto tupleText = [](const std::vector<Py_ssize_t>& v) {
        std::string t = "(";
        for (std::size_t i = 0; i < v.size(); ++i)
            t += (i ? ", " : "") + std::to_string(v[i]);
        return t + (v.size() == 1 ? ",)" : ")");
    };
    const std::string rest = ", shape=" + tupleText(s.shape) + ", strides=" + tupleText(s.strides) +
                             ", offset=" + std::to_string(s.offset) + ", memory=" + std::to_string(s.memorySize) +
                             (s.readonly ? ", readonly=True" : "") + (s.indirect ? ", indirect=True" : "") +
                             ", fill='" + s.fill + "')";
    PyObject* format = PyUnicode_DecodeUTF8(s.format.data(), Py_ssize_t(s.format.size()), "replace");
    if (!format)
        return nullptr;
    PyObject* text = PyUnicode_FromFormat("StridedBuffer(format=%R%s", format, rest.c_str());
    Py_DECREF(format);
    return text;
}

const char stridedBufferDoc[] =
    "StridedBuffer(format='B', shape=(), strides=None, offset=None, memory=None, readonly=False, "
    "indirect=False, fill='index')\n\n"
    "A buffer exporter with any format, shape, strides (bytes; negative and zero allowed), offset and\n"
    "memory size, optionally read-only or PIL-style indirect (axis 0 through a table of pointers).\n"
    "It honours every PyBUF_* request flag. fill: 'index' (element k holds k), 'bytes' (byte i holds\n"
    "i & 0xFF) or 'zero'. offset None: the smallest that keeps every element inside the memory.";

PyType_Slot stridedBufferSlots[] = {
    {Py_tp_new, reinterpret_cast<void*>(stridedBufferNew)},
    {Py_tp_dealloc, reinterpret_cast<void*>(stridedBufferDealloc)},
    {Py_tp_repr, reinterpret_cast<void*>(stridedBufferRepr)},
    {Py_tp_getset, stridedBufferGetSet},
    {Py_tp_methods, stridedBufferMethods},
    {Py_tp_doc, const_cast<char*>(stridedBufferDoc)},
    {Py_bf_getbuffer, reinterpret_cast<void*>(stridedBufferGetBuffer)},
    {Py_bf_releasebuffer, reinterpret_cast<void*>(stridedBufferReleaseBuffer)},
    {0, nullptr},
};

PyType_Spec stridedBufferSpec = {
    "_stridescope.StridedBuffer",
    sizeof(StridedBufferObject),
    0,
    Py_TPFLAGS_DEFAULT, // no Py_TPFLAGS_BASETYPE: check() can then test the exact type
    stridedBufferSlots,
};

} // namespace

pybind11::object StridedBufferType::create(const StridedSourceSpec& spec, const SourceLimits& limits)
{
    PyTypeObject* cls = type();
    PyObject* object = newStridedBuffer(cls, buildStorage(spec, limits));
    if (!object)
        throw pybind11::error_already_set();
    return pybind11::reinterpret_steal<pybind11::object>(object);
}

bool StridedBufferType::check(PyObject* object)
{
    return object && s_type && Py_IS_TYPE(object, s_type);
}

std::optional<MemoryBlock> StridedBufferType::memoryOf(PyObject* object)
{
    if (!check(object))
        return std::nullopt;
    const Storage& s = storageOf(object);
    return MemoryBlock{Address(reinterpret_cast<std::uintptr_t>(s.memory.get())), ByteCount(s.memorySize),
                       "StridedBuffer memory", {}};
}

void StridedBufferType::setPythonLimits(const SourceLimits& limits)
{
    s_pythonLimits = limits;
}

SourceLimits StridedBufferType::pythonLimits()
{
    return s_pythonLimits;
}

PyTypeObject* StridedBufferType::type()
{
    if (!s_type)
        pybind11::module_::import("_stridescope");
    return s_type;
}

} // namespace stridescope

// Built into the binary: `import _stridescope` works in every interpreter this process starts.
PYBIND11_EMBEDDED_MODULE(_stridescope, m)
{
    PyObject* type = PyType_FromSpec(&stridescope::stridedBufferSpec);
    if (!type)
        throw pybind11::error_already_set();
    // A previous interpreter's type (if Python was restarted) is simply forgotten: it died with it.
    stridescope::s_type = reinterpret_cast<PyTypeObject*>(type);
    m.add_object("StridedBuffer", pybind11::reinterpret_borrow<pybind11::object>(type));
    m.doc() = "Stridescope's native buffer exporter";
}
