// misbehaving_exporters: raw C-API buffer exporters that break one rule of the buffer protocol each,
// for the conformance check's tests (tst_probe, tst_cli). Built as a real extension module in the
// build tree, so the worker process imports it like any user's extension.
#include <Python.h>

#include <cstring>

namespace {

// FormatAlways: four int16 values that set format "h" whatever the request (the rule: format MUST
// be NULL unless PyBUF_FORMAT). Everything else is as the request asks.
struct FormatAlways
{
    PyObject_HEAD short values[4];
    Py_ssize_t shape[1];
    Py_ssize_t strides[1];
};

int formatAlwaysGetBuffer(PyObject* self, Py_buffer* view, int flags)
{
    auto* o = reinterpret_cast<FormatAlways*>(self);
    view->obj = Py_NewRef(self);
    view->buf = o->values;
    view->len = sizeof o->values;
    view->itemsize = sizeof o->values[0];
    view->readonly = 0;
    view->ndim = 1;
    view->format = const_cast<char*>("h"); // the broken rule: set even without PyBUF_FORMAT
    view->shape = (flags & PyBUF_ND) == PyBUF_ND ? o->shape : nullptr;
    view->strides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES ? o->strides : nullptr;
    view->suboffsets = nullptr;
    view->internal = nullptr;
    return 0;
}

PyObject* formatAlwaysNew(PyTypeObject* type, PyObject*, PyObject*)
{
    auto* o = reinterpret_cast<FormatAlways*>(type->tp_alloc(type, 0));
    if (!o)
        return nullptr;
    for (int i = 0; i < 4; ++i)
        o->values[i] = short(i);
    o->shape[0] = 4;
    o->strides[0] = sizeof(short);
    return reinterpret_cast<PyObject*>(o);
}

PyBufferProcs formatAlwaysBuffer = {formatAlwaysGetBuffer, nullptr};

// LeakyRef: eight bytes exported with PyBuffer_FillInfo, which takes the view's reference, and one
// reference more that nothing releases (the rule: the count is back after PyBuffer_Release).
struct LeakyRef
{
    PyObject_HEAD unsigned char bytes[8];
};

int leakyRefGetBuffer(PyObject* self, Py_buffer* view, int flags)
{
    auto* o = reinterpret_cast<LeakyRef*>(self);
    if (PyBuffer_FillInfo(view, self, o->bytes, sizeof o->bytes, 0, flags) < 0)
        return -1;
    Py_INCREF(self); // the broken rule: a reference no release gives back
    return 0;
}

PyBufferProcs leakyRefBuffer = {leakyRefGetBuffer, nullptr};

// WildPointers: a lying exporter. Asked with strides it is a sane 8-byte vector; asked without,
// its shape and format point to unmapped memory (address 16) and its ndim is whatever it was built
// with (65 breaks PyBUF_MAX_NDIM). A consumer that reads them in place crashes; Stridescope must
// report them instead. WildPointers(ndim, always=FIELD) lies in every answer, PyBUF_FULL_RO's too:
// FIELD ("format", "shape", "strides", "suboffsets") points to address 16 wherever the request asks
// for it, and ndim is the one it was built with ("ndim": only that lie).
struct WildPointers
{
    PyObject_HEAD int ndim;
    char always[16];
    unsigned char bytes[8];
    Py_ssize_t shape[1];
    Py_ssize_t strides[1];
};

int wildPointersGetBuffer(PyObject* self, Py_buffer* view, int flags)
{
    auto* o = reinterpret_cast<WildPointers*>(self);
    const bool everywhere = o->always[0] != 0;
    const bool sane = !everywhere && (flags & PyBUF_STRIDES) == PyBUF_STRIDES;
    view->obj = Py_NewRef(self);
    view->buf = o->bytes;
    view->len = sizeof o->bytes;
    view->itemsize = 1;
    view->readonly = 0;
    view->ndim = sane ? 1 : o->ndim;
    char* wildFormat = reinterpret_cast<char*>(16);
    auto* wildArray = reinterpret_cast<Py_ssize_t*>(16);
    const bool asksFormat = (flags & PyBUF_FORMAT) == PyBUF_FORMAT;
    const bool asksShape = (flags & PyBUF_ND) == PyBUF_ND;
    const bool asksStrides = (flags & PyBUF_STRIDES) == PyBUF_STRIDES;
    const bool asksSuboffsets = (flags & PyBUF_INDIRECT) == PyBUF_INDIRECT;
    if (everywhere) {
        const auto wild = [o](const char* field) { return std::strcmp(o->always, field) == 0; };
        view->format = !asksFormat ? nullptr : wild("format") ? wildFormat : const_cast<char*>("B");
        view->shape = !asksShape ? nullptr : wild("shape") ? wildArray : o->shape;
        view->strides = !asksStrides ? nullptr : wild("strides") ? wildArray : o->strides;
        view->suboffsets = asksSuboffsets && wild("suboffsets") ? wildArray : nullptr;
    } else {
        view->format = asksFormat ? (sane ? const_cast<char*>("B") : wildFormat) : nullptr;
        view->shape = sane ? o->shape : asksShape ? wildArray : nullptr;
        view->strides = sane ? o->strides : nullptr;
        view->suboffsets = nullptr;
    }
    view->internal = nullptr;
    return 0;
}

PyObject* wildPointersNew(PyTypeObject* type, PyObject* args, PyObject* kwargs)
{
    int ndim = 1;
    const char* always = "";
    static const char* keywords[] = {"ndim", "always", nullptr};
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|is", const_cast<char**>(keywords), &ndim, &always))
        return nullptr;
    if (std::strlen(always) >= sizeof WildPointers{}.always) {
        PyErr_SetString(PyExc_ValueError, "always: a field name");
        return nullptr;
    }
    auto* o = reinterpret_cast<WildPointers*>(type->tp_alloc(type, 0));
    if (o) {
        o->ndim = ndim;
        std::strcpy(o->always, always);
        o->shape[0] = sizeof o->bytes;
        o->strides[0] = 1;
    }
    return reinterpret_cast<PyObject*>(o);
}

PyBufferProcs wildPointersBuffer = {wildPointersGetBuffer, nullptr};

PyTypeObject formatAlwaysType = {PyVarObject_HEAD_INIT(nullptr, 0)};
PyTypeObject leakyRefType = {PyVarObject_HEAD_INIT(nullptr, 0)};
PyTypeObject wildPointersType = {PyVarObject_HEAD_INIT(nullptr, 0)};

PyModuleDef moduleDef = {PyModuleDef_HEAD_INIT, "misbehaving_exporters",
                         "Buffer exporters that break one rule each (Stridescope's tests).", -1};

} // namespace

PyMODINIT_FUNC PyInit_misbehaving_exporters()
{
    formatAlwaysType.tp_name = "misbehaving_exporters.FormatAlways";
    formatAlwaysType.tp_basicsize = sizeof(FormatAlways);
    formatAlwaysType.tp_flags = Py_TPFLAGS_DEFAULT;
    formatAlwaysType.tp_new = formatAlwaysNew;
    formatAlwaysType.tp_as_buffer = &formatAlwaysBuffer;
    leakyRefType.tp_name = "misbehaving_exporters.LeakyRef";
    leakyRefType.tp_basicsize = sizeof(LeakyRef);
    leakyRefType.tp_flags = Py_TPFLAGS_DEFAULT;
    leakyRefType.tp_new = PyType_GenericNew;
    leakyRefType.tp_as_buffer = &leakyRefBuffer;
    wildPointersType.tp_name = "misbehaving_exporters.WildPointers";
    wildPointersType.tp_basicsize = sizeof(WildPointers);
    wildPointersType.tp_flags = Py_TPFLAGS_DEFAULT;
    wildPointersType.tp_new = wildPointersNew;
    wildPointersType.tp_as_buffer = &wildPointersBuffer;
    if (PyType_Ready(&formatAlwaysType) < 0 || PyType_Ready(&leakyRefType) < 0 ||
        PyType_Ready(&wildPointersType) < 0)
        return nullptr;
    PyObject* module = PyModule_Create(&moduleDef);
    if (!module)
        return nullptr;
    if (PyModule_AddObjectRef(module, "FormatAlways", reinterpret_cast<PyObject*>(&formatAlwaysType)) < 0 ||
        PyModule_AddObjectRef(module, "LeakyRef", reinterpret_cast<PyObject*>(&leakyRefType)) < 0 ||
        PyModule_AddObjectRef(module, "WildPointers", reinterpret_cast<PyObject*>(&wildPointersType)) < 0) {
        Py_DECREF(module);
        return nullptr;
    }
    return module;
}
