// .npy and .npz files opened directly (NumpyFileSource), against files the real numpy wrote: each
// array is the one numpy's own np.load gives (the same outcome, buffer and values as the array
// inspected from code), a mapped one is really a read-only shared mapping of the file, and hostile
// files get one line naming the problem, never an unpickled object or unbounded memory.
#include "pyhost/bufferprobe.h"
#include "pyhost/inspector.h"
#include "pyhost/npzarchive.h"
#include "pyhost/pythonhost.h"

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdio>
#include <cstring>

using namespace stridescope;

namespace {

// The fixtures, written by Debian's numpy: every file the tests open.
constexpr const char* kWriter = R"PY(
import numpy as np, os, struct, sys, zipfile
os.chdir(sys.argv[1])
np.save("c.npy", np.arange(12, dtype="<i4").reshape(3, 4))
np.save("fortran.npy", np.asfortranarray(np.arange(12, dtype=np.int16).reshape(3, 4)))
np.save("zero_d.npy", np.array(3.5))
np.save("record.npy", np.array([(1, 2.0), (3, 4.0), (5, 6.0)], dtype=[("a", "<i2"), ("b", "<f8")]))
np.save("big_endian.npy", np.arange(6, dtype=">u4").reshape(2, 3))
np.save("empty.npy", np.zeros((0, 3), np.uint8))
np.save("objects.npy", np.array([1, "two", None], dtype=object), allow_pickle=True)
np.savez("stored.npz", x=np.arange(10, dtype=np.uint8), y=np.arange(6, dtype="<f8").reshape(2, 3).T)
np.savez_compressed("compressed.npz", x=np.arange(10, dtype=np.uint8), y=np.arange(6, dtype="<f8").reshape(2, 3).T)
np.savez("one.npz", only=np.arange(4, dtype=np.int64))
np.savez_compressed("bomb.npz", z=np.zeros(1 << 24, np.uint8))
np.savez("objects.npz", o=np.array([1, None], dtype=object))
with open("c.npy", "rb") as f:
    whole = f.read()
with open("truncated_header.npy", "wb") as f:
    f.write(whole[:20])
with open("truncated_data.npy", "wb") as f:
    f.write(whole[:-8])
# A valid header claiming 10**12 elements over 48 bytes of data.
header = "{'descr': '<i4', 'fortran_order': False, 'shape': (1000000000000,), }"
header += " " * (64 - 10 - len(header) - 1) + "\n"
with open("huge_shape.npy", "wb") as f:
    f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + bytes(48))
with open("not_numpy.npy", "wb") as f:
    f.write(b"just some text, not an array\n")
# stored.npz with the first member's local header offset pointing into the middle of the file.
data = bytearray(open("stored.npz", "rb").read())
central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"PK\x05\x06"))
first = data.find(b"PK\x01\x02")
struct.pack_into("<I", data, first + 42, 1234)
with open("bogus_offset.npz", "wb") as f:
    f.write(data)
# stored.npz with its second directory entry's signature broken.
data = bytearray(open("stored.npz", "rb").read())
second = data.find(b"PK\x01\x02", data.find(b"PK\x01\x02") + 4)
data[second:second + 4] = b"PK\x09\x09"
with open("damaged_entry.npz", "wb") as f:
    f.write(data)
# A zip64 archive as a writer of a huge one makes it: zip64 sizes and offsets in every header, the
# zip64 end-of-directory record, and the classic record's fields all at their "see zip64" maximum.
zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = 1, 1
with zipfile.ZipFile("zip64.npz", "w") as z:
    for name, a in (("x", np.arange(10, dtype=np.uint8)), ("y", np.arange(6, dtype="<f8").reshape(2, 3).T)):
        with z.open(name + ".npy", "w", force_zip64=True) as f:
            np.lib.format.write_array(f, a)
zipfile.ZIP64_LIMIT, zipfile.ZIP_FILECOUNT_LIMIT = (1 << 31) - 1, (1 << 16) - 1
data = bytearray(open("zip64.npz", "rb").read())
assert data.rfind(b"PK\x06\x06") > 0 and data.rfind(b"PK\x06\x07") > 0
struct.pack_into("<HHII", data, data.rfind(b"PK\x05\x06") + 8, 0xFFFF, 0xFFFF, 0xFFFFFFFF, 0xFFFFFFFF)
with open("zip64.npz", "wb") as f:
    f.write(data)
class Evil:
    def __reduce__(self):
        return (open, (os.path.join(sys.argv[1], "unpickled"), "w"))
import pickle
payload = pickle.dumps([Evil()], protocol=3)
header = "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }"
header += " " * (64 - 10 - len(header) - 1) + "\n"
evil = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + payload
with open("evil.npy", "wb") as f:
    f.write(evil)
with zipfile.ZipFile("evil.npz", "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("e.npy", evil)
os.mkdir("directory.npy")
os.mkfifo("fifo.npy")
)PY";

QString g_dir;

Scenario numpyFile(const QString& name, const std::string& member = {}, char order = 'C', bool write = false)
{
    Scenario s;
    s.kind = Scenario::SourceKind::NumpyFile;
    s.path = (g_dir + QLatin1Char('/') + name).toStdString();
    s.member = member;
    s.request.order = order;
    s.request.bufferType = write ? ConversionRequest::BufferType::Write : ConversionRequest::BufferType::Read;
    return s;
}

Scenario code(const std::string& text, char order, bool write)
{
    Scenario s;
    s.kind = Scenario::SourceKind::Python;
    s.code = text;
    s.request.order = order;
    s.request.bufferType = write ? ConversionRequest::BufferType::Write : ConversionRequest::BufferType::Read;
    return s;
}

InspectionReport inspect(const Scenario& s, Inspector::Options options = {})
{
    return PythonHost::instance().call([s, options] { return Inspector::run(s, options); });
}

// The one-line message a scenario fails with, or "" when it built.
QString failure(const Scenario& s, Inspector::Options options = {})
{
    return PythonHost::instance().call([s, options] {
        try {
            Inspector::run(s, options);
            return QString();
        } catch (const SourceError& e) {
            return QString::fromStdString(e.what());
        }
    });
}

// The line of /proc/self/maps whose mapping holds `address`, or "".
QString mappingHolding(Address address)
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    for (const QByteArray& line : maps.readAll().split('\n')) {
        unsigned long long first = 0, end = 0;
        if (std::sscanf(line.constData(), "%llx-%llx", &first, &end) == 2 && address >= first &&
            address < end)
            return QString::fromUtf8(line);
    }
    return {};
}

} // namespace

class TestNumpyFile : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY(PythonHost::instance().startupError().empty());
        QVERIFY(m_dir.isValid());
        g_dir = m_dir.path();
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral("-c"), QString::fromLatin1(kWriter), g_dir});
        QVERIFY(python.waitForFinished(60000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    }

    // Each file gives what the same array gives when code loads it with numpy: the outcome, the
    // export and the values of the result, for every request.
    void sameAsTheArrayFromCode_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("member");
        QTest::addColumn<QString>("expression");
        const QString mapped = QStringLiteral("np.load(%1, mmap_mode='r', allow_pickle=False)");
        for (const char* name : {"c.npy", "fortran.npy", "zero_d.npy", "record.npy", "big_endian.npy"})
            QTest::newRow(name) << name << QString() << mapped;
        // numpy cannot map a member: code maps it as Stridescope does, finding it with zipfile. (Its
        // offset need not be aligned: an int64 member's buffer format is then '=q', not 'l'.)
        const QString stored = QStringLiteral(
            "import struct, zipfile\n"
            "f = open(%1, 'rb')\n"
            "i = zipfile.ZipFile(f).getinfo('%2.npy')\n"
            "f.seek(i.header_offset + 26)\n"
            "n, e = struct.unpack('<HH', f.read(4))\n"
            "f.seek(i.header_offset + 30 + n + e)\n"
            "shape, fortran, dtype = np.lib.format._read_array_header(f, np.lib.format.read_magic(f))\n"
            "np.memmap(f, dtype=dtype, mode='r', offset=f.tell(), shape=shape, order='F' if fortran else "
            "'C')");
        const QString compressed = QStringLiteral("np.load(%1)['%2']");
        QTest::newRow("stored x") << "stored.npz"
                                  << "x" << stored;
        QTest::newRow("stored y (Fortran)") << "stored.npz"
                                            << "y" << stored;
        QTest::newRow("compressed x") << "compressed.npz"
                                      << "x" << compressed;
        QTest::newRow("compressed y (Fortran)") << "compressed.npz"
                                                << "y" << compressed;
        QTest::newRow("the only member (unaligned)") << "one.npz"
                                                     << "" << stored;
        QTest::newRow("zip64 x") << "zip64.npz"
                                 << "x" << stored;
        QTest::newRow("zip64 y (Fortran)") << "zip64.npz"
                                           << "y" << stored;
    }
    void sameAsTheArrayFromCode()
    {
        QFETCH(QString, file);
        QFETCH(QString, member);
        QFETCH(QString, expression);
        const QString path = QStringLiteral("'%1/%2'").arg(g_dir, file);
        const QString named =
            member.isEmpty() && file == QLatin1String("one.npz") ? QStringLiteral("only") : member;
        const std::string text =
            (expression.contains(QLatin1String("%2")) ? expression.arg(path, named) : expression.arg(path))
                .toStdString();
        for (bool write : {false, true}) {
            for (char order : {'C', 'F', 'A'}) {
                const InspectionReport fromFile =
                    inspect(numpyFile(file, member.toStdString(), order, write));
                const InspectionReport fromCode = inspect(code(text, order, write));
                const QByteArray what =
                    QStringLiteral("%1 %2 %3").arg(file, write ? "write" : "read").arg(order).toUtf8();
                QVERIFY2(fromFile.sourceBuffer && fromCode.sourceBuffer, what);
                QCOMPARE(fromFile.sourceType, fromCode.sourceType);
                const ExportedBuffer& a = *fromFile.sourceBuffer;
                const ExportedBuffer& b = *fromCode.sourceBuffer;
                QCOMPARE(QString::fromStdString(a.format.value_or("NULL")),
                         QString::fromStdString(b.format.value_or("NULL")));
                QCOMPARE(a.shape, b.shape);
                QCOMPARE(a.strides, b.strides);
                QCOMPARE(a.itemSize, b.itemSize);
                QCOMPARE(a.readonly, b.readonly);
                QVERIFY2(fromFile.result.outcome == fromCode.result.outcome, what);
                QCOMPARE(fromFile.result.error.has_value(), fromCode.result.error.has_value());
                if (fromFile.result.error)
                    QCOMPARE(fromFile.result.error->message, fromCode.result.error->message);
                QCOMPARE(fromFile.result.tolistJson, fromCode.result.tolistJson);
                QCOMPARE(fromFile.resultBytes.bytes, fromCode.resultBytes.bytes);
                QVERIFY2(fromFile.agrees, what);
            }
        }
    }

    // The .npy file and a stored member are mapped, read-only and shared, from the file itself:
    // /proc/self/maps shows the buffer's address in a mapping of that file's inode, without write
    // permission. PyBUF_WRITE on them is a BufferError; a compressed member lives in plain memory.
    void mappedFilesAreReallyMappedReadOnly_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("member");
        QTest::addColumn<bool>("mapped");
        QTest::newRow(".npy") << "c.npy"
                              << "" << true;
        QTest::newRow("Fortran .npy") << "fortran.npy"
                                      << "" << true;
        QTest::newRow("stored member") << "stored.npz"
                                       << "y" << true;
        QTest::newRow("compressed member") << "compressed.npz"
                                           << "y" << false;
    }
    void mappedFilesAreReallyMappedReadOnly()
    {
        QFETCH(QString, file);
        QFETCH(QString, member);
        QFETCH(bool, mapped);
        struct stat info
        {
        };
        QCOMPARE(::stat((g_dir + QLatin1Char('/') + file).toLocal8Bit().constData(), &info), 0);
        // Built in this process and looked up while the array is alive: its address is ours.
        const auto [report, line] = PythonHost::instance().call([&] {
            const Scenario scenario = numpyFile(file, member.toStdString(), 'C', true);
            BuiltSource built = BufferSource::fromScenario(scenario, {})->build();
            InspectionReport r = BufferProbe::inspect(built, scenario.request, {});
            return std::make_pair(r, mappingHolding(r.sourceBuffer ? r.sourceBuffer->buf : 0));
        });
        QVERIFY(report.sourceBuffer);
        QVERIFY(report.memory);
        const QStringList fields = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QVERIFY2(fields.size() >= 5, qPrintable(line));
        const bool ofTheFile = fields[4] == QString::number(info.st_ino);
        QCOMPARE(ofTheFile, mapped);
        const QString owner = QString::fromStdString(report.memory->owner);
        if (mapped) {
            QCOMPARE(fields[1], QStringLiteral("r--s"));
            QVERIFY(report.sourceBuffer->readonly);
            QVERIFY2(owner.contains(QStringLiteral("memory-mapped read-only (r--s in /proc/self/maps)")),
                     qPrintable(owner));
            QCOMPARE(report.result.outcome, ConversionPrediction::Outcome::Error);
            QVERIFY(report.result.error);
            QCOMPARE(QString::fromStdString(report.result.error->type), QStringLiteral("BufferError"));
        } else {
            QVERIFY(!report.sourceBuffer->readonly);
            QVERIFY2(owner.contains(QStringLiteral("decompressed into memory")), qPrintable(owner));
        }
        // The block is the array's bytes, nothing of the header before them.
        QCOMPARE(report.memory->base, report.sourceBuffer->buf);
        QCOMPARE(report.memory->size, report.sourceBuffer->len);
    }

    void ownerNamesTheFileBytesAndDtype()
    {
        const InspectionReport r = inspect(numpyFile(QStringLiteral("big_endian.npy")));
        QVERIFY(r.memory);
        // np.save writes a 128-byte header (format 1.0) before 6 items of 4 bytes.
        QCOMPARE(QString::fromStdString(r.memory->owner),
                 QStringLiteral(
                     "big_endian.npy (dtype '>u4', C order): file bytes 128–151, memory-mapped read-only "
                     "(r--s in /proc/self/maps)"));
        QCOMPARE(r.sourceType, std::string("memmap")); // what np.load(mmap_mode='r') gives
        QCOMPARE(r.sourceBuffer->format, std::string(">I"));
    }

    void emptyArrayHasNothingToMap()
    {
        const InspectionReport r = inspect(numpyFile(QStringLiteral("empty.npy")));
        QVERIFY(r.sourceBuffer);
        QCOMPARE(r.sourceBuffer->shape, (std::vector<Extent>{0, 3}));
    }

    void hostileFilesFailWithOneLine_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("member");
        QTest::addColumn<QString>("message");
        QTest::newRow("truncated header") << "truncated_header.npy"
                                          << ""
                                          << "not a valid numpy array header";
        QTest::newRow("truncated data")
            << "truncated_data.npy"
            << ""
            << "the header describes 48 bytes of data at offset 128, but only 40 follow: "
               "the file is truncated";
        QTest::newRow("huge shape")
            << "huge_shape.npy"
            << ""
            << "the header describes 4000000000000 bytes of data at offset 80, but only 48 follow";
        QTest::newRow("object dtype") << "objects.npy"
                                      << ""
                                      << "which only unpickling could load";
        // The member is named after the file, once ("member 'o'", not "member 'o' of objects.npz").
        QTest::newRow("object dtype member")
            << "objects.npz"
            << "o"
            << "objects.npz', member 'o': the array holds Python objects (dtype '|O'), which only "
               "unpickling could load";
        QTest::newRow("not numpy") << "not_numpy.npy"
                                   << ""
                                   << "is not a numpy file";
        QTest::newRow("fifo") << "fifo.npy"
                              << ""
                              << "is a FIFO, not a regular file";
        QTest::newRow("directory") << "directory.npy"
                                   << ""
                                   << "is a directory, not a file";
        QTest::newRow("missing file") << "nowhere.npy"
                                      << ""
                                      << "No such file or directory";
        QTest::newRow("missing member") << "stored.npz"
                                        << "nope"
                                        << "has no member 'nope' (its members: 'x', 'y')";
        QTest::newRow("no member of several") << "stored.npz"
                                              << ""
                                              << "holds 2 arrays; choose one of 'x', 'y'";
        QTest::newRow("member of an .npy") << "c.npy"
                                           << "x"
                                           << "is an .npy file, which holds one array and no member 'x'";
        QTest::newRow("damaged directory entry") << "damaged_entry.npz"
                                                 << "x"
                                                 << "zip directory entry 2 is damaged";
        QTest::newRow("bogus local header offset") << "bogus_offset.npz"
                                                   << "x"
                                                   << "member 'x.npy': ";
    }
    void hostileFilesFailWithOneLine()
    {
        QFETCH(QString, file);
        QFETCH(QString, member);
        QFETCH(QString, message);
        const QString error = failure(numpyFile(file, member.toStdString()));
        QVERIFY2(error.contains(message), qPrintable(error));
        QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
        QVERIFY2(error.contains(file), qPrintable(error));
    }

    // A compressed member is measured by its header before anything is decompressed: past the
    // memory limit it is refused (a 16 MiB member under a 1 MiB limit), under it it loads.
    void compressedMemberIsBoundedByItsHeader()
    {
        Inspector::Options tight;
        tight.limits.allocationLimit = ByteCount(1) << 20;
        const QString error = failure(numpyFile(QStringLiteral("bomb.npz"), "z"), tight);
        QVERIFY2(error.contains(QStringLiteral(
                     "holds 16777216 bytes of data, more than the memory limit of 1048576 bytes")),
                 qPrintable(error));
        Inspector::Options roomy;
        roomy.limits.allocationLimit = ByteCount(32) << 20;
        QVERIFY(failure(numpyFile(QStringLiteral("bomb.npz"), "z"), roomy).isEmpty());
    }

    // An object array's data is a pickle; this one would create a file when unpickled. Opening it
    // (mapped, or as a compressed member) is refused and the file never appears.
    void objectArraysAreNeverUnpickled()
    {
        for (const auto& [file, member] : {std::pair<QString, std::string>{QStringLiteral("evil.npy"), ""},
                                           {QStringLiteral("evil.npz"), "e"}}) {
            const QString error = failure(numpyFile(file, member));
            QVERIFY2(error.contains(
                         QStringLiteral("which only unpickling could load; Stridescope never unpickles")),
                     qPrintable(error));
            QVERIFY(!QFile::exists(g_dir + QStringLiteral("/unpickled")));
        }
        // The pickle is real: numpy's own loader, allowed to unpickle, runs it.
        QProcess python;
        python.start(QStringLiteral("/usr/bin/python3"),
                     {QStringLiteral("-c"),
                      QStringLiteral("import numpy, sys; numpy.load(sys.argv[1], allow_pickle=True)"),
                      g_dir + QStringLiteral("/evil.npy")});
        QVERIFY(python.waitForFinished(60000));
        QVERIFY(QFile::exists(g_dir + QStringLiteral("/unpickled")));
    }

    // The member list and the refusals of NpzArchive, which the window and the command line use
    // to list members without numpy.
    void archiveListsMembersInOrder()
    {
        std::string error;
        auto file = RegularFile::open((g_dir + QStringLiteral("/stored.npz")).toStdString(), &error);
        QVERIFY(file);
        QVERIFY(NpzArchive::looksLikeZip(*file));
        auto archive = NpzArchive::read(*file, &error);
        QVERIFY2(archive, error.c_str());
        QCOMPARE(archive->memberNames(), (std::vector<std::string>{"x", "y"}));
        QVERIFY(archive->member("x")->stored());
        auto compressed =
            RegularFile::open((g_dir + QStringLiteral("/compressed.npz")).toStdString(), &error);
        QVERIFY(compressed);
        QCOMPARE(NpzArchive::read(*compressed, &error)->member("y")->method, NpzArchive::methodDeflate);
        std::vector<std::string> many;
        for (int i = 0; i < 30; ++i)
            many.push_back("m" + std::to_string(i));
        const std::string listed = NpzArchive::listed(many);
        QVERIFY(listed.ends_with("'m19' and 10 more"));
    }
};

QTEST_GUILESS_MAIN(TestNumpyFile)
#include "tst_numpyfile.moc"
