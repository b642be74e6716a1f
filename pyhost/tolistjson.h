#pragma once

#include <Python.h>

#include <optional>
#include <string>

namespace stridescope {

// memoryview.tolist()'s nested lists as JSON text, written without importing Python's json module
// (which, with re, costs a quarter of the worker's start-up). Values come out as json.dumps writes
// them: ints and floats by their repr, True/False/None as true/false/null; NaN and the infinities,
// which JSON lacks, as the strings "NaN", "Infinity" and "-Infinity"; anything else (the bytes
// objects of format 'c') as the string of its repr.
class TolistJson
{
public:
    // nullopt with a Python error set when a repr fails.
    static std::optional<std::string> encode(PyObject* value);

private:
    static bool append(PyObject* value, std::string& out);
    static bool appendRepr(PyObject* value, std::string& out, bool quoted);
    static void appendQuoted(const char* text, Py_ssize_t size, std::string& out);
};

} // namespace stridescope
