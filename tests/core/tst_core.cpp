// Core model tests: formats, layouts, contiguity, self-overlap, prediction and the copy map.
// Expected values come from CPython 3.11 (struct.calcsize, memoryview, PyBuffer_IsContiguous).
#include "core/contiguityverdict.h"
#include "core/conversionprediction.h"
#include "core/copymap.h"
#include "core/copyverifier.h"
#include "core/itemformat.h"
#include "core/pairbytereach.h"
#include "core/stridedlayout.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTest>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <random>
#include <set>

using namespace stridescope;
using Shape = std::vector<Extent>;
using Strides = std::vector<ByteOffset>;
Q_DECLARE_METATYPE(Shape)

namespace {

// An item's layout in words, part by part: "h:int16@0-1 pad@2-7 d:float64@8-15" (named fields as
// "a=h:int16@0-1"), from placeOf() for every byte, so the padding runs and the lookup agree.
QString layoutText(const ItemFormat& format, ByteCount itemSize)
{
    QStringList parts;
    ByteOffset b = 0;
    while (b < itemSize) {
        const ItemPlace place = format.placeOf(b, itemSize);
        ByteOffset end = b + 1;
        while (end < itemSize && format.placeOf(end, itemSize) == place)
            ++end;
        if (place.field >= 0) {
            const FormatField& f = format.fields()[std::size_t(place.field)];
            if (f.offset != b || f.offset + f.size != end)
                return QStringLiteral("field %1 is %2-%3, its bytes %4-%5")
                    .arg(place.field)
                    .arg(f.offset)
                    .arg(f.offset + f.size - 1)
                    .arg(b)
                    .arg(end - 1);
            parts << (f.name.empty() ? QString() : QString::fromStdString(f.name) + "=") +
                         QString::fromStdString(f.codeText() + ":" + f.typeName()) +
                         QStringLiteral("@%1-%2").arg(b).arg(end - 1);
        } else {
            if (place.padding.offset != b || place.padding.end() != end)
                return QStringLiteral("byte %1 says padding %2-%3, the run is %4-%5")
                    .arg(b)
                    .arg(place.padding.offset)
                    .arg(place.padding.end() - 1)
                    .arg(b)
                    .arg(end - 1);
            parts << QStringLiteral("pad@%1-%2").arg(b).arg(end - 1);
        }
        b = end;
    }
    // padding() lists exactly the runs placeOf() found.
    QStringList runs;
    for (const ItemPadding& p : format.padding(itemSize))
        runs << QStringLiteral("pad@%1-%2").arg(p.offset).arg(p.end() - 1);
    QStringList found;
    for (const QString& part : parts)
        if (part.startsWith(QStringLiteral("pad@")))
            found << part;
    if (runs != found)
        return QStringLiteral("padding() says %1, placeOf() %2").arg(runs.join(' '), found.join(' '));
    return parts.join(' ');
}

ConversionPrediction::Source directSource(ByteCount itemSize, Shape shape, Strides strides, bool readonly)
{
    ConversionPrediction::Source s;
    s.typeName = "StridedBuffer";
    StridedLayout layout(itemSize, shape, strides);
    s.exported.itemSize = itemSize;
    s.exported.ndim = int(shape.size());
    s.exported.len = layout.byteLength().value_or(0);
    s.exported.readonly = readonly;
    s.exported.format = "B";
    s.exported.shape = shape;
    s.exported.strides = strides;
    s.layout = layout;
    return s;
}

// O(n^2) reference for self-overlap: every pair of distinct elements.
bool bruteForceOverlap(const StridedLayout& layout)
{
    const ElementIndex n = layout.elementCount().value_or(0);
    for (ElementIndex a = 0; a < n; ++a)
        for (ElementIndex b = a + 1; b < n; ++b) {
            ByteOffset x = *layout.elementOffsetAt(a), y = *layout.elementOffsetAt(b);
            if (x < y + layout.itemSize() && y < x + layout.itemSize())
                return true;
        }
    return false;
}

// A random pointer table for an indirect layout: each slot points somewhere in or near a block of
// `memory` bytes, or (one in eight) cannot be read.
StridedLayout::PointerReader randomPointers(std::uint64_t seed, ByteCount memory)
{
    return [seed, memory](ByteOffset slot) -> std::optional<ByteOffset> {
        std::uint64_t h = seed ^ (std::uint64_t(slot) * 0x9E3779B97F4A7C15ull);
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9ull;
        h ^= h >> 29;
        if (h % 8 == 0)
            return std::nullopt;
        return ByteOffset((h >> 8) % std::uint64_t(memory + 16)) - 8;
    };
}

// The element-by-element definitions the row-based analysis must agree with.
std::optional<StridedLayout::ByteRange> bruteForceExtent(const StridedLayout& layout)
{
    std::optional<StridedLayout::ByteRange> range;
    for (ElementIndex e = 0; e < layout.elementCount().value_or(0); ++e) {
        if (auto off = layout.elementOffsetAt(e)) {
            if (!range)
                range = StridedLayout::ByteRange{*off, *off + layout.itemSize()};
            range->first = std::min(range->first, *off);
            range->end = std::max(range->end, *off + layout.itemSize());
        }
    }
    return range;
}

bool bruteForceOutside(const StridedLayout& layout)
{
    for (ElementIndex e = 0; e < layout.elementCount().value_or(0); ++e) {
        auto off = layout.elementOffsetAt(e);
        if (!off || !layout.elementInside(*off))
            return true;
    }
    return false;
}

// Elements that do not resolve take no bytes, as in the analysis.
bool bruteForceResolvedOverlap(const StridedLayout& layout)
{
    const ElementIndex n = layout.elementCount().value_or(0);
    for (ElementIndex a = 0; a < n; ++a)
        for (ElementIndex b = a + 1; b < n; ++b) {
            auto x = layout.elementOffsetAt(a), y = layout.elementOffsetAt(b);
            if (x && y && *x < *y + layout.itemSize() && *y < *x + layout.itemSize())
                return true;
        }
    return false;
}

// The element an outside-memory message names ("element (i, j) ..."), and the byte it names, if any.
std::pair<Shape, std::optional<ByteOffset>> namedElement(const std::string& reason)
{
    Shape index;
    const std::size_t open = reason.find("element (");
    const std::size_t close = reason.find(')', open);
    if (open == std::string::npos || close == std::string::npos)
        return {};
    std::string inner = reason.substr(open + 9, close - open - 9);
    for (std::size_t pos = 0; pos < inner.size();) {
        std::size_t used = 0;
        index.push_back(std::stoll(inner.substr(pos), &used));
        pos = inner.find_first_of("0123456789-", pos + used);
    }
    std::optional<ByteOffset> byte;
    const std::size_t at = reason.find(" at byte ");
    if (at != std::string::npos)
        byte = std::stoll(reason.substr(at + 9));
    return {index, byte};
}

} // namespace

class TestCore : public QObject
{
    Q_OBJECT

private slots:
    void itemSize_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<qint64>("itemSize");
        QTest::addColumn<int>("fields");
        // struct.calcsize on x86_64 Linux
        QTest::newRow("B") << "B" << 1LL << 1;
        QTest::newRow("native h") << "@h" << 2LL << 1;
        QTest::newRow("l native") << "l" << 8LL << 1;
        QTest::newRow("l standard") << "<l" << 4LL << 1;
        QTest::newRow("hhd aligned") << "hhd" << 16LL << 3;
        QTest::newRow("hhd packed") << "<hhd" << 12LL << 3;
        QTest::newRow("bi native") << "bi" << 8LL << 2;
        QTest::newRow("bi standard") << "=bi" << 5LL << 2;
        QTest::newRow("3s") << "3s" << 3LL << 1;
        QTest::newRow("2h") << "2h" << 4LL << 2;
        QTest::newRow("pad") << "xB" << 2LL << 1;
        QTest::newRow("half") << "e" << 2LL << 1;
        QTest::newRow("numpy record") << "T{<h:x:<d:y:}" << 10LL << 2;
        QTest::newRow("numpy complex") << "Zd" << 16LL << 1;
        QTest::newRow("numpy unicode") << "4w" << 16LL << 4;
        QTest::newRow("sub-array") << "(2,3)f" << 24LL << 6;
        QTest::newRow("spaces") << "< h d" << 10LL << 2;
        QTest::newRow("pointer") << "P" << 8LL << 1;
    }
    void itemSize()
    {
        QFETCH(QString, format);
        QFETCH(qint64, itemSize);
        QFETCH(int, fields);
        std::string error;
        auto parsed = ItemFormat::parse(format.toStdString(), &error);
        QVERIFY2(parsed, error.c_str());
        QCOMPARE(parsed->itemSize(), itemSize);
        QCOMPARE(int(parsed->fields().size()), fields);
    }

    void recordFieldNamesAndOffsets()
    {
        auto f = ItemFormat::parse("T{<h:x:<d:y:}");
        QVERIFY(f);
        QCOMPARE(f->fields()[0].name, std::string("x"));
        QCOMPARE(f->fields()[1].name, std::string("y"));
        QCOMPARE(f->fields()[1].offset, 2);
        auto aligned = ItemFormat::parse("bd");
        QCOMPARE(aligned->fields()[1].offset, 8); // native alignment pads to the double's size
    }

    void badFormat_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown code") << "y"
                                      << "unknown format code 'y'";
        QTest::newRow("n in standard mode") << "<n"
                                            << "only allowed in native mode";
        QTest::newRow("unclosed record") << "T{h"
                                         << "missing '}'";
        QTest::newRow("count without code") << "3"
                                            << "without a format code";
        QTest::newRow("empty") << ""
                               << "empty format";
    }
    void badFormat()
    {
        QFETCH(QString, format);
        QFETCH(QString, mentions);
        std::string error;
        QVERIFY(!ItemFormat::parse(format.toStdString(), &error));
        QVERIFY2(QString::fromStdString(error).contains(mentions), error.c_str());
    }

    // Hostile formats (issue 8): every size is overflow-checked and capped, with a message naming the
    // limit. Before the fix the first two wrapped the item size to 1 and to garbage.
    void hostileFormat_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("pad repeats wrap to 1") << "1000s9223372036854775807x9223372036854774810x"
                                               << "item size exceeds 2147483647 bytes";
        QTest::newRow("string counts wrap") << "9223372036854775807s9223372036854775807s3x"
                                            << "item size exceeds 2147483647 bytes";
        QTest::newRow("one byte past the cap") << "2147483648x"
                                               << "item size exceeds 2147483647 bytes";
        QTest::newRow("alignment past the cap") << "2147483647xh"
                                                << "item size exceeds 2147483647 bytes";
        QTest::newRow("sub-array shape") << "(4294967296,4294967296)B"
                                         << "item size exceeds 2147483647 bytes";
        QTest::newRow("sub-array shape overflows 64 bits") << "(9223372036854775807,9223372036854775807,2)d"
                                                           << "item size exceeds 2147483647 bytes";
        QTest::newRow("sub-array extent past 64 bits") << "(99999999999999999999)B"
                                                       << "does not fit in 64 bits";
        QTest::newRow("count past 64 bits") << "99999999999999999999B"
                                            << "does not fit in 64 bits";
        QTest::newRow("record repeats") << "9223372036854775807T{q}"
                                        << "item size exceeds 2147483647 bytes";
        QTest::newRow("record of records") << "65536T{65536T{B}}"
                                           << "item size exceeds 2147483647 bytes";
        QTest::newRow("record repeat of zero-size fields") << "1000000000000T{0s}"
                                                           << "more than 100000 fields";
        QTest::newRow("too many fields") << "100001B"
                                         << "more than 100000 fields";
        QTest::newRow("too many fields, unrepeated record") << "0T{100001B}"
                                                            << "more than 100000 fields";
        // 40,000 levels are 120,001 characters: refused by length before any parsing.
        QTest::newRow("nested 40000 deep")
            << QString("T{").repeated(40000) + "B" + QString("}").repeated(40000)
            << "format text of 120001 characters; at most 8192 are read";
        QTest::newRow("nested 2000 deep") << QString("T{").repeated(2000) + "B" + QString("}").repeated(2000)
                                          << "records nest deeper than 64 levels";
        QTest::newRow("nested 65 deep") << QString("T{").repeated(65) + "B" + QString("}").repeated(65)
                                        << "records nest deeper than 64 levels";
        QTest::newRow("name repeated") << "B:a::b:"
                                       << "does not follow an item";
        QTest::newRow("NUL is no byte order") << QString("B") + QChar(0) + "h"
                                              << "unknown format code 0x00";
        QTest::newRow("empty sub-array shape") << "()B"
                                               << "bad sub-array shape '()'";
        // Found by fuzz_itemformat: the message quoted the format whole, newline and all.
        QTest::newRow("newline in the format") << "!I\x01\n"
                                               << "format '!I\\x01\\n': unknown format code 0x01";
    }
    void hostileFormat()
    {
        QFETCH(QString, format);
        QFETCH(QString, mentions);
        std::string error;
        QElapsedTimer timer;
        timer.start();
        const std::string text = format.toStdString();
        QVERIFY(!ItemFormat::parse(text, &error));
        QVERIFY2(QString::fromStdString(error).contains(mentions), error.c_str());
        QVERIFY2(error.size() < 300, "the message quotes a long format whole");
        QVERIFY(error.find('\n') == std::string::npos);
        QVERIFY2(timer.elapsed() < 1000, "refusing a format took more than a second");
    }

    // "1000000000000T{}" hung the CLI and froze the window: an empty record costs nothing however
    // often it repeats. The limits themselves are inclusive.
    void boundedFormatWork_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<qint64>("itemSize");
        QTest::addColumn<int>("fields");
        QTest::newRow("10^12 empty records") << "1000000000000T{}" << 0LL << 0;
        QTest::newRow("2^63-1 empty records") << "9223372036854775807T{}" << 0LL << 0;
        QTest::newRow("2^63-1 records of 0 pad") << "9223372036854775807T{0x}" << 0LL << 0;
        QTest::newRow("zero copies of a big record")
            << "(9223372036854775807,9223372036854775807)0T{q}B" << 1LL << 1;
        QTest::newRow("64 levels") << QString("T{").repeated(64) + "h" + QString("}").repeated(64) << 2LL
                                   << 1;
        QTest::newRow("largest item") << "2147483647x" << 2147483647LL << 0;
        QTest::newRow("largest string") << "2147483647s" << 2147483647LL << 1;
        QTest::newRow("most fields") << "100000B" << 100000LL << 100000;
    }
    void boundedFormatWork()
    {
        QFETCH(QString, format);
        QFETCH(qint64, itemSize);
        QFETCH(int, fields);
        QElapsedTimer timer;
        timer.start();
        std::string error;
        const auto parsed = ItemFormat::parse(format.toStdString(), &error);
        QVERIFY2(parsed, error.c_str());
        QCOMPARE(parsed->itemSize(), itemSize);
        QCOMPARE(int(parsed->fields().size()), fields);
        QVERIFY2(timer.elapsed() < 1000, "parsing took more than a second");
    }

    // numpy's own exports (numpy 1.24, memoryview(np.zeros(1, dt)).format and .itemsize; the field
    // offsets are dt.fields): structured dtypes with sub-array fields.
    void numpyFormats_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<qint64>("itemSize");
        QTest::addColumn<QString>("fields"); // name@offset per field, in order
        // np.dtype([('a','<i2'),('b','>f8',(2,))])
        QTest::newRow("sub-array with byte order") << "T{h:a:(2)>d:b:}" << 18LL << "a@0 b@2 b@10";
        // the same, align=True
        QTest::newRow("aligned") << "T{h:a:xxxxxx(2)>d:b:}" << 24LL << "a@0 b@8 b@16";
        // np.dtype([('a','u1'),('b','<f4',(2,3))])
        QTest::newRow("2-d sub-array") << "T{B:a:(2,3)=f:b:}" << 25LL << "a@0 b@1 b@5 b@9 b@13 b@17 b@21";
        // np.dtype([('x','S3',(2,))])
        QTest::newRow("strings") << "T{(2)3s:x:}" << 6LL << "x@0 x@3";
        // np.dtype([('a','<i4'),('s',[('p','u1'),('q','<f8')],(2,))])
        QTest::newRow("records") << "T{i:a:(2)T{B:p:=d:q:}:s:}" << 22LL << "a@0 s.p@4 s.q@5 s.p@13 s.q@14";
        // np.dtype([('c','<c16',(2,))])
        QTest::newRow("complex") << "T{(2)Zd:c:}" << 32LL << "c@0 c@16";
        // np.dtype([('a','i1'),('b','<i8')], align=True)
        QTest::newRow("padded") << "T{b:a:xxxxxxxl:b:}" << 16LL << "a@0 b@8";
    }
    void numpyFormats()
    {
        QFETCH(QString, format);
        QFETCH(qint64, itemSize);
        QFETCH(QString, fields);
        std::string error;
        const auto parsed = ItemFormat::parse(format.toStdString(), &error);
        QVERIFY2(parsed, error.c_str());
        QCOMPARE(parsed->itemSize(), itemSize);
        QStringList got;
        for (const FormatField& f : parsed->fields())
            got << QString::fromStdString(f.name) + "@" + QString::number(f.offset);
        QCOMPARE(got.join(' '), fields);
    }

    // The field layout of a format: every field's bytes, every run of padding (issue 9: the strips
    // draw it and the hover names it). Sizes are CPython's: struct.calcsize('hd') == 16,
    // calcsize('<hd') == 10, calcsize('=hxd') == 11; the numpy rows are memoryview(np.zeros(1, dt))
    // .format and .itemsize with dt.fields' offsets.
    void fieldLayout_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<qint64>("itemSize");
        QTest::addColumn<QString>("layout");
        QTest::newRow("hd: native alignment") << "hd" << 16LL << "h:int16@0-1 pad@2-7 d:float64@8-15";
        QTest::newRow("<hd: packed") << "<hd" << 10LL << "h:int16@0-1 d:float64@2-9";
        QTest::newRow("=hxd: a pad code") << "=hxd" << 11LL << "h:int16@0-1 pad@2-2 d:float64@3-10";
        QTest::newRow("hxd: pad code then alignment")
            << "hxd" << 16LL << "h:int16@0-1 pad@2-7 d:float64@8-15";
        // np.dtype([('a','<i2'),('b','<f8')], align=True)
        QTest::newRow("numpy aligned")
            << "T{h:a:xxxxxxd:b:}" << 16LL << "a=h:int16@0-1 pad@2-7 b=d:float64@8-15";
        // the same, align=False
        QTest::newRow("numpy packed") << "T{h:a:=d:b:}" << 10LL << "a=h:int16@0-1 b=d:float64@2-9";
        // np.dtype([('b','<f8'),('a','<i2')], align=True): numpy writes no tail padding, the
        // itemsize has it
        QTest::newRow("numpy aligned, tail")
            << "T{d:b:h:a:}" << 16LL << "b=d:float64@0-7 a=h:int16@8-9 pad@10-15";
        // np.dtype([('a','<i2'),('s',[('x','u1'),('y','<f4')]),('c','<i2',(3,))], align=True)
        QTest::newRow("numpy nested") << "T{h:a:xxT{B:x:xxxf:y:}:s:(3)h:c:}" << 20LL
                                      << "a=h:int16@0-1 pad@2-3 s.x=B:uint8@4-4 pad@5-7 s.y=f:float32@8-11 "
                                         "c=h:int16@12-13 c=h:int16@14-15 c=h:int16@16-17 pad@18-19";
        QTest::newRow("strings and complex") << "<3sZd" << 19LL << "3s:bytes@0-2 Zd:complex128@3-18";
        QTest::newRow("no fields at all") << "4x" << 4LL << "pad@0-3";
        // An exporter's itemsize past the format's: the tail joins the padding that ends the format.
        QTest::newRow("itemsize past the format") << "<hx" << 8LL << "h:int16@0-1 pad@2-7";
        QTest::newRow("itemsize past a field") << "<h" << 4LL << "h:int16@0-1 pad@2-3";
    }
    void fieldLayout()
    {
        QFETCH(QString, format);
        QFETCH(qint64, itemSize);
        QFETCH(QString, layout);
        std::string error;
        const auto parsed = ItemFormat::parse(format.toStdString(), &error);
        QVERIFY2(parsed, error.c_str());
        QCOMPARE(layoutText(*parsed, itemSize), layout);
        QCOMPARE(parsed->hasInnerBoundaries(itemSize), layout.contains(' '));
        // Outside the item: neither a field nor padding.
        QVERIFY(!parsed->placeOf(-1, itemSize).isPadding() && parsed->placeOf(-1, itemSize).field < 0);
        QVERIFY(!parsed->placeOf(itemSize, itemSize).isPadding() &&
                parsed->placeOf(itemSize, itemSize).field < 0);
    }

    // The same against numpy itself: for structured dtypes, aligned and packed, every field numpy
    // places (sub-arrays and nested records flattened) is a field of the parsed format at the same
    // bytes, and every other byte of the itemsize is padding.
    void fieldLayoutMatchesNumpy()
    {
        const QString script = QStringLiteral(R"(
import json, numpy as np
def flat(dt, base, out):
    if dt.fields is None:
        if dt.subdtype:
            sub, shape = dt.subdtype
            for k in range(int(np.prod(shape))):
                flat(sub, base + k * sub.itemsize, out)
        else:
            out.append([base, dt.itemsize])
        return
    for name in dt.names:
        f = dt.fields[name]
        flat(f[0], base + f[1], out)
specs = [[('a','<i2'),('b','<f8')], [('b','<f8'),('a','<i2')], [('a','i1'),('b','<i8'),('c','u1')],
         [('a','<i2'),('s',[('x','u1'),('y','<f4')]),('c','<i2',(3,))], [('p','S3'),('q','<c8'),('r','?')],
         [('a','u1'),('b','<f4',(2,3))], [('t','<f2'),('u','<u4'),('v','<i8',(2,))]]
out = []
for spec in specs:
    for align in (False, True):
        dt = np.dtype(spec, align=align)
        m = memoryview(np.zeros(1, dt))
        fields = []
        flat(dt, 0, fields)
        out.append([m.format, m.itemsize, fields])
print(json.dumps(out))
)");
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"), {QStringLiteral("-c"), script});
        QVERIFY(python.waitForFinished(60000));
        QCOMPARE(python.exitCode(), 0);
        const QJsonArray cases = QJsonDocument::fromJson(python.readAllStandardOutput()).array();
        QCOMPARE(cases.size(), 14);
        for (const auto& c : cases) {
            const QJsonArray row = c.toArray();
            const std::string text = row[0].toString().toStdString();
            const ByteCount itemSize = row[1].toInteger();
            std::string error;
            const auto parsed = ItemFormat::parse(text, &error);
            QVERIFY2(parsed, error.c_str());
            std::vector<int> expected(std::size_t(itemSize), -1); // numpy field number per byte
            const QJsonArray fields = row[2].toArray();
            for (int i = 0; i < fields.size(); ++i) {
                const QJsonArray f = fields[i].toArray();
                for (ByteOffset b = f[0].toInteger(); b < f[0].toInteger() + f[1].toInteger(); ++b)
                    expected[std::size_t(b)] = i;
            }
            QCOMPARE(parsed->fields().size(), std::size_t(fields.size()));
            for (ByteOffset b = 0; b < itemSize; ++b) {
                const ItemPlace place = parsed->placeOf(b, itemSize);
                const QString where = QStringLiteral("%1 byte %2").arg(QString::fromStdString(text)).arg(b);
                QVERIFY2(place.field == expected[std::size_t(b)], qPrintable(where));
                QVERIFY2(place.isPadding() == (expected[std::size_t(b)] < 0), qPrintable(where));
            }
        }
    }

    // np.array([(1, [1.5, -2])], [('a','<i2'),('b','>f8',(2,))]).tobytes()
    void decodeNumpySubArray()
    {
        const auto f = ItemFormat::parse("T{h:a:(2)>d:b:}");
        QVERIFY(f);
        const QByteArray bytes = QByteArray::fromHex("01003ff8000000000000c000000000000000");
        QCOMPARE(
            f->decode({reinterpret_cast<const unsigned char*>(bytes.constData()), std::size_t(bytes.size())}),
            std::string("(1, 1.5, -2.0)"));
        QCOMPARE(f->fields()[1].byteOrder, '>');
        QCOMPARE(f->fields()[0].byteOrder, '<');
    }

    // A 1 GB string field is shown by its first ItemFormat::maxShownBytes bytes.
    void decodeShowsLongStringsShortened()
    {
        const auto f = ItemFormat::parse("5000s");
        QVERIFY(f);
        const std::vector<unsigned char> bytes(5000, 'a');
        const std::string shown = f->decode(bytes);
        QCOMPARE(shown, "b'" + std::string(std::size_t(ItemFormat::maxShownBytes), 'a') + "'...");
    }

    void decode_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("shown");
        QTest::newRow("B") << "B" << QByteArray("\x07", 1) << "7";
        QTest::newRow("b negative") << "b" << QByteArray("\xff", 1) << "-1";
        QTest::newRow("big-endian h") << ">h" << QByteArray("\x01\x02", 2) << "258";
        QTest::newRow("little-endian H") << "<H" << QByteArray("\x01\x02", 2) << "513";
        double one = 1.0, tenth = 0.1, big = 1e16, small = 1e-5, e15 = 1e15;
        float tenthF = 0.1f;
        QTest::newRow("d 1.0") << "d" << QByteArray(reinterpret_cast<char*>(&one), 8) << "1.0";
        QTest::newRow("d 0.1") << "d" << QByteArray(reinterpret_cast<char*>(&tenth), 8) << "0.1";
        QTest::newRow("d 1e16") << "d" << QByteArray(reinterpret_cast<char*>(&big), 8) << "1e+16";
        QTest::newRow("d 1e15") << "d" << QByteArray(reinterpret_cast<char*>(&e15), 8)
                                << "1000000000000000.0";
        QTest::newRow("d 1e-5") << "d" << QByteArray(reinterpret_cast<char*>(&small), 8) << "1e-05";
        QTest::newRow("f 0.1") << "f" << QByteArray(reinterpret_cast<char*>(&tenthF), 4)
                               << "0.10000000149011612";
        QTest::newRow("half 1.5") << "<e" << QByteArray("\x00\x3e", 2) << "1.5";
        QTest::newRow("bool") << "?" << QByteArray("\x02", 1) << "True";
        QTest::newRow("char") << "c" << QByteArray("a", 1) << "b'a'";
        QTest::newRow("bytes") << "3s" << QByteArray("ab\0", 3) << "b'ab\\x00'";
        QTest::newRow("tuple") << "<hhb" << QByteArray("\x01\x00\x02\x00\x03", 5) << "(1, 2, 3)";
    }
    void decode()
    {
        QFETCH(QString, format);
        QFETCH(QByteArray, bytes);
        QFETCH(QString, shown);
        auto f = ItemFormat::parse(format.toStdString());
        QVERIFY(f);
        QCOMPARE(QString::fromStdString(f->decode(
                     {reinterpret_cast<const unsigned char*>(bytes.constData()), std::size_t(bytes.size())})),
                 shown);
    }

    void contiguity_data()
    {
        QTest::addColumn<qint64>("itemSize");
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<Shape>("strides");
        QTest::addColumn<bool>("indirect");
        QTest::addColumn<bool>("c");
        QTest::addColumn<bool>("f");
        QTest::addColumn<int>("cBreakingAxis");
        // Every rule of PyBuffer_IsContiguous (Objects/abstract.c).
        QTest::newRow("C 2-D") << 8LL << Shape{3, 4} << Shape{32, 8} << false << true << false << -1;
        QTest::newRow("F 2-D") << 8LL << Shape{3, 4} << Shape{8, 24} << false << false << true << 1;
        QTest::newRow("transpose of C") << 1LL << Shape{4, 3} << Shape{1, 4} << false << false << true << 1;
        QTest::newRow("every other column")
            << 1LL << Shape{3, 2} << Shape{4, 2} << false << false << false << 1;
        QTest::newRow("reversed 1-D") << 2LL << Shape{5} << Shape{-2} << false << false << false << 0;
        QTest::newRow("1-D contiguous is both") << 4LL << Shape{5} << Shape{4} << false << true << true << -1;
        QTest::newRow("broadcast") << 1LL << Shape{3, 4} << Shape{0, 1} << false << false << false << 0;
        QTest::newRow("0-d") << 8LL << Shape{} << Shape{} << false << true << true << -1;
        QTest::newRow("empty ignores strides")
            << 1LL << Shape{3, 0} << Shape{7, -5} << false << true << true << -1;
        QTest::newRow("extent-1 odd strides")
            << 4LL << Shape{1, 3, 1} << Shape{999, 4, -7} << false << true << true << -1;
        QTest::newRow("all extent 1") << 2LL << Shape{1, 1} << Shape{5, 3} << false << true << true << -1;
        QTest::newRow("indirect is never contiguous")
            << 1LL << Shape{2, 3} << Shape{8, 1} << true << false << false << -1;
        QTest::newRow("3-D permuted")
            << 1LL << Shape{2, 3, 4} << Shape{4, 8, 1} << false << false << false << 1;
    }
    void contiguity()
    {
        QFETCH(qint64, itemSize);
        QFETCH(Shape, shape);
        QFETCH(Shape, strides);
        QFETCH(bool, indirect);
        QFETCH(bool, c);
        QFETCH(bool, f);
        QFETCH(int, cBreakingAxis);
        StridedLayout layout(itemSize, shape, strides);
        if (indirect)
            layout.setSuboffsets(Strides(shape.size(), -1), {}); // even all-negative suboffsets count
        const ByteCount len = layout.byteLength().value();
        auto cv = ContiguityVerdict::check(layout, len, 'C');
        auto fv = ContiguityVerdict::check(layout, len, 'F');
        auto av = ContiguityVerdict::check(layout, len, 'A');
        QCOMPARE(cv.contiguous, c);
        QCOMPARE(fv.contiguous, f);
        QCOMPARE(av.contiguous, c || f);
        QCOMPARE(cv.breakingAxis, cBreakingAxis);
        QVERIFY(!cv.explanation.empty());
        if (cBreakingAxis >= 0)
            QVERIFY2(cv.explanation.find("axis " + std::to_string(cBreakingAxis)) != std::string::npos,
                     cv.explanation.c_str());
    }

    void contiguityExplanationNamesNeededStride()
    {
        StridedLayout layout(8, {3, 4}, {8, 24});
        auto v = ContiguityVerdict::check(layout, 96, 'C');
        QCOMPARE(v.breakingAxis, 1);
        QCOMPARE(v.neededStride, 8);
        QVERIFY2(v.explanation.find("has stride 24 but C order needs 8") != std::string::npos,
                 v.explanation.c_str());
    }

    void prediction_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<Shape>("strides");
        QTest::addColumn<bool>("readonly");
        QTest::addColumn<bool>("write");
        QTest::addColumn<QString>("order");
        QTest::addColumn<QString>("outcome");
        QTest::addColumn<QString>("message");
        QTest::addColumn<Shape>("resultStrides");
        // Every branch of PyMemoryView_GetContiguous, in its order.
        QTest::newRow("C asked C: alias") << Shape{3, 4} << Shape{4, 1} << false << false << "C"
                                          << "alias"
                                          << "" << Shape{};
        QTest::newRow("C asked F: copy to F") << Shape{3, 4} << Shape{4, 1} << false << false << "F"
                                              << "copy"
                                              << "" << Shape{1, 3};
        QTest::newRow("F asked A: alias") << Shape{3, 4} << Shape{1, 3} << false << false << "A"
                                          << "alias"
                                          << "" << Shape{};
        QTest::newRow("transpose asked C: copy") << Shape{4, 3} << Shape{1, 4} << true << false << "C"
                                                 << "copy"
                                                 << "" << Shape{3, 1};
        QTest::newRow("strided asked A: C copy") << Shape{3, 2} << Shape{4, 2} << false << false << "A"
                                                 << "copy"
                                                 << "" << Shape{2, 1};
        QTest::newRow("read-only asked write: error first")
            << Shape{3, 4} << Shape{4, 1} << true << true << "C"
            << "error"
            << "underlying buffer is not writable" << Shape{};
        QTest::newRow("non-contiguous asked write")
            << Shape{3, 2} << Shape{4, 2} << false << true << "C"
            << "error"
            << "writable contiguous buffer requested for a non-contiguous "
               "object."
            << Shape{};
        QTest::newRow("contiguous asked write: alias") << Shape{6} << Shape{1} << false << true << "F"
                                                       << "alias"
                                                       << "" << Shape{};
        QTest::newRow("empty asked write: alias") << Shape{0, 3} << Shape{9, -1} << false << true << "C"
                                                  << "alias"
                                                  << "" << Shape{};
    }
    void prediction()
    {
        QFETCH(Shape, shape);
        QFETCH(Shape, strides);
        QFETCH(bool, readonly);
        QFETCH(bool, write);
        QFETCH(QString, order);
        QFETCH(QString, outcome);
        QFETCH(QString, message);
        QFETCH(Shape, resultStrides);
        auto source = directSource(1, shape, strides, readonly);
        ConversionRequest request{write ? ConversionRequest::BufferType::Write
                                        : ConversionRequest::BufferType::Read,
                                  order.toLatin1()[0]};
        auto p = ConversionPrediction::predict(source, request);
        QCOMPARE(QString::fromStdString(ConversionPrediction::outcomeName(p.outcome)), outcome);
        QCOMPARE(QString::fromStdString(p.errorMessage), message);
        QVERIFY(!p.rule.empty());
        if (outcome == "copy") {
            QVERIFY(p.resultLayout);
            QCOMPARE(p.resultLayout->strides(), resultStrides);
            QCOMPARE(p.resultLayout->shape(), shape);
            QVERIFY(p.resultReadonly);
            QCOMPARE(p.errorType, std::string());
        }
        if (outcome == "error")
            QCOMPARE(p.errorType, std::string("BufferError"));
    }

    void predictionForNonBufferAndRefusedExport()
    {
        ConversionPrediction::Source s;
        s.typeName = "int";
        s.supportsBuffer = false;
        auto p = ConversionPrediction::predict(s, {});
        QCOMPARE(p.errorType, std::string("TypeError"));
        QCOMPARE(p.errorMessage, std::string("memoryview: a bytes-like object is required, not 'int'"));
        s.supportsBuffer = true;
        s.exportFailure = std::make_pair(std::string("ValueError"),
                                         std::string("operation forbidden on released memoryview object"));
        p = ConversionPrediction::predict(s, {});
        QCOMPARE(p.errorType, std::string("ValueError"));
    }

    void elementOffsetsAndExtent()
    {
        StridedLayout layout(2, {3, 4}, {8, -2}, 6, 24);
        QCOMPARE(*layout.elementOffset({0, 0}), 6);
        QCOMPARE(*layout.elementOffset({2, 3}), 6 + 16 - 6);
        QCOMPARE(layout.unravel(7), (Shape{1, 3}));
        auto e = layout.extent();
        QVERIFY(e);
        QCOMPARE(e->first, 0);
        QCOMPARE(e->end, 24);
        QVERIFY(!layout.outsideMemoryReason());
        QVERIFY(!StridedLayout(1, {0, 5}, {1, 1}).extent()); // nothing reached
    }

    void outsideMemory_data()
    {
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<Shape>("strides");
        QTest::addColumn<qint64>("offset");
        QTest::addColumn<qint64>("memory");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("past the end on axis 1")
            << Shape{2, 3} << Shape{3, 2} << 0LL << 6LL
            << "axis 1 (extent 3, stride 2) reaches byte 7, past the end of the "
               "6-byte memory";
        QTest::newRow("negative stride from 0")
            << Shape{4} << Shape{-1} << 0LL << 4LL
            << "axis 0 (extent 4, stride -1) reaches byte -3, before the start";
        QTest::newRow("offset past the end") << Shape{1} << Shape{1} << 4LL << 4LL << "ends past the end";
        QTest::newRow("huge stride does not wrap")
            << Shape{3} << Shape{Extent(1) << 62} << 0LL << 16LL << "axis 0";
    }
    void outsideMemory()
    {
        QFETCH(Shape, shape);
        QFETCH(Shape, strides);
        QFETCH(qint64, offset);
        QFETCH(qint64, memory);
        QFETCH(QString, mentions);
        StridedLayout layout(1, shape, strides, offset, memory);
        auto reason = layout.outsideMemoryReason();
        QVERIFY(reason);
        QVERIFY2(QString::fromStdString(*reason).contains(mentions), reason->c_str());
    }

    void overflowingShape()
    {
        StridedLayout layout(8, {Extent(1) << 40, Extent(1) << 40}, {0, 0});
        QVERIFY(!layout.elementCount());
        QVERIFY(!layout.byteLength());
        QCOMPARE(*StridedLayout(8, {Extent(1) << 40, Extent(1) << 40, 0}, {0, 0, 0}).elementCount(), 0);
    }

    void selfOverlap_data()
    {
        QTest::addColumn<qint64>("itemSize");
        QTest::addColumn<Shape>("shape");
        QTest::addColumn<Shape>("strides");
        QTest::addColumn<bool>("overlaps");
        QTest::newRow("C order") << 4LL << Shape{3, 4} << Shape{16, 4} << false;
        QTest::newRow("broadcast") << 1LL << Shape{3, 4} << Shape{0, 1} << true;
        QTest::newRow("sliding window") << 1LL << Shape{3, 4} << Shape{1, 1} << true;
        QTest::newRow("interleaved but disjoint") << 1LL << Shape{2, 3} << Shape{3, 2} << false;
        QTest::newRow("interleaved and overlapping") << 2LL << Shape{2, 3} << Shape{3, 2} << true;
        QTest::newRow("itemsize wider than stride") << 8LL << Shape{4} << Shape{4} << true;
        QTest::newRow("negative strides disjoint") << 2LL << Shape{3, 2} << Shape{-4, -2} << false;
        QTest::newRow("zero stride on extent 1") << 1LL << Shape{1, 5} << Shape{0, 1} << false;
        QTest::newRow("big transpose") << 1LL << Shape{4096, 4096} << Shape{1, 4096} << false;
    }
    void selfOverlap()
    {
        QFETCH(qint64, itemSize);
        QFETCH(Shape, shape);
        QFETCH(Shape, strides);
        QFETCH(bool, overlaps);
        StridedLayout layout(itemSize, shape, strides);
        auto overlap = layout.findSelfOverlap();
        QCOMPARE(bool(overlap), overlaps);
        if (overlap) {
            QVERIFY(overlap->first != overlap->second);
            ByteOffset a = *layout.elementOffset(overlap->first), b = *layout.elementOffset(overlap->second);
            QVERIFY(std::abs(a - b) < itemSize); // the witness really shares a byte
        }
    }

    // The solver against the O(n^2) definition on many random small layouts.
    void selfOverlapMatchesBruteForce()
    {
        std::mt19937_64 rng(12345);
        for (int trial = 0; trial < 3000; ++trial) {
            const int ndim = int(rng() % 4) + 1;
            Shape shape(ndim);
            Strides strides(ndim);
            for (int d = 0; d < ndim; ++d) {
                shape[d] = Extent(rng() % 5);
                strides[d] = ByteOffset(rng() % 25) - 12;
            }
            const ByteCount itemSize = ByteCount(rng() % 6) + 1;
            StridedLayout layout(itemSize, shape, strides);
            const bool expected = bruteForceOverlap(layout);
            auto found = layout.findSelfOverlap();
            if (bool(found) != expected)
                QFAIL(qPrintable(
                    QString("trial %1: itemsize %2 disagrees with brute force").arg(trial).arg(itemSize)));
        }
    }

    void indirectLayoutFollowsPointers()
    {
        // Pointer table at 0..15 (two slots) pointing at rows stored at 16 and 19.
        StridedLayout layout(1, {2, 3}, {8, 1}, 0, 22);
        layout.setSuboffsets({0, -1}, [](ByteOffset slot) -> std::optional<ByteOffset> {
            if (slot == 0)
                return 19;
            if (slot == 8)
                return 16;
            return std::nullopt;
        });
        QCOMPARE(*layout.elementOffset({0, 2}), 21);
        QCOMPARE(*layout.elementOffset({1, 0}), 16);
        auto e = layout.extent();
        QCOMPARE(e->first, 16);
        QCOMPARE(e->end, 22);
        QVERIFY(!layout.findSelfOverlap());
        QVERIFY(!layout.outsideMemoryReason());
    }

    // The row-based analysis of indirect layouts (pointers followed once per row, the direct tail
    // from strides) against the element-by-element definitions, on many random small layouts:
    // suboffsets on one or several axes, extents 0 and 1, negative and zero strides, unreadable slots.
    void indirectRowsMatchBruteForce()
    {
        std::mt19937_64 rng(2026);
        int outside = 0, inside = 0, overlapping = 0, disjoint = 0, unresolved = 0;
        for (int trial = 0; trial < 4000; ++trial) {
            const int ndim = int(rng() % 4) + 1;
            Shape shape(ndim);
            Strides strides(ndim), suboffsets(ndim, -1);
            for (int d = 0; d < ndim; ++d) {
                shape[d] = Extent(rng() % 4); // 0 and 1 included
                if (rng() % 8 == 0)
                    shape[d] = 1;
                strides[d] = ByteOffset(rng() % 25) - 12;
                if (rng() % 3 == 0)
                    suboffsets[d] = ByteOffset(rng() % 6);
            }
            if (rng() % 5 != 0 && std::count(suboffsets.begin(), suboffsets.end(), -1) == ndim)
                suboffsets[rng() % ndim] = 0;
            const ByteCount itemSize = ByteCount(rng() % 4) + 1;
            const ByteCount memory = std::array<ByteCount, 3>{24, 96, 600}[rng() % 3];
            StridedLayout layout(itemSize, shape, strides, ByteOffset(rng() % memory),
                                 rng() % 10 ? memory : -1);
            layout.setSuboffsets(suboffsets, randomPointers(rng(), memory));
            const QString where = QString("trial %1").arg(trial);

            const auto extent = layout.extent();
            const auto expectedExtent = bruteForceExtent(layout);
            QVERIFY2(bool(extent) == bool(expectedExtent), qPrintable(where));
            if (extent) {
                QVERIFY2(extent->first == expectedExtent->first, qPrintable(where));
                QVERIFY2(extent->end == expectedExtent->end, qPrintable(where));
            }

            const auto reason = layout.outsideMemoryReason();
            QVERIFY2(bool(reason) == (layout.memorySize() >= 0 && bruteForceOutside(layout)),
                     qPrintable(where));
            if (reason) {
                const auto [index, byte] = namedElement(*reason);
                QVERIFY2(index.size() == shape.size(),
                         qPrintable(where + ": " + QString::fromStdString(*reason)));
                for (int d = 0; d < ndim; ++d)
                    QVERIFY2(index[d] >= 0 && index[d] < shape[d], qPrintable(where));
                const auto offset = layout.elementOffset(index);
                if (byte) { // the named element really lies at that byte, outside the block
                    QVERIFY2(offset && *offset == *byte && !layout.elementInside(*offset),
                             qPrintable(where + ": " + QString::fromStdString(*reason)));
                } else { // its pointer really cannot be followed
                    QVERIFY2(reason->find("goes through a pointer") != std::string::npos && !offset,
                             qPrintable(where + ": " + QString::fromStdString(*reason)));
                    ++unresolved;
                }
            }
            (reason ? outside : inside)++;

            std::string undecided = "stale";
            const auto overlap = layout.findSelfOverlap(&undecided);
            QVERIFY2(undecided.empty(), qPrintable(where));
            QVERIFY2(bool(overlap) == bruteForceResolvedOverlap(layout), qPrintable(where));
            if (overlap) {
                QVERIFY2(overlap->first != overlap->second, qPrintable(where));
                const auto a = layout.elementOffset(overlap->first),
                           b = layout.elementOffset(overlap->second);
                QVERIFY2(a && b && std::abs(*a - *b) < itemSize, qPrintable(where)); // really shares a byte
            }
            (overlap ? overlapping : disjoint)++;

            // Each row starts where its first element lies, in C order.
            ElementIndex rows = 0;
            const int rowAxes = layout.rowAxes();
            const ElementIndex tailCount = layout.rowTail().elementCount().value_or(0);
            layout.visitRows([&](const Shape& prefix, std::optional<ByteOffset> offset) {
                Shape index = layout.unravel(rows * tailCount);
                index.resize(std::size_t(rowAxes));
                ++rows;
                Shape first = prefix;
                first.resize(shape.size(), 0);
                return prefix == index && offset == layout.elementOffset(first);
            });
            ElementIndex expectedRows = layout.elementCount().value_or(0) ? 1 : 0;
            for (int d = 0; d < rowAxes && expectedRows; ++d)
                expectedRows *= shape[d];
            QVERIFY2(rows == expectedRows, qPrintable(where));

            // The copy map steps the rows as elementOffset resolves each element.
            const StridedLayout dest(itemSize, shape, StridedLayout::cStrides(shape, itemSize));
            const CopyMap map(layout, dest);
            ElementIndex visited = 0;
            map.visit(0, map.size(), [&](const CopyMap::Entry& entry) {
                const auto reference = map.at(visited);
                if (entry.element != visited || entry.source != reference.source ||
                    entry.destination != reference.destination)
                    return false;
                ++visited;
                return true;
            });
            QVERIFY2(visited == map.size(), qPrintable(where));
        }
        // The random layouts exercise every answer.
        QVERIFY(outside > 200 && inside > 200 && unresolved > 50);
        QVERIFY(overlapping > 200 && disjoint > 200);
    }

    // An indirect layout whose rows' ranges intersect on more elements than can be sorted: the
    // search says it was not decided instead of claiming that nothing overlaps.
    void indirectOverlapUndecidedPastTheSortingLimit()
    {
        // 2^13 rows of 2^12 one-byte elements 2^13 bytes apart, row i starting at byte i: the
        // rows interleave without sharing a byte, and all their ranges intersect.
        StridedLayout layout(1, {Extent(1) << 13, Extent(1) << 12}, {8, ByteOffset(1) << 13});
        layout.setSuboffsets({0, -1}, [](ByteOffset slot) -> std::optional<ByteOffset> { return slot / 8; });
        std::string undecided;
        QVERIFY(!layout.findSelfOverlap(&undecided));
        // The report's note says how many rows, and the limit (2^24 elements).
        QCOMPARE(QString::fromStdString(undecided),
                 QStringLiteral("8192 rows whose byte ranges intersect hold more than the 16777216 elements "
                                "that can be sorted: overlap between them was not decided"));
        // Within the limit, the same interleaving is decided: disjoint, and overlapping once two
        // rows start at the same byte.
        StridedLayout small(1, {Extent(1) << 8, Extent(1) << 8}, {8, ByteOffset(1) << 8});
        small.setSuboffsets({0, -1}, [](ByteOffset slot) -> std::optional<ByteOffset> { return slot / 8; });
        QVERIFY(!small.findSelfOverlap(&undecided));
        QVERIFY(undecided.empty());
        small.setSuboffsets(
            {0, -1}, [](ByteOffset slot) -> std::optional<ByteOffset> { return slot == 8 ? 0 : slot / 8; });
        const auto overlap = small.findSelfOverlap(&undecided);
        QVERIFY(overlap);
        QCOMPARE(*small.elementOffset(overlap->first), *small.elementOffset(overlap->second));
    }

    // Pointers of a lying exporter may lead anywhere in 64 bits: rows 2^64 apart are not an overlap,
    // and an element at the top of the range ends there. (Before the fix, the difference of the two
    // offsets wrapped to -1 and reported an overlap; the end wrapped below the start.)
    void indirectLayoutWithFarApartPointers()
    {
        constexpr ByteOffset low = std::numeric_limits<ByteOffset>::min();
        constexpr ByteOffset high = std::numeric_limits<ByteOffset>::max() - 3;
        StridedLayout layout(8, {2, 1}, {8, 8});
        layout.setSuboffsets(
            {0, -1}, [&](ByteOffset slot) -> std::optional<ByteOffset> { return slot == 0 ? low : high; });
        QVERIFY(!layout.findSelfOverlap());
        const auto e = layout.extent();
        QVERIFY(e);
        QCOMPARE(e->first, low);
        QCOMPARE(e->end, std::numeric_limits<ByteOffset>::max());
    }

    // A lying exporter's shape may hold more than 2^63 bytes: the inverse of the copy map still
    // finds the element on a byte. (Before the fix, count * itemsize wrapped to 0: always -1.)
    void copyMapInverseWithOverflowingLength()
    {
        const Shape shape{Extent(1) << 62};
        StridedLayout source(4, shape, {0});
        StridedLayout dest(4, shape, StridedLayout::cStrides(shape, 4));
        CopyMap map(source, dest);
        QCOMPARE(map.elementAtDestination(9), 2);
        QCOMPARE(map.elementAtDestination(-1), -1);
    }

    void copyMapTranspose()
    {
        // A 2x3 view of a C-ordered 3x2 block, transposed: strides (1, 2).
        StridedLayout source(1, {2, 3}, {1, 2}, 0, 6);
        StridedLayout dest(1, {2, 3}, StridedLayout::cStrides({2, 3}, 1), 0, 6);
        CopyMap map(source, dest);
        QCOMPARE(map.size(), 6);
        const std::vector<std::pair<ByteOffset, ByteOffset>> expected = {{0, 0}, {2, 1}, {4, 2},
                                                                         {1, 3}, {3, 4}, {5, 5}};
        for (ElementIndex e = 0; e < 6; ++e) {
            auto entry = map.at(e);
            QCOMPARE(*entry.source, expected[e].first);
            QCOMPARE(entry.destination, expected[e].second);
            QCOMPARE(map.elementAtDestination(entry.destination), e);
        }
        QCOMPARE(map.elementAtDestination(6), -1);
    }

    void copyMapInverseForFortranDestinations()
    {
        Shape shape{3, 1, 4, 2};
        StridedLayout source(2, shape, StridedLayout::cStrides(shape, 2));
        StridedLayout dest(2, shape, StridedLayout::fortranStrides(shape, 2), 0, 48);
        CopyMap map(source, dest);
        std::set<ByteOffset> seen;
        for (ElementIndex e = 0; e < map.size(); ++e) {
            auto entry = map.at(e);
            QVERIFY(seen.insert(entry.destination).second);
            QCOMPARE(map.elementAtDestination(entry.destination + 1), e);
        }
    }

    void copyMapVisitMatchesAt()
    {
        Shape shape{3, 1, 4, 2};
        StridedLayout source(2, shape, {-16, 5, 40, 2}, 200, 400);
        StridedLayout dest(2, shape, StridedLayout::fortranStrides(shape, 2), 0, 48);
        CopyMap map(source, dest);
        ElementIndex expected = 5;
        map.visit(5, 100, [&](const CopyMap::Entry& entry) {
            auto reference = map.at(expected);
            if (entry.element != expected || entry.source != reference.source ||
                entry.destination != reference.destination)
                return false;
            ++expected;
            return true;
        });
        QCOMPARE(expected, map.size()); // visited every element from 5 to the end, all matching
    }

    // The tiled, threaded check finds exactly what an element-by-element walk finds: every byte
    // when the copy is right, the first element in C order when one byte is wrong.
    void copyVerifierFindsTheFirstWrongElement()
    {
        std::mt19937_64 rng(909);
        const std::array<ByteCount, 6> items{1, 2, 3, 4, 8, 16};
        for (int round = 0; round < 300; ++round) {
            const int ndim = 1 + int(rng() % 4);
            const ByteCount item = items[rng() % items.size()];
            Shape shape;
            for (int d = 0; d < ndim; ++d)
                shape.push_back(round % 5 == 0 && d < 2 ? 60 + Extent(rng() % 100) : 1 + Extent(rng() % 7));
            // Source strides: C order permuted, sometimes negative or zero (broadcast).
            std::vector<ByteOffset> strides = StridedLayout::cStrides(shape, item);
            std::shuffle(strides.begin(), strides.end(), rng);
            for (auto& st : strides) {
                if (rng() % 6 == 0)
                    st = -st;
                if (rng() % 9 == 0)
                    st = 0;
            }
            ByteOffset low = 0, high = item;
            for (int d = 0; d < ndim; ++d)
                (strides[d] < 0 ? low : high) += (shape[d] - 1) * strides[d];
            const ByteCount memory = high - low + ByteCount(rng() % 5);
            StridedLayout source(item, shape, strides, -low, memory);
            const bool fortran = rng() % 2;
            StridedLayout destination(item, shape,
                                      fortran ? StridedLayout::fortranStrides(shape, item)
                                              : StridedLayout::cStrides(shape, item));
            CopyMap map(source, destination);
            std::vector<std::uint8_t> from(static_cast<std::size_t>(memory));
            std::vector<std::uint8_t> to(static_cast<std::size_t>(*destination.byteLength()));
            for (auto& b : from)
                b = std::uint8_t(rng());
            map.visit(0, map.size(), [&](const CopyMap::Entry& e) {
                std::memcpy(to.data() + e.destination, from.data() + *e.source, std::size_t(item));
                return true;
            });
            for (int threads : {1, 2, 3}) {
                const auto ok =
                    CopyVerifier::verify(map, from.data(), to.data(), ByteCount(to.size()), threads);
                QCOMPARE(ok.firstMismatch, ElementIndex(-1));
                QCOMPARE(ok.checked, map.size());
                QCOMPARE(ok.bytesVerified, map.size() * item);
            }
            const ByteOffset wrong = ByteOffset(rng() % to.size());
            to[std::size_t(wrong)] ^= 0x5a;
            for (int threads : {1, 2}) {
                const auto bad =
                    CopyVerifier::verify(map, from.data(), to.data(), ByteCount(to.size()), threads);
                QCOMPARE(bad.firstMismatch, map.elementAtDestination(wrong));
            }
        }
    }

    void copyVerifierSkipsElementsOutsideTheMemory()
    {
        // An exporter that lies: the last two elements lie past the 6-byte block. They are counted,
        // never read.
        Shape shape{4};
        StridedLayout source(1, shape, {2}, 0, 6);
        StridedLayout destination(1, shape, StridedLayout::cStrides(shape, 1));
        CopyMap map(source, destination);
        const std::vector<std::uint8_t> from{7, 0, 8, 0, 9, 0};
        const std::vector<std::uint8_t> to{7, 8, 9, 1};
        const auto r = CopyVerifier::verify(map, from.data(), to.data(), 4);
        QCOMPARE(r.outside, ElementIndex(1));
        QCOMPARE(r.checked, ElementIndex(3));
        QCOMPARE(r.firstMismatch, ElementIndex(-1));
    }

    void requestParsing()
    {
        QCOMPARE(*ConversionRequest::parseOrder("f"), 'F');
        QVERIFY(!ConversionRequest::parseOrder("K"));
        QVERIFY(ConversionRequest::parseBufferType("PyBUF_WRITE") == ConversionRequest::BufferType::Write);
        QVERIFY(!ConversionRequest::parseBufferType("rw"));
        ConversionRequest r{ConversionRequest::BufferType::Read, 'A'};
        QCOMPARE(r.cExpression(), std::string("PyBUF_READ, 'A'"));
    }

    // Two views in blocks far apart (a copy malloc put elsewhere; under ASan, gigabytes away) share no
    // byte and are counted each over its own span, not refused for the gap between them.
    void pairByteReachCountsViewsFarApart()
    {
        const StridedLayout a(2, {6}, {2}, 0);                   // 12 bytes at 0
        const StridedLayout b(4, {3}, {8}, ByteOffset(1) << 40); // 3 items of 4 bytes, 2^40 away
        const PairByteReach far = PairByteReach::compute(a, b);
        QVERIFY2(far.counted(), far.refusal().c_str());
        QCOMPARE(far.both(), ByteCount(0));
        QCOMPARE(far.onlyFirst(), ByteCount(12));
        QCOMPARE(far.onlySecond(), ByteCount(12));
        // Meeting ranges are counted byte by byte over the span both cover.
        const PairByteReach near = PairByteReach::compute(a, StridedLayout(2, {3}, {4}, 2));
        QVERIFY(near.counted());
        QCOMPARE(near.both(), ByteCount(6));
        QCOMPARE(near.onlyFirst(), ByteCount(6));
        QCOMPARE(near.onlySecond(), ByteCount(0));
        // Past the limit on one side's own span, nothing is counted.
        const PairByteReach huge =
            PairByteReach::compute(a, StridedLayout(1, {2}, {ByteOffset(1) << 30}, ByteOffset(1) << 40));
        QVERIFY(!huge.counted());
    }
};

QTEST_APPLESS_MAIN(TestCore)
#include "tst_core.moc"
