#include "pythonerrorcapture.h"

#include <Python.h>

#include <cstring>
#include <string>

// Raw C API on purpose: nothing here may throw, and a half-broken exception (str() raising,
// traceback formatting failing) must still give a description.
namespace stridescope {

namespace {

// Owns one reference.
class Ref
{
public:
    explicit Ref(PyObject* object = nullptr) : m_object(object) {}
    ~Ref() { Py_XDECREF(m_object); }
    Ref(const Ref&) = delete;
    Ref& operator=(const Ref&) = delete;
    PyObject* get() const { return m_object; }
    explicit operator bool() const { return m_object != nullptr; }

private:
    PyObject* m_object;
};

// The UTF-8 text of a str; lone surrogates are escaped instead of failing. "" on failure.
std::string utf8(PyObject* text)
{
    if (!text || !PyUnicode_Check(text))
        return {};
    Py_ssize_t size = 0;
    if (const char* data = PyUnicode_AsUTF8AndSize(text, &size))
        return std::string(data, static_cast<std::size_t>(size));
    PyErr_Clear();
    Ref bytes(PyUnicode_AsEncodedString(text, "utf-8", "backslashreplace"));
    if (!bytes) {
        PyErr_Clear();
        return {};
    }
    return std::string(PyBytes_AS_STRING(bytes.get()),
                       static_cast<std::size_t>(PyBytes_GET_SIZE(bytes.get())));
}

std::string attributeText(PyObject* object, const char* name)
{
    Ref value(PyObject_GetAttrString(object, name));
    if (!value) {
        PyErr_Clear();
        return {};
    }
    return utf8(value.get());
}

// The name as traceback prints it: qualified by its module unless that is builtins or __main__.
std::string typeName(PyObject* type)
{
    std::string name = attributeText(type, "__qualname__");
    if (name.empty() && PyType_Check(type))
        name = reinterpret_cast<PyTypeObject*>(type)->tp_name;
    const std::string module = attributeText(type, "__module__");
    if (!module.empty() && module != "builtins" && module != "__main__")
        name = module + "." + name;
    return name;
}

std::string messageOf(PyObject* value)
{
    if (!value)
        return {};
    Ref text(PyObject_Str(value));
    if (!text) {
        PyErr_Clear();
        return "<exception str() failed>"; // what Python's own traceback prints then
    }
    return utf8(text.get());
}

long longAttribute(PyObject* object, const char* name)
{
    Ref value(PyObject_GetAttrString(object, name));
    if (!value || !PyLong_Check(value.get())) {
        PyErr_Clear();
        return -1;
    }
    const long result = PyLong_AsLong(value.get());
    if (result == -1 && PyErr_Occurred())
        PyErr_Clear();
    return result;
}

// The line in the user's code: the innermost traceback frame compiled from kScenarioFilename, or
// for a syntax error in that code, the line the parser names.
int scenarioLine(PyObject* type, PyObject* value, PyObject* traceback)
{
    if (value && PyErr_GivenExceptionMatches(type, PyExc_SyntaxError) &&
        attributeText(value, "filename") == kScenarioFilename) {
        const long line = longAttribute(value, "lineno");
        if (line > 0)
            return static_cast<int>(line);
    }
    int line = -1;
    PyObject* entry = traceback; // borrowed; the chain is kept alive by `traceback`
    while (entry && PyTraceBack_Check(entry)) {
        auto* tb = reinterpret_cast<PyTracebackObject*>(entry);
        if (tb->tb_frame) {
            Ref code(reinterpret_cast<PyObject*>(PyFrame_GetCode(tb->tb_frame)));
            if (code && attributeText(code.get(), "co_filename") == kScenarioFilename) {
                const long lineNumber = longAttribute(entry, "tb_lineno");
                if (lineNumber > 0)
                    line = static_cast<int>(lineNumber);
            }
        }
        entry = reinterpret_cast<PyObject*>(tb->tb_next);
    }
    return line;
}

std::string formatTraceback(PyObject* type, PyObject* value, PyObject* traceback)
{
    Ref module(PyImport_ImportModule("traceback"));
    Ref lines(module ? PyObject_CallMethod(module.get(), "format_exception", "OOO", type,
                                           value ? value : Py_None, traceback ? traceback : Py_None)
                     : nullptr);
    Ref separator(lines ? PyUnicode_FromString("") : nullptr);
    Ref joined(separator ? PyUnicode_Join(separator.get(), lines.get()) : nullptr);
    if (!joined) {
        PyErr_Clear();
        return {};
    }
    return utf8(joined.get());
}

} // namespace

PythonError takePythonError() noexcept
{
    PythonError error;
    try {
        PyObject* type = nullptr;
        PyObject* value = nullptr;
        PyObject* traceback = nullptr;
        PyErr_Fetch(&type, &value, &traceback);
        if (!type) {
            error.type = "SystemError";
            error.message = "no Python exception was set";
            return error;
        }
        PyErr_NormalizeException(&type, &value, &traceback);
        const Ref typeOwner(type);
        const Ref valueOwner(value);
        const Ref tracebackOwner(traceback);
        if (value && traceback)
            PyException_SetTraceback(value, traceback);

        error.type = typeName(type);
        error.message = messageOf(value);
        error.line = scenarioLine(type, value, traceback);
        error.traceback = formatTraceback(type, value, traceback);
        if (error.traceback.empty())
            error.traceback = error.oneLine() + "\n";
    } catch (...) {
        // Only running out of memory gets here; keep what was gathered.
    }
    PyErr_Clear();
    return error;
}

} // namespace stridescope
