#include "snippetgenerator.h"

#include "core/stridedlayout.h"
#include "pyhost/stridedbufferstorage.h"

#include <QRegularExpression>
#include <QStringList>

#include <optional>

namespace stridescope {

namespace {

constexpr ByteCount kPointerSize = sizeof(void*);

QString list(const std::vector<std::int64_t>& values, bool pythonTuple)
{
    QStringList parts;
    for (auto v : values)
        parts << QString::number(v);
    if (pythonTuple)
        return QLatin1Char('(') + parts.join(QStringLiteral(", ")) +
               (values.size() == 1 ? QStringLiteral(",)") : QStringLiteral(")"));
    return QLatin1Char('{') + parts.join(QStringLiteral(", ")) + QLatin1Char('}');
}

// Every user string placed in generated code goes through one of these three: the text reaches
// the program as data, whatever it holds (quotes, backslashes, new lines, "*/", NUL, non-ASCII).

// A C string literal. Escaped byte by byte (UTF-8): quotes and backslashes, '?' (no trigraph can
// form), control and non-ASCII bytes as three-digit octal (which, unlike \x, cannot swallow the
// next character). A new line also splits the literal, so code reads line by line.
QString cString(const QString& text)
{
    QString out = QStringLiteral("\"");
    for (const char byte : text.toUtf8()) {
        const auto b = static_cast<unsigned char>(byte);
        if (b == '\\' || b == '"' || b == '?')
            out.append(QLatin1Char('\\')).append(QLatin1Char(char(b)));
        else if (b == '\n')
            out += QStringLiteral("\\n\"\n        \"");
        else if (b == '\t')
            out += QStringLiteral("\\t");
        else if (b < 0x20 || b >= 0x7f)
            out += QStringLiteral("\\%1").arg(uint(b), 3, 8, QLatin1Char('0'));
        else
            out += QLatin1Char(char(b));
    }
    return out + QLatin1Char('"');
}

// Text inside a /* */ comment: the C literal of it (one line, no control characters), with "*/"
// and "/*" broken so the comment can neither end early nor nest.
QString cComment(const QString& text)
{
    return cString(text).replace(QStringLiteral("*/"), QStringLiteral("*\\/")).replace(QStringLiteral("/*"),
                                                                                       QStringLiteral("/\\*"));
}

// A Python string literal (bytes literal with `bytes`), as repr() writes one: backslashes, quotes,
// control characters (a new line would end the line of code) and, in bytes, non-ASCII as \x escapes.
QString pyString(const std::string& text, bool bytes = false)
{
    QString out = bytes ? QStringLiteral("b'") : QStringLiteral("'");
    const QString decoded = QString::fromStdString(text);
    const auto escapeByte = [&out](unsigned char b) { out += QStringLiteral("\\x%1").arg(uint(b), 2, 16, QLatin1Char('0')); };
    if (bytes) {
        for (const char byte : text) {
            const auto b = static_cast<unsigned char>(byte);
            if (b == '\\' || b == '\'')
                out.append(QLatin1Char('\\')).append(QLatin1Char(char(b)));
            else if (b < 0x20 || b >= 0x7f)
                escapeByte(b);
            else
                out += QLatin1Char(char(b));
        }
    } else {
        for (const char32_t u : decoded.toUcs4()) {
            if (u == '\\' || u == '\'')
                out.append(QLatin1Char('\\')).append(QLatin1Char(char(u)));
            else if (u < 0x20 || u == 0x7f)
                escapeByte(static_cast<unsigned char>(u));
            else if (!QChar::isPrint(u))
                out += u > 0xFFFF ? QStringLiteral("\\U%1").arg(uint(u), 8, 16, QLatin1Char('0'))
                                  : QStringLiteral("\\u%1").arg(uint(u), 4, 16, QLatin1Char('0'));
            else
                out += QString::fromUcs4(&u, 1);
        }
    }
    return out + QLatin1Char('\'');
}

// The buffer of a strided or memory scenario as Stridescope builds it (the defaults filled in and
// checked by the one rule, StridedBufferStorage::resolve), or the one-line reason it is refused.
struct Resolution
{
    std::optional<ResolvedStridedSpec> buffer;
    QString refusal;
};

Resolution resolve(const StridedSourceSpec& spec, const SourceLimits& limits)
{
    try {
        return {StridedBufferStorage::resolve(spec, limits), QString()};
    } catch (const SourceError& error) {
        return {std::nullopt, QString::fromStdString(error.what())};
    }
}

const char* kCHeader = R"(/* Reproduces Stridescope's scenario: %1.
 * Build: cc demo.c $(python3-config --cflags --embed) $(python3-config --ldflags --embed) -o demo */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>

/* What PyMemoryView_GetContiguous gave: alias or copy, where its buffer lives, what GET_BASE is. */
static void describe(PyObject *result, PyObject *obj, const void *memory, Py_ssize_t memory_size)
{
    Py_buffer *view = PyMemoryView_GET_BUFFER(result);
    PyObject *base = PyMemoryView_GET_BASE(result);
    const char *p = (const char *)view->buf, *m = (const char *)memory;
    /* A copy lives in a new bytes object, which is the result's base. */
    int copied = base != NULL && base != obj && PyBytes_Check(base) && PyBytes_AS_STRING(base) == p &&
                 !(PyMemoryView_Check(obj) && PyMemoryView_GET_BASE(obj) == base);
    if (copied)
        printf("COPY: a new %zd-byte buffer", view->len);
    else if (m != NULL && p >= m && p <= m + memory_size)
        printf("ALIAS: buf = memory + %td", p - m);
    else
        printf("ALIAS: the memory of obj");
    printf(", len %zd, readonly %d, GET_BASE %s\n", view->len, view->readonly,
           base ? Py_TYPE(base)->tp_name : "NULL");
}

int main(void)
{
    Py_Initialize();
)";

const char* kCCall = R"(
    PyObject *result = PyMemoryView_GetContiguous(obj, %1);
    if (result == NULL) {
        PyErr_Print(); /* the exception, e.g. BufferError */
    } else {
        describe(result, obj, %2, %3);
        Py_DECREF(result);
    }
    Py_DECREF(obj);
    return Py_FinalizeEx() < 0 ? 1 : 0;
}
)";

const char* kPythonCall = R"(
# PyMemoryView_GetContiguous itself, through ctypes.
PyBUF_READ, PyBUF_WRITE = 0x100, 0x200
get_contiguous = ctypes.pythonapi.PyMemoryView_GetContiguous
get_contiguous.restype = ctypes.py_object
get_contiguous.argtypes = (ctypes.py_object, ctypes.c_int, ctypes.c_char)
result = get_contiguous(obj, %1, b'%2')
# An alias keeps the exporter as its base (GET_BASE); a copy's base is a new bytes object.
same = result.obj is obj or (isinstance(obj, memoryview) and result.obj is obj.obj)
base = 'NULL' if result.obj is None else type(result.obj).__name__
print(f"{'ALIAS' if same else 'COPY'}: shape {result.shape}, strides {result.strides}, "
      f"readonly {result.readonly}, GET_BASE {base}")
)";

// A scenario Stridescope refuses has no buffer to reproduce: the snippet says why, and a program
// made from it prints that and fails, as the exporter would.
const char* kCRefusal = R"(/* Stridescope refuses this scenario: %1 */
#include <stdio.h>

int main(void)
{
    fputs(%2 "\n", stderr);
    return 1;
}
)";

const char* kPythonRefusal = R"(# Stridescope refuses this scenario: %1
raise ValueError(%1)
)";

QString cFill(const StridedSourceSpec& spec, const QString& array, const QString& size)
{
    if (spec.fill == "zero")
        return QString();
    return QStringLiteral("    for (Py_ssize_t k = 0; k < %1; ++k) /* the contents: byte k holds k */\n"
                          "        %2[k] = (char)k;\n")
        .arg(size, array);
}

QString cStridedSource(const Scenario& scenario, const ResolvedStridedSpec& r)
{
    const StridedSourceSpec& spec = scenario.strided;
    QString out;
    const bool fromMemory = scenario.kind == Scenario::SourceKind::Memory &&
                            scenario.memoryFunction == MemoryViewFunction::FromMemory;
    if (fromMemory) {
        const ByteCount size = r.memorySize;
        out += QStringLiteral("    static _Alignas(16) char memory[%1];\n").arg(std::max<ByteCount>(size, 1));
        out += cFill(spec, QStringLiteral("memory"), QString::number(size));
        out += QStringLiteral("    /* A memoryview over memory no object owns: GET_BASE is NULL. */\n"
                              "    PyObject *obj = PyMemoryView_FromMemory(memory, %1, %2);\n")
                   .arg(size)
                   .arg(spec.readonly ? QStringLiteral("PyBUF_READ") : QStringLiteral("PyBUF_WRITE"));
        return out + QStringLiteral("    if (obj == NULL) { PyErr_Print(); return 1; }\n");
    }
    const QString ndim = QString::number(r.shape.size());
    if (spec.indirect && !r.shape.empty()) {
        // The PIL layout: a table of row pointers, each row its own span.
        const Extent rows = r.shape[0];
        out += QStringLiteral("    static _Alignas(16) char memory[%1][%2]; /* the rows */\n"
                              "    static char *table[%1]; /* the pointer table buf points to */\n")
                   .arg(std::max<Extent>(rows, 1))
                   .arg(std::max<ByteCount>(r.rowSpan, 1));
        out += cFill(spec, QStringLiteral("((char *)memory)"), QStringLiteral("(Py_ssize_t)sizeof memory"));
        out += QStringLiteral("    for (Py_ssize_t i = 0; i < %1; ++i)\n"
                              "        table[i] = memory[i] + %2;\n")
                   .arg(rows)
                   .arg(r.rowLead);
        std::vector<ByteOffset> suboffsets(r.shape.size(), -1);
        suboffsets[0] = 0;
        std::vector<ByteOffset> strides = r.strides;
        strides[0] = kPointerSize; // the table as C lays it out
        out += QStringLiteral("    Py_ssize_t shape[] = %1, strides[] = %2, suboffsets[] = %3;\n")
                   .arg(list(r.shape, false), list(strides, false), list(suboffsets, false));
    } else {
        out += QStringLiteral("    static _Alignas(16) char memory[%1];\n")
                   .arg(std::max<ByteCount>(r.memorySize, 1));
        out += cFill(spec, QStringLiteral("memory"), QString::number(r.memorySize));
        if (!r.shape.empty())
            out += QStringLiteral("    Py_ssize_t shape[] = %1, strides[] = %2;\n")
                       .arg(list(r.shape, false), list(r.strides, false));
    }
    out += QStringLiteral("    Py_buffer view = {0};\n"
                          "    view.buf = %1;\n"
                          "    view.obj = NULL;\n"
                          "    view.len = %2;\n"
                          "    view.itemsize = %3;\n"
                          "    view.readonly = %4;\n"
                          "    view.ndim = %5;\n"
                          "    view.format = %6;\n")
               .arg(spec.indirect ? QStringLiteral("table") : QStringLiteral("memory + %1").arg(r.offset))
               .arg(r.length)
               .arg(r.itemSize)
               .arg(spec.readonly ? 1 : 0)
               .arg(ndim, cString(QString::fromStdString(spec.format)));
    if (!r.shape.empty())
        out += QStringLiteral("    view.shape = shape;\n    view.strides = strides;\n");
    if (spec.indirect && !r.shape.empty())
        out += QStringLiteral("    view.suboffsets = suboffsets;\n");
    out += scenario.kind == Scenario::SourceKind::Strided
               ? QStringLiteral("    /* Stridescope's exporter is an object (GET_BASE of an alias is that "
                                "object); here the\n"
                                "       same fields go through PyMemoryView_FromBuffer, so GET_BASE of an "
                                "alias is NULL. */\n")
               : QStringLiteral("    /* obj = NULL: the memoryview has no exporter, GET_BASE is NULL. */\n");
    out += QStringLiteral("    PyObject *obj = PyMemoryView_FromBuffer(&view);\n"
                          "    if (obj == NULL) { PyErr_Print(); return 1; }\n");
    return out;
}

QString requestC(const Scenario& scenario)
{
    return QString::fromStdString(scenario.request.cExpression());
}

} // namespace

std::pair<QString, QString> SnippetGenerator::splitFinalExpression(const QString& code)
{
    QStringList lines = code.split(QLatin1Char('\n'));
    while (!lines.isEmpty() && lines.last().trimmed().isEmpty())
        lines.removeLast();
    if (lines.isEmpty())
        return {code, QString()};
    const QString last = lines.last();
    // A final line that is a statement: indented (a block), an assignment, or a keyword statement.
    static const QRegularExpression statement(QStringLiteral(
        R"(^(\s|#|@)|^[\w.\[\], ]+\s*([-+*/%&|^@]|//|\*\*|<<|>>)?=[^=]|^(import|from|def|class|for|while|if|elif|else|with|try|except|finally|return|pass|del|assert|raise|global|nonlocal|break|continue|async)\b)"));
    if (statement.match(last).hasMatch())
        return {code, QString()};
    lines.removeLast();
    return {lines.join(QLatin1Char('\n')), last.trimmed()};
}

QString SnippetGenerator::c(const Scenario& scenario, const SourceLimits& limits)
{
    QString out;
    if (scenario.kind == Scenario::SourceKind::Python) {
        const auto [body, expression] = splitFinalExpression(QString::fromStdString(scenario.code));
        out += QString::fromLatin1(kCHeader).arg(QStringLiteral("an object made by Python code"));
        out += QStringLiteral("    PyObject *ns = PyDict_New();\n"
                              "    PyDict_SetItemString(ns, \"__builtins__\", PyEval_GetBuiltins());\n"
                              "    PyObject *np = PyImport_ImportModule(\"numpy\");\n"
                              "    if (np) { PyDict_SetItemString(ns, \"np\", np); Py_DECREF(np); }\n"
                              "    PyObject *done = PyRun_String(%1, Py_file_input, ns, ns);\n"
                              "    if (done == NULL) { PyErr_Print(); return 1; }\n"
                              "    Py_DECREF(done);\n")
                   .arg(cString(body + QLatin1Char('\n')));
        if (expression.isEmpty())
            out +=
                QStringLiteral("    PyObject *obj = PyDict_GetItemString(ns, \"buf\");\n"
                               "    if (obj == NULL) { fputs(\"no variable buf\\n\", stderr); return 1; }\n"
                               "    Py_INCREF(obj);\n");
        else
            out += QStringLiteral("    PyObject *obj = PyRun_String(%1, Py_eval_input, ns, ns);\n"
                                  "    if (obj == NULL) { PyErr_Print(); return 1; }\n")
                       .arg(cString(expression));
        out +=
            QString::fromLatin1(kCCall).arg(requestC(scenario), QStringLiteral("NULL"), QStringLiteral("0"));
        return out;
    }
    const bool fromMemory = scenario.kind == Scenario::SourceKind::Memory &&
                            scenario.memoryFunction == MemoryViewFunction::FromMemory;
    const QString what = scenario.kind == Scenario::SourceKind::Strided
                             ? QStringLiteral("a strided buffer, format %1")
                                   .arg(cComment(QString::fromStdString(scenario.strided.format)))
                         : fromMemory ? QStringLiteral("PyMemoryView_FromMemory")
                                      : QStringLiteral("PyMemoryView_FromBuffer");
    const Resolution resolution = resolve(scenario.strided, limits);
    if (!resolution.buffer)
        return QString::fromLatin1(kCRefusal).arg(cComment(resolution.refusal), cString(resolution.refusal));
    out += QString::fromLatin1(kCHeader).arg(what);
    out += cStridedSource(scenario, *resolution.buffer);
    out += QString::fromLatin1(kCCall).arg(requestC(scenario), QStringLiteral("memory"),
                                           QStringLiteral("(Py_ssize_t)sizeof memory"));
    return out;
}

QString SnippetGenerator::python(const Scenario& scenario, const SourceLimits& limits)
{
    const StridedSourceSpec& spec = scenario.strided;
    Resolution resolution;
    if (scenario.kind != Scenario::SourceKind::Python) {
        resolution = resolve(spec, limits);
        if (!resolution.buffer)
            return QString::fromLatin1(kPythonRefusal).arg(pyString(resolution.refusal.toStdString()));
    }
    const QString request = scenario.request.bufferType == ConversionRequest::BufferType::Read
                                ? QStringLiteral("PyBUF_READ")
                                : QStringLiteral("PyBUF_WRITE");
    QString out = QStringLiteral("import ctypes\n");
    switch (scenario.kind) {
    case Scenario::SourceKind::Python: {
        const auto [body, expression] = splitFinalExpression(QString::fromStdString(scenario.code));
        out += QStringLiteral("import numpy as np\n\n") + body + QLatin1Char('\n');
        out += expression.isEmpty() ? QStringLiteral("obj = buf\n")
                                    : QStringLiteral("obj = %1\n").arg(expression);
        break;
    }
    case Scenario::SourceKind::Strided: {
        QStringList args;
        args << QStringLiteral("format=%1").arg(pyString(spec.format))
             << QStringLiteral("shape=%1").arg(list(spec.shape, true));
        if (spec.strides)
            args << QStringLiteral("strides=%1").arg(list(*spec.strides, true));
        if (spec.offset)
            args << QStringLiteral("offset=%1").arg(*spec.offset);
        if (spec.memory)
            args << QStringLiteral("memory=%1").arg(*spec.memory);
        if (spec.readonly)
            args << QStringLiteral("readonly=True");
        if (spec.indirect)
            args << QStringLiteral("indirect=True");
        if (spec.fill != "index")
            args << QStringLiteral("fill=%1").arg(pyString(spec.fill));
        out +=
            QStringLiteral("import _stridescope  # Stridescope's exporter: run this in its Python editor\n\n"
                           "obj = _stridescope.StridedBuffer(%1)\n")
                .arg(args.join(QStringLiteral(", ")));
        break;
    }
    case Scenario::SourceKind::Memory: {
        const ResolvedStridedSpec& r = *resolution.buffer;
        const ByteCount size = r.memorySize;
        out += QStringLiteral(
                   "\nmemory = (ctypes.c_ubyte * %1)(*(k % 256 for k in range(%1)))  # byte k holds k\n")
                   .arg(size);
        if (scenario.memoryFunction == MemoryViewFunction::FromMemory) {
            out += QStringLiteral("from_memory = ctypes.pythonapi.PyMemoryView_FromMemory\n"
                                  "from_memory.restype = ctypes.py_object\n"
                                  "from_memory.argtypes = (ctypes.c_void_p, ctypes.c_ssize_t, ctypes.c_int)\n"
                                  "obj = from_memory(ctypes.addressof(memory), %1, %2)  # GET_BASE is NULL\n")
                       .arg(size)
                       .arg(spec.readonly ? QStringLiteral("0x100") : QStringLiteral("0x200"));
        } else {
            const std::size_t ndim = r.shape.size();
            out += QStringLiteral(
                       "\nclass Py_buffer(ctypes.Structure):\n"
                       "    _fields_ = [('buf', ctypes.c_void_p), ('obj', ctypes.c_void_p), ('len', "
                       "ctypes.c_ssize_t),\n"
                       "                ('itemsize', ctypes.c_ssize_t), ('readonly', ctypes.c_int), ('ndim', "
                       "ctypes.c_int),\n"
                       "                ('format', ctypes.c_char_p), ('shape', "
                       "ctypes.POINTER(ctypes.c_ssize_t)),\n"
                       "                ('strides', ctypes.POINTER(ctypes.c_ssize_t)),\n"
                       "                ('suboffsets', ctypes.POINTER(ctypes.c_ssize_t)), ('internal', "
                       "ctypes.c_void_p)]\n\n"
                       "shape = (ctypes.c_ssize_t * %1)(*%2)\n"
                       "strides = (ctypes.c_ssize_t * %1)(*%3)\n"
                       "view = Py_buffer(buf=ctypes.addressof(memory) + %4, obj=None, len=%5, itemsize=%6,\n"
                       "                 readonly=%7, ndim=%1, format=%8, shape=shape, strides=strides)\n"
                       "from_buffer = ctypes.pythonapi.PyMemoryView_FromBuffer\n"
                       "from_buffer.restype = ctypes.py_object\n"
                       "from_buffer.argtypes = (ctypes.POINTER(Py_buffer),)\n"
                       "obj = from_buffer(ctypes.byref(view))  # obj NULL: GET_BASE is NULL\n")
                       .arg(ndim)
                       .arg(list(r.shape, true), list(r.strides, true))
                       .arg(r.offset)
                       .arg(r.length)
                       .arg(r.itemSize)
                       .arg(spec.readonly ? 1 : 0)
                       .arg(pyString(spec.format, true));
            if (spec.indirect)
                out += QStringLiteral(
                    "# (the PIL pointer table of this scenario is left out: see the C snippet)\n");
        }
        break;
    }
    }
    out += QString::fromLatin1(kPythonCall).arg(request, QString(QChar::fromLatin1(scenario.request.order)));
    return out;
}

} // namespace stridescope
