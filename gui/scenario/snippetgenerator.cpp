#include "snippetgenerator.h"

#include "core/stridedlayout.h"
// Python's headers use `slots` as a name, which Qt defines as a keyword.
#pragma push_macro("slots")
#undef slots
#pragma pop_macro("slots")
#include "pyhost/npzarchive.h"
#include "pyhost/stridedbufferstorage.h"

#include <QByteArray>
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
    return cString(text)
        .replace(QStringLiteral("*/"), QStringLiteral("*\\/"))
        .replace(QStringLiteral("/*"), QStringLiteral("/\\*"));
}

// A Python string literal (bytes literal with `bytes`), as repr() writes one: backslashes, quotes,
// control characters (a new line would end the line of code) and, in bytes, non-ASCII as \x escapes.
QString pyString(const std::string& text, bool bytes = false)
{
    QString out = bytes ? QStringLiteral("b'") : QStringLiteral("'");
    const QString decoded = QString::fromStdString(text);
    const auto escapeByte = [&out](unsigned char b) {
        out += QStringLiteral("\\x%1").arg(uint(b), 2, 16, QLatin1Char('0'));
    };
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
// checked by the one rule, StridedBufferStorage::resolve), with the bytes its exporter puts in the
// block (StridedBufferStorage::build: the same allocation and fill), or the one-line reason it is refused.
struct Resolution
{
    std::optional<ResolvedStridedSpec> buffer;
    QByteArray
        block; // the exporter's memory; pointer slots of an indirect table zeroed (the snippet writes them)
    bool blockEmbedded = true;             // false: too large to quote, the snippet starts from zeros
    std::optional<std::string> snapshotOf; // a snapshot's block: what its bytes were captured from
    QString refusal;
};

// The most bytes of an "index" fill quoted into a snippet; "bytes" and "zero" fills are code.
constexpr ByteCount kEmbeddedBlockLimit = ByteCount(1) << 16;

Resolution resolve(const Scenario& scenario, const SourceLimits& limits)
{
    const StridedSourceSpec& spec = scenario.strided;
    Resolution resolution;
    if (scenario.kind == Scenario::SourceKind::Snapshot)
        resolution.snapshotOf = scenario.captured.capturedFrom;
    try {
        resolution.buffer = StridedBufferStorage::resolve(spec, limits);
        const ResolvedStridedSpec& r = *resolution.buffer;
        if (spec.fill == StridedSourceSpec::Fill::Index && r.memorySize > kEmbeddedBlockLimit) {
            resolution.blockEmbedded = false;
            return resolution;
        }
        if (spec.fill != StridedSourceSpec::Fill::Index && !spec.indirect)
            return resolution; // the fill is code, and there are no pointers to lay out
        // The block as the app's source builds it: FromMemory fills the 1-d bytes it views.
        const bool fromMemory = scenario.kind == Scenario::SourceKind::Memory &&
                                scenario.memoryFunction == MemoryViewFunction::FromMemory;
        const bool snapshot = scenario.kind == Scenario::SourceKind::Snapshot;
        const auto storage = StridedBufferStorage::build(
            fromMemory ? StridedBufferStorage::fromMemoryBlock(spec, limits) : spec, limits,
            snapshot ? &scenario.captured.data() : nullptr);
        resolution.block =
            QByteArray(reinterpret_cast<const char*>(storage->memory.get()), qsizetype(r.memorySize));
        if (r.indirect && !fromMemory) // addresses of this process: the snippet writes its own
            StridedBufferStorage::visitPointerSlots(r, [&resolution](ByteOffset slot, ByteOffset) {
                std::fill_n(resolution.block.data() + slot, kPointerSize, '\0');
            });
    } catch (const SourceError& error) {
        resolution.buffer.reset();
        resolution.refusal = QString::fromStdString(error.what());
    }
    return resolution;
}

// Whether _testbuffer.ndarray can export this layout itself: it takes offsets and strides that are
// multiples of the itemsize only, and no pointer table of ours.
bool testbufferCanExport(const ResolvedStridedSpec& r)
{
    if (r.indirect || r.offset % r.itemSize != 0)
        return false;
    if (r.shape.empty()) // a 0-d ndarray holds one item and nothing else
        return r.offset == 0 && r.memorySize <= r.itemSize;
    for (const ByteOffset stride : r.strides)
        if (stride % r.itemSize != 0)
            return false;
    return true;
}

const char* kCHeader = R"snippet(/* Reproduces Stridescope's scenario: %1.
 * Build: cc demo.c $(%2 --cflags --embed) $(%2 --ldflags --embed) -o demo
 * (%2 belongs to the Python Stridescope embeds; another python3-config on PATH may not.) */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdio.h>
#include <string.h>

static void print_tuple(const Py_ssize_t *values, int n)
{
    printf("(");
    for (int i = 0; i < n; ++i)
        printf(i ? ", %zd" : "%zd", values[i]);
    printf(n == 1 ? ",)" : ")");
}

/* What PyMemoryView_GetContiguous gave: alias or copy, its strides, what GET_BASE is, and its bytes. */
static void describe(PyObject *result, PyObject *obj)
{
    Py_buffer *view = PyMemoryView_GET_BUFFER(result);
    PyObject *base = PyMemoryView_GET_BASE(result);
    PyObject *underlying = PyMemoryView_Check(obj) ? PyMemoryView_GET_BASE(obj) : NULL;
    /* A copy lives in a new bytes object, which is the result's base. */
    const char *kind = base == NULL ? "null" : base == obj ? "source" : base == underlying ? "underlying"
                     : PyBytes_CheckExact(base) ? "new_bytes" : "other";
    printf("%s: shape ", strcmp(kind, "new_bytes") == 0 ? "COPY" : "ALIAS");
    print_tuple(view->shape, view->ndim);
    printf(", strides ");
    print_tuple(view->strides, view->ndim);
    printf(", readonly %s, GET_BASE %s (%s)\n", view->readonly ? "True" : "False",
           base ? Py_TYPE(base)->tp_name : "NULL", kind);
    PyObject *bytes = PyObject_CallMethod(result, "tobytes", NULL); /* the elements in C order */
    if (bytes == NULL) {
        PyErr_Print();
        return;
    }
    printf("bytes ");
    for (Py_ssize_t i = 0; i < PyBytes_GET_SIZE(bytes); ++i)
        printf("%.2x", (unsigned char)PyBytes_AS_STRING(bytes)[i]);
    printf("\n");
    Py_DECREF(bytes);
}

int main(void)
{
    Py_Initialize();
)snippet";

const char* kCCall = R"snippet(
    PyObject *result = PyMemoryView_GetContiguous(obj, %1);
    if (result == NULL) {
        PyErr_Print(); /* the exception, e.g. BufferError */
    } else {
        describe(result, obj);
        Py_DECREF(result);
    }
    Py_DECREF(obj);
    return Py_FinalizeEx() < 0 ? 1 : 0;
}
)snippet";

const char* kPythonCall = R"snippet(
# PyMemoryView_GetContiguous itself, through ctypes.
PyBUF_READ, PyBUF_WRITE = 0x100, 0x200
get_contiguous = ctypes.pythonapi.PyMemoryView_GetContiguous
get_contiguous.restype = ctypes.py_object
get_contiguous.argtypes = (ctypes.py_object, ctypes.c_int, ctypes.c_char)
result = get_contiguous(obj, %1, b'%2')
# GET_BASE: the exporter for an alias (a memoryview's exporter when obj is one), a new bytes object
# for a copy, NULL for a memoryview no object exports.
base = result.obj
underlying = obj.obj if isinstance(obj, memoryview) else None
kind = ('null' if base is None else 'source' if base is obj else 'underlying' if base is underlying
        else 'new_bytes' if type(base) is bytes else 'other')
print(f"{'COPY' if kind == 'new_bytes' else 'ALIAS'}: shape {result.shape}, strides {result.strides}, "
      f"readonly {result.readonly}, GET_BASE {'NULL' if base is None else type(base).__name__} ({kind})")
print('bytes', result.tobytes().hex())  # the elements in C order
)snippet";

// A scenario Stridescope refuses has no buffer to reproduce: the snippet says why, and a program
// made from it prints that and fails, as the exporter would.
const char* kCRefusal = R"snippet(/* Stridescope refuses this scenario: %1 */
#include <stdio.h>

int main(void)
{
    fputs(%2 "\n", stderr);
    return 1;
}
)snippet";

const char* kPythonRefusal = R"snippet(# Stridescope refuses this scenario: %1
raise ValueError(%1)
)snippet";

const char* kPyBufferClass = R"snippet(
class Py_buffer(ctypes.Structure):
    _fields_ = [('buf', ctypes.c_void_p), ('obj', ctypes.c_void_p), ('len', ctypes.c_ssize_t),
                ('itemsize', ctypes.c_ssize_t), ('readonly', ctypes.c_int), ('ndim', ctypes.c_int),
                ('format', ctypes.c_char_p), ('shape', ctypes.POINTER(ctypes.c_ssize_t)),
                ('strides', ctypes.POINTER(ctypes.c_ssize_t)),
                ('suboffsets', ctypes.POINTER(ctypes.c_ssize_t)), ('internal', ctypes.c_void_p)]
)snippet";

// What the fill put in the block, said once for both languages.
QString fillWords(const StridedSourceSpec& spec, const Resolution& resolution)
{
    if (resolution.snapshotOf && !resolution.blockEmbedded)
        return QStringLiteral("zeros: the %1 bytes captured from %2 are too large to quote, so the outcome, "
                              "strides and GET_BASE match the app's but the values do not")
            .arg(resolution.buffer->memorySize)
            .arg(QString::fromStdString(*resolution.snapshotOf));
    if (resolution.snapshotOf)
        return QStringLiteral("the bytes captured from %1 (a snapshot)")
            .arg(QString::fromStdString(*resolution.snapshotOf));
    if (!resolution.blockEmbedded)
        return QStringLiteral("zeros: Stridescope's 'index' fill of %1 bytes is too large to quote, so the "
                              "outcome, strides and GET_BASE match the app's but the values do not")
            .arg(resolution.buffer->memorySize);
    if (spec.fill == StridedSourceSpec::Fill::Zero)
        return QStringLiteral("zeros, as Stridescope's fill 'zero'");
    if (spec.fill == StridedSourceSpec::Fill::Bytes)
        return QStringLiteral("byte k holds k mod 256, as Stridescope's fill 'bytes'");
    return QStringLiteral("the bytes of Stridescope's fill 'index' (element k holds k)");
}

// Raw bytes as C string literals of 24 bytes a line (octal escapes: unambiguous, whatever follows).
QString cBytes(const QByteArray& bytes)
{
    QString out;
    for (qsizetype i = 0; i < bytes.size(); ++i) {
        if (i % 24 == 0)
            out += i ? QStringLiteral("\"\n        \"") : QStringLiteral("\"");
        out += QStringLiteral("\\%1").arg(uint(static_cast<unsigned char>(bytes[i])), 3, 8, QLatin1Char('0'));
    }
    return out.isEmpty() ? QStringLiteral("\"\"") : out + QLatin1Char('"');
}

// Python bytes: hex when short, zlib and base64 when long.
QString pyBytes(const QByteArray& bytes)
{
    if (bytes.size() <= 1024) {
        QStringList lines;
        for (qsizetype i = 0; i < bytes.size(); i += 48)
            lines << QStringLiteral("'%1'").arg(QString::fromLatin1(bytes.mid(i, 48).toHex()));
        return lines.isEmpty()
                   ? QStringLiteral("b''")
                   : QStringLiteral("bytes.fromhex(\n    %1)").arg(lines.join(QStringLiteral("\n    ")));
    }
    const QByteArray compressed =
        qCompress(bytes, 9).mid(4); // qCompress puts the size first: a zlib stream follows
    const QByteArray base64 = compressed.toBase64();
    QStringList lines;
    for (qsizetype i = 0; i < base64.size(); i += 76)
        lines << QStringLiteral("b'%1'").arg(QString::fromLatin1(base64.mid(i, 76)));
    return QStringLiteral("zlib.decompress(base64.b64decode(\n    %1))")
        .arg(lines.join(QStringLiteral("\n    ")));
}

// The block as C: `memory`, 16-byte aligned, holding what the exporter put there.
QString cMemory(const StridedSourceSpec& spec, const Resolution& resolution)
{
    const ByteCount size = resolution.buffer->memorySize;
    QString out = QStringLiteral("    /* The memory: %1. */\n").arg(fillWords(spec, resolution));
    if (!resolution.block.isEmpty() && spec.fill == StridedSourceSpec::Fill::Index) {
        out += QStringLiteral("    static _Alignas(16) unsigned char memory[%1] =\n        %2;\n")
                   .arg(std::max<ByteCount>(size, 1))
                   .arg(cBytes(resolution.block));
        return out;
    }
    out += QStringLiteral("    static _Alignas(16) unsigned char memory[%1];\n")
               .arg(std::max<ByteCount>(size, 1));
    if (spec.fill == StridedSourceSpec::Fill::Bytes)
        out +=
            QStringLiteral("    for (Py_ssize_t k = 0; k < %1; ++k)\n        memory[k] = (unsigned char)k;\n")
                .arg(size);
    return out;
}

// The block as Python: `memory`, a bytes object holding what the exporter put there.
QString pyMemory(const StridedSourceSpec& spec, const Resolution& resolution)
{
    const ByteCount size = resolution.buffer->memorySize;
    QString out = QStringLiteral("\n# The memory: %1.\n").arg(fillWords(spec, resolution));
    if (!resolution.block.isEmpty() && spec.fill == StridedSourceSpec::Fill::Index)
        return out + QStringLiteral("memory = %1\n").arg(pyBytes(resolution.block));
    if (spec.fill == StridedSourceSpec::Fill::Bytes)
        return out + QStringLiteral("memory = bytes(k % 256 for k in range(%1))\n").arg(size);
    return out + QStringLiteral("memory = bytes(%1)\n").arg(size);
}

// An indirect layout's pointer table, written where Stridescope's exporter writes it: slot i (at
// offset + i * strides[0]) points to row i. With stride 0 every slot is one, and the last row wins.
QString cPointerTable(const ResolvedStridedSpec& r)
{
    return QStringLiteral(
               "    for (Py_ssize_t i = 0; i < %1; ++i) { /* the pointer table: slot i points to row i */\n"
               "        unsigned char *row = memory + %2 + i * %3 + %4;\n"
               "        memcpy(memory + %5 + i * (%6), &row, sizeof row);\n"
               "    }\n")
        .arg(r.shape[0])
        .arg(r.rowsStart)
        .arg(r.rowSpan)
        .arg(r.rowLead)
        .arg(r.offset)
        .arg(r.strides[0]);
}

QString pyPointerTable(const ResolvedStridedSpec& r)
{
    return QStringLiteral("for i in range(%1):  # the pointer table: slot i points to row i\n"
                          "    struct.pack_into('P', block, %2 + i * (%3), ctypes.addressof(block) + %4 + i "
                          "* %5 + %6)\n")
        .arg(r.shape[0])
        .arg(r.offset)
        .arg(r.strides[0])
        .arg(r.rowsStart)
        .arg(r.rowSpan)
        .arg(r.rowLead);
}

QString cStridedSource(const Scenario& scenario, const Resolution& resolution)
{
    const StridedSourceSpec& spec = scenario.strided;
    const ResolvedStridedSpec& r = *resolution.buffer;
    QString out = cMemory(spec, resolution);
    const bool fromMemory = scenario.kind == Scenario::SourceKind::Memory &&
                            scenario.memoryFunction == MemoryViewFunction::FromMemory;
    if (fromMemory) {
        out += QStringLiteral("    /* A memoryview over memory no object owns: GET_BASE is NULL. */\n"
                              "    PyObject *obj = PyMemoryView_FromMemory((char *)memory, %1, %2);\n")
                   .arg(r.memorySize)
                   .arg(spec.readonly ? QStringLiteral("PyBUF_READ") : QStringLiteral("PyBUF_WRITE"));
        return out + QStringLiteral("    if (obj == NULL) { PyErr_Print(); return 1; }\n");
    }
    if (r.indirect)
        out += cPointerTable(r);
    if (!r.shape.empty())
        out += QStringLiteral("    Py_ssize_t shape[] = %1, strides[] = %2;\n")
                   .arg(list(r.shape, false), list(r.strides, false));
    if (r.indirect) {
        std::vector<ByteOffset> suboffsets(r.shape.size(), -1);
        suboffsets[0] = 0;
        out += QStringLiteral("    Py_ssize_t suboffsets[] = %1;\n").arg(list(suboffsets, false));
    }
    out += QStringLiteral("    Py_buffer view = {0};\n"
                          "    view.buf = memory + %1;\n"
                          "    view.obj = NULL;\n"
                          "    view.len = %2;\n"
                          "    view.itemsize = %3;\n"
                          "    view.readonly = %4;\n"
                          "    view.ndim = %5;\n"
                          "    view.format = %6;\n")
               .arg(r.offset)
               .arg(r.length)
               .arg(r.itemSize)
               .arg(spec.readonly ? 1 : 0)
               .arg(QString::number(r.shape.size()), cString(QString::fromStdString(spec.format)));
    if (!r.shape.empty())
        out += QStringLiteral("    view.shape = shape;\n    view.strides = strides;\n");
    if (r.indirect)
        out += QStringLiteral("    view.suboffsets = suboffsets;\n");
    out += scenario.kind != Scenario::SourceKind::Memory
               ? QStringLiteral(
                     "    /* GET_BASE differs from the app's: Stridescope's exporter is an object, the base "
                     "of an alias;\n"
                     "       the same fields through PyMemoryView_FromBuffer have no object, so an "
                     "alias's GET_BASE is NULL. */\n")
               : QStringLiteral("    /* obj = NULL: the memoryview has no exporter, GET_BASE is NULL. */\n");
    out += QStringLiteral("    PyObject *obj = PyMemoryView_FromBuffer(&view);\n"
                          "    if (obj == NULL) { PyErr_Print(); return 1; }\n");
    return out;
}

// A strided buffer exported by _testbuffer.ndarray, CPython's own test exporter: like Stridescope's,
// a C type that exports exactly the format, shape, strides and offset it is given, so an alias's
// GET_BASE is the object passed in both.
QString pyTestbufferSource(const StridedSourceSpec& spec, const ResolvedStridedSpec& r)
{
    QString out = QStringLiteral(
                      "\n# _testbuffer.ndarray (CPython's test exporter) stands in for Stridescope's "
                      "exporter: a C type that\n"
                      "# exports exactly this format, shape, strides and offset; an alias's GET_BASE is that "
                      "object in both.\n"
                      "def packable(format, itemsize):\n"
                      "    # The format when struct (and so _testbuffer) packs it; else opaque items of the "
                      "same size.\n"
                      "    try:\n"
                      "        if struct.calcsize(format) == itemsize:\n"
                      "            return format\n"
                      "    except struct.error:  # numpy's T{...}, for one\n"
                      "        pass\n"
                      "    return f'{itemsize}s'\n\n"
                      "ITEMSIZE, OFFSET = %2, %3\n"
                      "fmt = packable(format=%1, itemsize=ITEMSIZE)\n"
                      "zero = struct.unpack(fmt, bytes(ITEMSIZE))\n"
                      "items = [zero[0] if len(zero) == 1 else zero] * max(1, -(-len(memory) // ITEMSIZE))\n")
                      .arg(pyString(spec.format), QString::number(r.itemSize),
                           QString::number(r.offset)); // at once: the format may hold "%2"
    out += QStringLiteral("obj = ndarray(items%4, shape=%1, %2offset=OFFSET, format=fmt, flags=%3)\n")
               .arg(list(r.shape, false)
                        .replace(QLatin1Char('{'), QLatin1Char('['))
                        .replace(QLatin1Char('}'), QLatin1Char(']')),
                    r.shape.empty() ? QString()
                                    : QStringLiteral("strides=%1, ")
                                          .arg(list(r.strides, false)
                                                   .replace(QLatin1Char('{'), QLatin1Char('['))
                                                   .replace(QLatin1Char('}'), QLatin1Char(']'))),
                    spec.readonly ? QStringLiteral("0") : QStringLiteral("ND_WRITABLE"),
                    r.shape.empty() ? QStringLiteral("[0]") : QString()); // 0-d: the item itself
    out += QStringLiteral(
        "# Its memory holds zeros: copy the exporter's bytes in (buf - offset is where it starts).\n"
        "view = Py_buffer()\n"
        "ctypes.pythonapi.PyObject_GetBuffer(ctypes.py_object(obj), ctypes.byref(view), 0x11c)  # "
        "PyBUF_FULL_RO\n"
        "ctypes.memmove(view.buf - OFFSET, memory, len(memory))\n"
        "ctypes.pythonapi.PyBuffer_Release(ctypes.byref(view))\n");
    return out;
}

// The same fields by hand, through PyMemoryView_FromBuffer over memory ctypes owns.
QString pyFromBufferSource(const Scenario& scenario, const ResolvedStridedSpec& r)
{
    const StridedSourceSpec& spec = scenario.strided;
    QString out =
        QStringLiteral("block = ctypes.create_string_buffer(memory, %1)  # writable, 16-byte aligned\n")
            .arg(std::max<ByteCount>(r.memorySize, 1));
    if (r.indirect)
        out += pyPointerTable(r);
    const std::size_t ndim = r.shape.size();
    QString arrays;
    if (ndim > 0) {
        out += QStringLiteral("shape = (ctypes.c_ssize_t * %1)(*%2)\n"
                              "strides = (ctypes.c_ssize_t * %1)(*%3)\n")
                   .arg(ndim)
                   .arg(list(r.shape, true), list(r.strides, true));
        arrays = QStringLiteral(", shape=shape, strides=strides");
    }
    if (r.indirect) {
        std::vector<ByteOffset> suboffsets(ndim, -1);
        suboffsets[0] = 0;
        out += QStringLiteral("suboffsets = (ctypes.c_ssize_t * %1)(*%2)\n")
                   .arg(ndim)
                   .arg(list(suboffsets, true));
        arrays += QStringLiteral(", suboffsets=suboffsets");
    }
    if (scenario.kind != Scenario::SourceKind::Memory)
        out += QStringLiteral(
            "# GET_BASE differs from the app's: PyMemoryView_FromBuffer makes a memoryview no object "
            "exports,\n"
            "# so an alias's GET_BASE is NULL here where Stridescope's exporter is the base. (_testbuffer,\n"
            "# which would keep it, takes offsets and strides that are multiples of the itemsize only, and\n"
            "# lays out its own pointer table.)\n");
    out +=
        QStringLiteral("view = Py_buffer(buf=ctypes.addressof(block) + %1, obj=None, len=%2, itemsize=%3,\n"
                       "                 readonly=%4, ndim=%5, format=%6%7)\n"
                       "from_buffer = ctypes.pythonapi.PyMemoryView_FromBuffer\n"
                       "from_buffer.restype = ctypes.py_object\n"
                       "from_buffer.argtypes = (ctypes.POINTER(Py_buffer),)\n"
                       "obj = from_buffer(ctypes.byref(view))  # obj NULL: GET_BASE is NULL\n")
            .arg(r.offset)
            .arg(r.length)
            .arg(r.itemSize)
            .arg(spec.readonly ? 1 : 0)
            .arg(ndim)
            .arg(pyString(spec.format, true), arrays);
    return out;
}

// A snapshot's block is quoted like an 'index' fill's (up to kEmbeddedBlockLimit bytes), from its
// captured bytes; its spec's fill is not used by the app, so it is set to the one that quotes.
Scenario quotable(const Scenario& scenario)
{
    Scenario out = scenario;
    if (out.kind == Scenario::SourceKind::Snapshot)
        out.strided.fill = StridedSourceSpec::Fill::Index;
    return out;
}

QString requestC(const Scenario& scenario)
{
    return QString::fromStdString(scenario.request.cExpression());
}

} // namespace

QString SnippetGenerator::pythonExecutable()
{
    return QStringLiteral(STRIDESCOPE_PYTHON_EXECUTABLE);
}

QString SnippetGenerator::pythonConfig()
{
    return pythonExecutable() + QStringLiteral("-config");
}

namespace {

// The scenario's import folders put in front of sys.path, as Stridescope's worker does, as a line of
// Python (empty without folders).
QString importPathStatement(const Scenario& scenario)
{
    if (scenario.importPath.empty())
        return {};
    QStringList folders;
    for (const std::string& folder : scenario.importPath)
        folders << pyString(folder);
    return QStringLiteral("import sys; sys.path[0:0] = [%1]  # the scenario's import folders\n")
        .arg(folders.join(QStringLiteral(", ")));
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

// A numpy file's scenario as the Python code that opens the same array with numpy alone: an .npy
// file mapped read-only as Stridescope maps it; an .npz member read into memory (numpy cannot map
// members), made read-only when Stridescope maps it (a stored member), as its report shows.
static Scenario numpyFileAsCode(const Scenario& scenario)
{
    Scenario code = scenario;
    code.kind = Scenario::SourceKind::Python;
    const std::string path = pyString(scenario.path).toStdString();
    std::optional<NpzArchive> archive;
    if (auto file = RegularFile::open(scenario.path, nullptr); file && NpzArchive::looksLikeZip(*file))
        archive = NpzArchive::read(*file, nullptr);
    if (!archive) {
        code.code = "np.load(" + path + ", mmap_mode='r', allow_pickle=False)";
        return code;
    }
    std::string member = scenario.member;
    if (const auto names = archive->memberNames(); member.empty() && names.size() == 1)
        member = names.front();
    const NpzArchive::Entry* entry = archive->member(member);
    code.code = "a = np.load(" + path + ", allow_pickle=False)[" + pyString(member).toStdString() + "]\n";
    if (entry && entry->stored())
        code.code += "a.setflags(write=False)  # Stridescope maps this stored member read-only\n";
    code.code += "a";
    return code;
}

QString SnippetGenerator::c(const Scenario& given, const SourceLimits& limits)
{
    if (given.kind == Scenario::SourceKind::NumpyFile)
        return c(numpyFileAsCode(given), limits);
    const Scenario scenario = quotable(given);
    QString out;
    if (scenario.kind == Scenario::SourceKind::Python) {
        auto [body, expression] = splitFinalExpression(QString::fromStdString(scenario.code));
        if (scenario.compare) // a comparison: the snippet makes the first object's call
            body = QString::fromStdString(scenario.code),
            expression = QString::fromStdString(scenario.compare->firstName);
        out += QString::fromLatin1(kCHeader).arg(QStringLiteral("an object made by Python code"),
                                                 pythonConfig());
        out += QStringLiteral("    PyObject *ns = PyDict_New();\n"
                              "    PyDict_SetItemString(ns, \"__builtins__\", PyEval_GetBuiltins());\n"
                              "    PyObject *np = PyImport_ImportModule(\"numpy\");\n"
                              "    if (np) { PyDict_SetItemString(ns, \"np\", np); Py_DECREF(np); }\n"
                              "    PyObject *done = PyRun_String(%1, Py_file_input, ns, ns);\n"
                              "    if (done == NULL) { PyErr_Print(); return 1; }\n"
                              "    Py_DECREF(done);\n")
                   .arg(cString(importPathStatement(scenario) + body + QLatin1Char('\n')));
        if (expression.isEmpty())
            out +=
                QStringLiteral("    PyObject *obj = PyDict_GetItemString(ns, \"buf\");\n"
                               "    if (obj == NULL) { fputs(\"no variable buf\\n\", stderr); return 1; }\n"
                               "    Py_INCREF(obj);\n");
        else
            out += QStringLiteral("    PyObject *obj = PyRun_String(%1, Py_eval_input, ns, ns);\n"
                                  "    if (obj == NULL) { PyErr_Print(); return 1; }\n")
                       .arg(cString(expression));
        out += QString::fromLatin1(kCCall).arg(requestC(scenario));
        return out;
    }
    const bool fromMemory = scenario.kind == Scenario::SourceKind::Memory &&
                            scenario.memoryFunction == MemoryViewFunction::FromMemory;
    const QString what = scenario.kind == Scenario::SourceKind::Strided
                             ? QStringLiteral("a strided buffer, format %1")
                                   .arg(cComment(QString::fromStdString(scenario.strided.format)))
                         : scenario.kind == Scenario::SourceKind::Snapshot
                             ? QStringLiteral("a snapshot of a %1, format %2")
                                   .arg(cComment(QString::fromStdString(scenario.captured.capturedFrom)),
                                        cComment(QString::fromStdString(scenario.strided.format)))
                         : fromMemory ? QStringLiteral("PyMemoryView_FromMemory")
                                      : QStringLiteral("PyMemoryView_FromBuffer");
    const Resolution resolution = resolve(scenario, limits);
    if (!resolution.buffer)
        return QString::fromLatin1(kCRefusal).arg(cComment(resolution.refusal), cString(resolution.refusal));
    out += QString::fromLatin1(kCHeader).arg(what, pythonConfig());
    out += cStridedSource(scenario, resolution);
    out += QString::fromLatin1(kCCall).arg(requestC(scenario));
    return out;
}

QString SnippetGenerator::python(const Scenario& given, const SourceLimits& limits)
{
    if (given.kind == Scenario::SourceKind::NumpyFile)
        return python(numpyFileAsCode(given), limits);
    const Scenario scenario = quotable(given);
    const StridedSourceSpec& spec = scenario.strided;
    Resolution resolution;
    if (scenario.kind != Scenario::SourceKind::Python) {
        resolution = resolve(scenario, limits);
        if (!resolution.buffer)
            return QString::fromLatin1(kPythonRefusal).arg(pyString(resolution.refusal.toStdString()));
    }
    const QString request = scenario.request.bufferType == ConversionRequest::BufferType::Read
                                ? QStringLiteral("PyBUF_READ")
                                : QStringLiteral("PyBUF_WRITE");
    QString out = QStringLiteral("# Reproduces Stridescope's scenario in a stock Python: %1 snippet.py\n")
                      .arg(pythonExecutable());
    switch (scenario.kind) {
    case Scenario::SourceKind::Python: {
        auto [body, expression] = splitFinalExpression(QString::fromStdString(scenario.code));
        if (scenario.compare) // a comparison: the snippet makes the first object's call
            body = QString::fromStdString(scenario.code),
            expression = QString::fromStdString(scenario.compare->firstName);
        out += QStringLiteral("import ctypes\nimport numpy as np\n") + importPathStatement(scenario) +
               QLatin1Char('\n') + body + QLatin1Char('\n');
        out += expression.isEmpty() ? QStringLiteral("obj = buf\n")
                                    : QStringLiteral("obj = %1\n").arg(expression);
        break;
    }
    case Scenario::SourceKind::Strided:
    case Scenario::SourceKind::Snapshot: {
        const ResolvedStridedSpec& r = *resolution.buffer;
        const bool testbuffer = testbufferCanExport(r);
        out += QStringLiteral("import base64, ctypes, struct, zlib\n");
        if (testbuffer)
            out += QStringLiteral(
                "from _testbuffer import ndarray, ND_WRITABLE  # Debian: libpython3-testsuite\n");
        out += pyMemory(spec, resolution);
        out += QString::fromLatin1(kPyBufferClass);
        out += testbuffer ? pyTestbufferSource(spec, r) : QLatin1Char('\n') + pyFromBufferSource(scenario, r);
        break;
    }
    case Scenario::SourceKind::Memory: {
        const ResolvedStridedSpec& r = *resolution.buffer;
        out += QStringLiteral("import base64, ctypes, struct, zlib\n");
        out += pyMemory(spec, resolution);
        if (scenario.memoryFunction == MemoryViewFunction::FromMemory) {
            out += QStringLiteral("block = ctypes.create_string_buffer(memory, %1)\n"
                                  "from_memory = ctypes.pythonapi.PyMemoryView_FromMemory\n"
                                  "from_memory.restype = ctypes.py_object\n"
                                  "from_memory.argtypes = (ctypes.c_void_p, ctypes.c_ssize_t, ctypes.c_int)\n"
                                  "obj = from_memory(ctypes.addressof(block), %2, %3)  # GET_BASE is NULL\n")
                       .arg(std::max<ByteCount>(r.memorySize, 1))
                       .arg(r.memorySize)
                       .arg(spec.readonly ? QStringLiteral("0x100") : QStringLiteral("0x200"));
        } else {
            out += QString::fromLatin1(kPyBufferClass) + QLatin1Char('\n') + pyFromBufferSource(scenario, r);
        }
        break;
    }
    case Scenario::SourceKind::NumpyFile:
        break; // turned into code above
    }
    out += QString::fromLatin1(kPythonCall).arg(request, QString(QChar::fromLatin1(scenario.request.order)));
    return out;
}

} // namespace stridescope
