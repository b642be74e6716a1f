#include "stridedbuffertype.h"

#include "stridedbufferstorage.h"

#include <algorithm>
#include <cstdint>
#include <memory>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

namespace stridescope {

// The Py_buffer arrays point straight into the storage's vectors.
static_assert(std::is_same_v<Py_ssize_t, ByteOffset>, "Py_buffer fields are stored as 64-bit core units");
static_assert(StridedBufferStorage::maxNdim == PyBUF_MAX_NDIM);

namespace {

// ---- the Python type ----------------------------------------------------------------------------

struct StridedBufferObject
{
    PyObject_HEAD StridedBufferStorage* storage; // never null once tp_new returned the object
    Py_ssize_t exports;                          // buffers currently exported
};

PyTypeObject* s_type = nullptr; // strong reference, set when the module holding the type is imported
std::string s_moduleName = StridedBufferType::embeddedModuleName; // that module
SourceLimits s_pythonLimits;

StridedBufferStorage& storageOf(PyObject* self)
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
        PyErr_Format(PyExc_TypeError, "%s must be an integer, not %.100s", name.c_str(),
                     Py_TYPE(object)->tp_name);
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

PyObject* newStridedBuffer(PyTypeObject* type, std::unique_ptr<StridedBufferStorage> storage)
{
    PyObject* self = type->tp_alloc(type, 0);
    if (!self)
        return nullptr;
    reinterpret_cast<StridedBufferObject*>(self)->storage = storage.release();
    return self;
}

PyObject* stridedBufferNew(PyTypeObject* type, PyObject* args, PyObject* kwargs)
{
    // memory last: StridedBuffer(format, shape, strides, offset, readonly, indirect, fill), the
    // `stridescope` module's documented order, holds for positional arguments too.
    static const char* keywords[] = {"format",   "shape", "strides", "offset", "readonly",
                                     "indirect", "fill",  "memory",  nullptr};
    const char* format = "B";
    const char* fill = "index";
    PyObject* shapeArg = nullptr;
    PyObject* stridesArg = Py_None;
    PyObject* offsetArg = Py_None;
    PyObject* memoryArg = Py_None;
    int readonly = 0, indirect = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|sOOOppsO:StridedBuffer", const_cast<char**>(keywords),
                                     &format, &shapeArg, &stridesArg, &offsetArg, &readonly, &indirect, &fill,
                                     &memoryArg))
        return nullptr;

    StridedSourceSpec spec;
    spec.format = format;
    spec.readonly = readonly != 0;
    spec.indirect = indirect != 0;
    Py_ssize_t length = 0;
    if (shapeArg) {
        if (!toInt64Vector(shapeArg, "shape", &spec.shape, &length))
            return nullptr;
        if (length > PyBUF_MAX_NDIM) {
            PyErr_SetString(PyExc_ValueError, StridedBufferStorage::ndimMessage(std::size_t(length)).c_str());
            return nullptr;
        }
    }
    if (stridesArg != Py_None) {
        std::vector<std::int64_t> strides;
        if (!toInt64Vector(stridesArg, "strides", &strides, &length))
            return nullptr;
        if (std::size_t(length) != spec.shape.size()) {
            PyErr_SetString(
                PyExc_ValueError,
                StridedBufferStorage::strideCountMessage(std::size_t(length), spec.shape.size()).c_str());
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
    if (auto parsed = StridedSourceSpec::parseFill(fill)) {
        spec.fill = *parsed;
    } else {
        PyErr_SetString(PyExc_ValueError, StridedSourceSpec::unknownFill(fill).c_str());
        return nullptr;
    }
    try {
        return newStridedBuffer(type, StridedBufferStorage::build(spec, s_pythonLimits));
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
    const StridedBufferStorage& s = storageOf(self);
    const auto requested = [flags](int mask) { return (flags & mask) == mask; };

    if (requested(PyBUF_WRITABLE) && s.readonly)
        return refuse(view,
                      "StridedBuffer is read-only, but a writable buffer (PyBUF_WRITABLE) was requested");
    if (requested(PyBUF_C_CONTIGUOUS) && !s.cOrder.contiguous)
        return refuse(view, "PyBUF_C_CONTIGUOUS requested, but the StridedBuffer is " + s.cOrder.explanation);
    if (requested(PyBUF_F_CONTIGUOUS) && !s.fortranOrder.contiguous)
        return refuse(view,
                      "PyBUF_F_CONTIGUOUS requested, but the StridedBuffer is " + s.fortranOrder.explanation);
    if (requested(PyBUF_ANY_CONTIGUOUS) && !s.anyOrder.contiguous)
        return refuse(view,
                      "PyBUF_ANY_CONTIGUOUS requested, but the StridedBuffer is " + s.anyOrder.explanation);
    if (!requested(PyBUF_INDIRECT) && s.indirect)
        return refuse(view,
                      "the StridedBuffer cannot be represented without suboffsets (PIL-style indirection), "
                      "but PyBUF_INDIRECT was not requested");
    const bool withStrides = requested(PyBUF_STRIDES);
    if (!withStrides && !s.cOrder.contiguous)
        return refuse(view, "PyBUF_STRIDES not requested, so the buffer must be C-contiguous, but the "
                            "StridedBuffer is " +
                                s.cOrder.explanation);
    const bool withShape = requested(PyBUF_ND);
    const bool withFormat = requested(PyBUF_FORMAT);
    // Without a shape the consumer sees plain unsigned bytes, which a format would contradict. The
    // docs forbid PyBUF_SIMPLE | PyBUF_FORMAT; like _testbuffer.c, refuse it even for format 'B'.
    if (!withShape && withFormat)
        return refuse(view,
                      "PyBUF_FORMAT without PyBUF_ND: a buffer without a shape is cast to unsigned bytes, "
                      "so it cannot carry the format '" +
                          s.format + "'");

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
    ++reinterpret_cast<StridedBufferObject*>(self)->exports;
    return 0;
}

void stridedBufferReleaseBuffer(PyObject* self, Py_buffer*)
{
    --reinterpret_cast<StridedBufferObject*>(self)->exports;
}

PyObject* getFormat(PyObject* self, void*)
{
    return PyUnicode_FromString(storageOf(self).format.c_str());
}
PyObject* getItemSize(PyObject* self, void*)
{
    return PyLong_FromSsize_t(storageOf(self).itemSize);
}
PyObject* getShape(PyObject* self, void*)
{
    return tupleOf(storageOf(self).shape);
}
PyObject* getStrides(PyObject* self, void*)
{
    return tupleOf(storageOf(self).strides);
}
PyObject* getSuboffsets(PyObject* self, void*)
{
    const StridedBufferStorage& s = storageOf(self);
    return s.indirect ? tupleOf(s.suboffsets) : Py_NewRef(Py_None);
}
PyObject* getOffset(PyObject* self, void*)
{
    return PyLong_FromSsize_t(storageOf(self).offset);
}
PyObject* getMemorySize(PyObject* self, void*)
{
    return PyLong_FromSsize_t(storageOf(self).memorySize);
}
PyObject* getNbytes(PyObject* self, void*)
{
    return PyLong_FromSsize_t(storageOf(self).length);
}
PyObject* getReadonly(PyObject* self, void*)
{
    return PyBool_FromLong(storageOf(self).readonly);
}
PyObject* getIndirect(PyObject* self, void*)
{
    return PyBool_FromLong(storageOf(self).indirect);
}
PyObject* getFill(PyObject* self, void*)
{
    return PyUnicode_FromString(storageOf(self).fill.c_str());
}
PyObject* getAddress(PyObject* self, void*)
{
    return PyLong_FromVoidPtr(storageOf(self).memory.get());
}
PyObject* getExports(PyObject* self, void*)
{
    return PyLong_FromSsize_t(reinterpret_cast<StridedBufferObject*>(self)->exports);
}

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
    const StridedBufferStorage& s = storageOf(self);
    return PyBytes_FromStringAndSize(reinterpret_cast<const char*>(s.memory.get()), s.memorySize);
}

PyMethodDef stridedBufferMethods[] = {
    {"memory_bytes", memoryBytes, METH_NOARGS, "memory_bytes() -> bytes: a copy of the whole memory block"},
    {nullptr, nullptr, 0, nullptr},
};

PyObject* stridedBufferRepr(PyObject* self)
{
    const StridedBufferStorage& s = storageOf(self);
    auto tupleText = [](const std::vector<Py_ssize_t>& v) {
        std::string t = "(";
        for (std::size_t i = 0; i < v.size(); ++i)
            t += (i ? ", " : "") + std::to_string(v[i]);
        return t + (v.size() == 1 ? ",)" : ")");
    };
    const std::string rest = ", shape=" + tupleText(s.shape) + ", strides=" + tupleText(s.strides) +
                             ", offset=" + std::to_string(s.offset) +
                             ", memory=" + std::to_string(s.memorySize) +
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
    "StridedBuffer(format='B', shape=(), strides=None, offset=None, readonly=False, indirect=False, "
    "fill='index', memory=None)\n\n"
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
    "_stridescope.StridedBuffer", sizeof(StridedBufferObject), 0,
    Py_TPFLAGS_DEFAULT, // no Py_TPFLAGS_BASETYPE: check() can then test the exact type
    stridedBufferSlots,
};

} // namespace

pybind11::object StridedBufferType::create(const StridedSourceSpec& spec, const SourceLimits& limits,
                                           const std::vector<std::uint8_t>* contents)
{
    PyTypeObject* cls = type();
    PyObject* object = newStridedBuffer(cls, StridedBufferStorage::build(spec, limits, contents));
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
    const StridedBufferStorage& s = storageOf(object);
    return MemoryBlock{Address(reinterpret_cast<std::uintptr_t>(s.memory.get())),
                       ByteCount(s.memorySize),
                       "StridedBuffer memory",
                       {}};
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
        pybind11::module_::import(s_moduleName.c_str());
    return s_type;
}

void StridedBufferType::addTo(pybind11::module_& module, const char* qualifiedName)
{
    PyType_Spec spec = stridedBufferSpec;
    spec.name = qualifiedName; // the type keeps the pointer: a string literal
    PyObject* type = PyType_FromSpec(&spec);
    if (!type)
        throw pybind11::error_already_set();
    // A previous interpreter's type (if Python was restarted) is simply forgotten: it died with it.
    s_type = reinterpret_cast<PyTypeObject*>(type);
    s_moduleName = pybind11::cast<std::string>(module.attr("__name__"));
    module.add_object("StridedBuffer", pybind11::reinterpret_borrow<pybind11::object>(type));
}

} // namespace stridescope
