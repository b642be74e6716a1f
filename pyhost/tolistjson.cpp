#include "tolistjson.h"

#include <cmath>
#include <cstdio>

namespace stridescope {

std::optional<std::string> TolistJson::encode(PyObject* value)
{
    std::string out;
    if (!append(value, out))
        return std::nullopt;
    return out;
}

bool TolistJson::append(PyObject* value, std::string& out)
{
    if (PyList_Check(value) || PyTuple_Check(value)) {
        // tolist() nests at most PyBUF_MAX_NDIM (64) lists deep: the recursion is bounded.
        const bool list = PyList_Check(value);
        const Py_ssize_t n = list ? PyList_GET_SIZE(value) : PyTuple_GET_SIZE(value);
        out += '[';
        for (Py_ssize_t i = 0; i < n; ++i) {
            if (i)
                out += ',';
            if (!append(list ? PyList_GET_ITEM(value, i) : PyTuple_GET_ITEM(value, i), out))
                return false;
        }
        out += ']';
        return true;
    }
    if (value == Py_True || value == Py_False || value == Py_None) {
        out += value == Py_True ? "true" : value == Py_False ? "false" : "null";
        return true;
    }
    if (PyFloat_Check(value)) {
        const double d = PyFloat_AS_DOUBLE(value);
        if (std::isnan(d)) {
            out += "\"NaN\"";
            return true;
        }
        if (std::isinf(d)) {
            out += d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
            return true;
        }
        return appendRepr(value, out, false);
    }
    return appendRepr(value, out, !PyLong_Check(value));
}

bool TolistJson::appendRepr(PyObject* value, std::string& out, bool quoted)
{
    PyObject* repr = PyObject_Repr(value);
    if (!repr)
        return false;
    Py_ssize_t size = 0;
    const char* text = PyUnicode_AsUTF8AndSize(repr, &size);
    if (text) {
        if (quoted)
            appendQuoted(text, size, out);
        else
            out.append(text, std::size_t(size));
    }
    Py_DECREF(repr);
    return text != nullptr;
}

void TolistJson::appendQuoted(const char* text, Py_ssize_t size, std::string& out)
{
    out += '"';
    for (Py_ssize_t i = 0; i < size; ++i) {
        const unsigned char c = static_cast<unsigned char>(text[i]);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += char(c);
        } else if (c < 0x20) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
            out += escaped;
        } else {
            out += char(c);
        }
    }
    out += '"';
}

} // namespace stridescope
