#include "outputcapture.h"

#include <pybind11/eval.h>

#include <Python.h>

namespace py = pybind11;

namespace stridescope {

struct OutputCapture::Buffer
{
    std::string text;
    std::size_t limit = 0;
    bool truncated = false;
    bool closed = false; // the capture ended: writes through a kept reference are dropped

    // Appends a str, cut at `limit` bytes on a character boundary. Returns true once something
    // has been dropped, so the writer can skip the call for everything that follows.
    bool append(PyObject* text)
    {
        if (closed)
            return true;
        const Py_ssize_t length = PyUnicode_GET_LENGTH(text);
        if (length == 0)
            return truncated;
        const std::size_t room = limit - std::min(limit, this->text.size());
        if (room == 0) {
            truncated = true;
            return true;
        }
        // At most `room` characters can fit (each is at least one byte): convert no more than that.
        py::object head = py::reinterpret_steal<py::object>(
            PyUnicode_Substring(text, 0, static_cast<Py_ssize_t>(std::min<std::size_t>(room, length))));
        if (!head)
            throw py::error_already_set();
        const bool cutCharacters = static_cast<std::size_t>(length) > room;
        Py_ssize_t size = 0;
        const char* data = PyUnicode_AsUTF8AndSize(head.ptr(), &size);
        py::object escaped;
        if (!data) {
            // Lone surrogates (e.g. from os.fsdecode) cannot be UTF-8: escape them as print would.
            PyErr_Clear();
            escaped = py::reinterpret_steal<py::object>(
                PyUnicode_AsEncodedString(head.ptr(), "utf-8", "backslashreplace"));
            if (!escaped)
                throw py::error_already_set();
            data = PyBytes_AS_STRING(escaped.ptr());
            size = PyBytes_GET_SIZE(escaped.ptr());
        }
        std::size_t take = static_cast<std::size_t>(size);
        if (take > room) {
            take = room;
            while (take > 0 && (static_cast<unsigned char>(data[take]) & 0xC0) == 0x80)
                --take; // never split a multi-byte character
        }
        this->text.append(data, take);
        if (cutCharacters || take < static_cast<std::size_t>(size))
            truncated = true;
        return truncated;
    }
};

namespace {

// The stream object user code sees. TextIOBase supplies the parts of the file protocol that code
// probes (writable(), isatty(), fileno() raising, closed, ...); only write() is ours.
constexpr const char* kWriterSource = R"PY(
import io

class CapturedOutput(io.TextIOBase):
    def __init__(self, append, name):
        self._append = append
        self._full = False
        self._name = name

    @property
    def name(self):
        return self._name

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "strict"

    def writable(self):
        return True

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError(f"write() argument must be str, not {type(s).__name__}")
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        if not self._full:
            self._full = self._append(s)
        return len(s)
)PY";

} // namespace

OutputCapture::OutputCapture(std::size_t limit) : m_buffer(std::make_shared<Buffer>())
{
    m_buffer->limit = limit;
    py::dict scope;
    scope["__builtins__"] = py::module_::import("builtins");
    py::exec(kWriterSource, scope);
    std::shared_ptr<Buffer> buffer = m_buffer;
    py::cpp_function append([buffer](py::str text) { return buffer->append(text.ptr()); });
    py::object stdoutWriter = scope["CapturedOutput"](append, "<stdout>");
    py::object stderrWriter = scope["CapturedOutput"](append, "<stderr>");
    py::object emptyInput = py::module_::import("io").attr("StringIO")();

    // Borrowed from sys; null when a stream is missing (restore() then deletes ours again).
    m_stdout = py::reinterpret_borrow<py::object>(PySys_GetObject("stdout"));
    m_stderr = py::reinterpret_borrow<py::object>(PySys_GetObject("stderr"));
    m_stdin = py::reinterpret_borrow<py::object>(PySys_GetObject("stdin"));
    if (PySys_SetObject("stdout", stdoutWriter.ptr()) != 0 ||
        PySys_SetObject("stderr", stderrWriter.ptr()) != 0 ||
        PySys_SetObject("stdin", emptyInput.ptr()) != 0) {
        py::error_already_set error;
        restore(); // the destructor will not run: put back what was replaced
        throw error;
    }
}

OutputCapture::~OutputCapture()
{
    restore();
}

void OutputCapture::restore() noexcept
{
    if (m_restored)
        return;
    m_restored = true;
    m_buffer->closed = true;
    // PySys_SetObject neither runs Python code nor raises for these names, so the exception the
    // code left (if any) is kept as it was; fetch it anyway so nothing here can disturb it.
    PyObject *type = nullptr, *value = nullptr, *traceback = nullptr;
    PyErr_Fetch(&type, &value, &traceback);
    if (PySys_SetObject("stdout", m_stdout.ptr()) != 0 || PySys_SetObject("stderr", m_stderr.ptr()) != 0 ||
        PySys_SetObject("stdin", m_stdin.ptr()) != 0)
        PyErr_Clear();
    PyErr_Restore(type, value, traceback);
}

std::string OutputCapture::text() const
{
    return m_buffer->text;
}

bool OutputCapture::truncated() const
{
    return m_buffer->truncated;
}

} // namespace stridescope
