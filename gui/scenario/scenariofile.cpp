#include "scenariofile.h"

#include "core/itemformat.h"

#include "core/quotedtext.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace stridescope {

namespace {

// A string from the file as a message quotes it: one line, however long or strange it is.
QString shown(const QString& text)
{
    return QString::fromStdString(quotedText(text.toStdString()));
}

// Reads fields of one JSON object, remembering the first error; unknown keys are errors.
class FieldReader
{
public:
    FieldReader(const QJsonObject& object, QString where, QString* error)
        : m_object(object), m_where(std::move(where)), m_error(error)
    {
    }

    bool ok() const { return m_ok; }
    bool has(const QString& key) const { return m_object.contains(key); }

    bool fail(const QString& message)
    {
        if (m_ok && m_error)
            *m_error = message;
        m_ok = false;
        return false;
    }

    // The message lists the allowed fields in the order given, the same on every run.
    void allowOnly(std::initializer_list<const char*> keys)
    {
        QStringList allowed;
        for (const char* k : keys)
            allowed << QString::fromLatin1(k);
        for (auto it = m_object.begin(); it != m_object.end(); ++it)
            if (!allowed.contains(it.key()))
                fail(QStringLiteral("unknown field %1 in %2 (allowed: %3)")
                         .arg(shown(it.key()), m_where, allowed.join(QStringLiteral(", "))));
    }

    // A string of at most `maximumLength` characters: a longer one is refused, naming the limit.
    std::optional<QString> string(const QString& key, qsizetype maximumLength, bool required = false)
    {
        auto text = string(key, required);
        if (text && text->size() > maximumLength) {
            fail(QStringLiteral("'%1' in %2 has %3 characters; at most %4 are read")
                     .arg(key, m_where)
                     .arg(text->size())
                     .arg(maximumLength));
            return std::nullopt;
        }
        return text;
    }

    std::optional<QString> string(const QString& key, bool required = false)
    {
        if (!has(key)) {
            if (required)
                fail(QStringLiteral("%1 needs the field '%2'").arg(m_where, key));
            return std::nullopt;
        }
        if (!m_object[key].isString()) {
            fail(QStringLiteral("'%1' in %2 must be a string").arg(key, m_where));
            return std::nullopt;
        }
        return m_object[key].toString();
    }

    std::optional<bool> boolean(const QString& key)
    {
        if (!has(key))
            return std::nullopt;
        if (!m_object[key].isBool()) {
            fail(QStringLiteral("'%1' in %2 must be true or false").arg(key, m_where));
            return std::nullopt;
        }
        return m_object[key].toBool();
    }

    static std::optional<qint64> toInteger(const QJsonValue& v)
    {
        if (!v.isDouble())
            return std::nullopt;
        double d = v.toDouble();
        // JSON numbers are doubles: integers are exact up to 2^53.
        if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9007199254740992.0)
            return std::nullopt;
        return qint64(d);
    }

    std::optional<qint64> integer(const QString& key)
    {
        if (!has(key))
            return std::nullopt;
        auto v = toInteger(m_object[key]);
        if (!v)
            fail(
                QStringLiteral("'%1' in %2 must be a whole number (at most 2^53 in size)").arg(key, m_where));
        return v;
    }

    std::optional<std::vector<std::int64_t>> integers(const QString& key, bool required = false)
    {
        if (!has(key)) {
            if (required)
                fail(QStringLiteral("%1 needs the field '%2'").arg(m_where, key));
            return std::nullopt;
        }
        if (!m_object[key].isArray()) {
            fail(QStringLiteral("'%1' in %2 must be a list of whole numbers").arg(key, m_where));
            return std::nullopt;
        }
        std::vector<std::int64_t> out;
        const QJsonArray array = m_object[key].toArray();
        for (int i = 0; i < array.size(); ++i) {
            auto v = toInteger(array[i]);
            if (!v) {
                fail(QStringLiteral("%1[%2] in %3 must be a whole number").arg(key).arg(i).arg(m_where));
                return std::nullopt;
            }
            out.push_back(*v);
        }
        return out;
    }

    // A list of at most `maximumCount` strings of at most `maximumLength` characters each.
    std::optional<QStringList> strings(const QString& key, qsizetype maximumCount, qsizetype maximumLength)
    {
        if (!has(key))
            return std::nullopt;
        if (!m_object[key].isArray()) {
            fail(QStringLiteral("'%1' in %2 must be a list of strings").arg(key, m_where));
            return std::nullopt;
        }
        const QJsonArray array = m_object[key].toArray();
        if (array.size() > maximumCount) {
            fail(QStringLiteral("'%1' in %2 has %3 entries; at most %4 are read")
                     .arg(key, m_where)
                     .arg(array.size())
                     .arg(maximumCount));
            return std::nullopt;
        }
        QStringList out;
        for (int i = 0; i < array.size(); ++i) {
            if (!array[i].isString() || array[i].toString().size() > maximumLength) {
                fail(QStringLiteral("%1[%2] in %3 must be a string of at most %4 characters")
                         .arg(key)
                         .arg(i)
                         .arg(m_where)
                         .arg(maximumLength));
                return std::nullopt;
            }
            out << array[i].toString();
        }
        return out;
    }

private:
    const QJsonObject& m_object;
    QString m_where;
    QString* m_error;
    bool m_ok = true;
};

// A path from a scenario file as an absolute path: one that does not start with '/' is relative to the
// folder of the file. Plain string rules: QDir would take a path starting with ':' for one of Qt's
// resources and leave it alone.
QString againstFileDirectory(const QString& path, const QString& fileDirectory)
{
    if (path.startsWith(QLatin1Char('/')))
        return path;
    return QDir::cleanPath(fileDirectory + QLatin1Char('/') + path);
}

// The import folders as absolute paths: a relative one is relative to the folder of the file it was
// read from (so a scenario kept beside a project's build folder works wherever the project is).
std::vector<std::string> absoluteImportPath(const QStringList& folders, const QString& fileDirectory,
                                            FieldReader& source)
{
    std::vector<std::string> path;
    for (const QString& folder : folders) {
        if (!folder.startsWith(QLatin1Char('/')) && !folder.isEmpty()) {
            if (fileDirectory.isEmpty()) {
                source.fail(
                    QStringLiteral("the import folder %1 in 'path' is relative, and this scenario was not "
                                   "read from a file it could be relative to")
                        .arg(shown(folder)));
                return {};
            }
            path.push_back(againstFileDirectory(folder, fileDirectory).toStdString());
        } else {
            path.push_back(folder.toStdString());
        }
    }
    return path;
}

QJsonArray toArray(const std::vector<std::int64_t>& v)
{
    QJsonArray a;
    for (auto x : v)
        a.append(double(x));
    return a;
}

// A request object ("buffertype", "order"), as the scenario's own and a comparison's second hold.
bool readRequest(const QJsonObject& object, const QString& where, QString* error, ConversionRequest& out)
{
    FieldReader request(object, where, error);
    request.allowOnly({"buffertype", "order"});
    const QString in = where == QStringLiteral("'request'") ? QString() : QStringLiteral(" in ") + where;
    if (auto b = request.string("buffertype")) {
        if (auto t = ConversionRequest::parseBufferType(b->toStdString()))
            out.bufferType = *t;
        else
            request.fail(
                QStringLiteral("'buffertype'%1 must be \"read\" or \"write\", not %2").arg(in, shown(*b)));
    }
    if (auto o = request.string("order")) {
        if (auto c = ConversionRequest::parseOrder(o->toStdString()))
            out.order = *c;
        else
            request.fail(
                QStringLiteral("'order'%1 must be \"C\", \"F\" or \"A\", not %2").arg(in, shown(*o)));
    }
    return request.ok();
}

// The optional "compare" part: two objects of a Python source's namespace ("first", "second"),
// the second with its own "request" (the first uses the scenario's).
bool readComparison(const QJsonValue& value, Scenario& scenario, QString* error)
{
    const auto fail = [error](const QString& message) {
        if (error)
            *error = message;
        return false;
    };
    if (!value.isObject())
        return fail(QStringLiteral("'compare' must be an object"));
    if (scenario.kind != Scenario::SourceKind::Python)
        return fail(QStringLiteral("'compare' needs a python source: its code defines both objects"));
    const QJsonObject object = value.toObject();
    FieldReader reader(object, QStringLiteral("'compare'"), error);
    reader.allowOnly({"first", "second", "request"});
    ScenarioComparison comparison;
    for (auto [key, name] :
         {std::pair{"first", &comparison.firstName}, std::pair{"second", &comparison.secondName}}) {
        const auto text =
            reader.string(QString::fromLatin1(key), qsizetype(ScenarioComparison::maximumNameLength), true);
        if (!reader.ok())
            return false;
        *name = text->toStdString();
        if (auto problem = ScenarioComparison::nameProblem(*name))
            return fail(QStringLiteral("'%1' in 'compare': %2")
                            .arg(QString::fromLatin1(key), QString::fromStdString(*problem)));
    }
    comparison.secondRequest = scenario.request;
    if (object.contains("request")) {
        if (!object["request"].isObject())
            return fail(QStringLiteral("'request' in 'compare' must be an object"));
        if (!readRequest(object["request"].toObject(), QStringLiteral("'request' in 'compare'"), error,
                         comparison.secondRequest))
            return false;
    }
    scenario.compare = comparison;
    return true;
}

// A snapshot's block: `memory` bytes (within what a snapshot may hold), given as base64 in `data`.
void readSnapshotBytes(FieldReader& source, qint64 memory, const QString& data, Scenario& scenario)
{
    if (memory < 0) {
        source.fail(QStringLiteral("'memory' in 'source' is %1; a snapshot's memory is at least 0 bytes")
                        .arg(memory));
        return;
    }
    if (memory > CapturedMemory::maximumSize) {
        source.fail(QStringLiteral("'memory' in 'source' is %1 bytes; a snapshot holds at most %2 bytes")
                        .arg(memory)
                        .arg(CapturedMemory::maximumSize));
        return;
    }
    scenario.strided.memory = memory;
    const auto decoded =
        QByteArray::fromBase64Encoding(data.toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    bool latin1 = true;
    for (const QChar c : data)
        latin1 = latin1 && c.unicode() < 128;
    if (!latin1 || decoded.decodingStatus != QByteArray::Base64DecodingStatus::Ok) {
        source.fail(QStringLiteral("'data' in 'source' is not valid base64"));
        return;
    }
    if (decoded.decoded.size() != memory) {
        source.fail(QStringLiteral("'data' in 'source' holds %1 bytes, but 'memory' says %2")
                        .arg(decoded.decoded.size())
                        .arg(memory));
        return;
    }
    scenario.captured.bytes =
        std::make_shared<const std::vector<std::uint8_t>>(decoded.decoded.begin(), decoded.decoded.end());
}

// A snapshot's fields: its layout, every number given (the block is the captured one), and the
// block's bytes in base64, exactly `memory` of them.
void readSnapshot(FieldReader& source, Scenario& scenario)
{
    source.allowOnly({"kind", "format", "shape", "strides", "offset", "memory", "readonly", "indirect",
                      "data", "captured_from", "captured_with"});
    StridedSourceSpec& spec = scenario.strided;
    if (auto f = source.string("format", qsizetype(ItemFormat::maxTextLength), true))
        spec.format = f->toStdString();
    if (auto s = source.integers("shape", true))
        spec.shape = *s;
    if (auto s = source.integers("strides", true))
        spec.strides = *s;
    if (auto o = source.integer("offset"))
        spec.offset = *o;
    else if (source.ok())
        source.fail(QStringLiteral("'source' needs the field 'offset'"));
    const std::optional<qint64> memory = source.integer("memory");
    if (!memory && source.ok())
        source.fail(QStringLiteral("'source' needs the field 'memory'"));
    spec.readonly = source.boolean("readonly").value_or(false);
    spec.indirect = source.boolean("indirect").value_or(false);
    CapturedMemory& captured = scenario.captured;
    captured.capturedFrom = source.string("captured_from", qsizetype(CapturedMemory::maximumNameLength))
                                .value_or(QString())
                                .toStdString();
    captured.capturedWith = source.string("captured_with", qsizetype(CapturedMemory::maximumNameLength))
                                .value_or(QString::fromLatin1(CapturedMemory::captureRequest))
                                .toStdString();
    // Base64 makes 4 characters of 3 bytes: longer text than the largest snapshot needs is refused
    // before it is decoded.
    constexpr qsizetype maximumText = qsizetype((CapturedMemory::maximumSize + 2) / 3 * 4);
    const std::optional<QString> data = source.string("data", maximumText, true);
    if (source.ok())
        readSnapshotBytes(source, *memory, *data, scenario);
}

void writeSnapshot(const Scenario& scenario, QJsonObject& source)
{
    const StridedSourceSpec& spec = scenario.strided;
    source["format"] = QString::fromStdString(spec.format);
    source["shape"] = toArray(spec.shape);
    source["strides"] = toArray(spec.strides.value_or(std::vector<ByteOffset>{}));
    source["offset"] = double(spec.offset.value_or(0));
    source["memory"] = double(spec.memory.value_or(ByteCount(scenario.captured.data().size())));
    source["readonly"] = spec.readonly;
    source["indirect"] = spec.indirect;
    const std::vector<std::uint8_t>& bytes = scenario.captured.data();
    source["data"] = QString::fromLatin1(
        QByteArray::fromRawData(reinterpret_cast<const char*>(bytes.data()), qsizetype(bytes.size()))
            .toBase64());
    source["captured_from"] = QString::fromStdString(scenario.captured.capturedFrom);
    source["captured_with"] = QString::fromStdString(scenario.captured.capturedWith);
}

} // namespace

QString ScenarioNotes::capped(const QString& text)
{
    if (text.size() <= maximumLength)
        return text;
    return text.left(maximumLength) +
           QStringLiteral("\n[cut: this note has %1 characters; Stridescope keeps the first %2]")
               .arg(text.size())
               .arg(maximumLength);
}

bool ScenarioFile::isFileName(const QString& path)
{
    return path.endsWith(suffix, Qt::CaseInsensitive) ||
           path.endsWith(QLatin1String(".json"), Qt::CaseInsensitive);
}

std::optional<Scenario> ScenarioFile::parse(const QByteArray& json, QString* error, ScenarioNotes* notes,
                                            const QString& fileDirectory)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        if (error) {
            const int line = int(json.left(parseError.offset).count('\n')) + 1;
            *error = QStringLiteral("not valid JSON: %1 at line %2 (byte %3)")
                         .arg(parseError.errorString())
                         .arg(line)
                         .arg(parseError.offset);
        }
        return std::nullopt;
    }
    if (!doc.isObject()) {
        if (error)
            *error = QStringLiteral("a scenario must be a JSON object");
        return std::nullopt;
    }
    return fromObject(doc.object(), error, notes, fileDirectory);
}

namespace {

// Sets the error, when one is asked for; for the one failure of a step that needs no FieldReader.
bool failWith(QString* error, const QString& message)
{
    if (error)
        *error = message;
    return false;
}

// The top level: only the known parts, a version this Stridescope reads, and a 'source' object.
bool readTop(const QJsonObject& object, QString* error)
{
    FieldReader top(object, QStringLiteral("the scenario"), error);
    top.allowOnly({"stridescope_scenario", "source", "request", "compare", "notes"});
    if (auto v = top.integer(QStringLiteral("stridescope_scenario")); v && *v != ScenarioFile::version)
        top.fail(QStringLiteral("scenario version %1 is not supported (this Stridescope reads version %2)")
                     .arg(*v)
                     .arg(ScenarioFile::version));
    if (!top.ok())
        return false;
    if (!object.contains("source") || !object["source"].isObject())
        return top.fail(QStringLiteral("the scenario needs a 'source' object"));
    return true;
}

// A python source: its code and the folders it imports from.
void readPythonSource(FieldReader& source, Scenario& scenario, const QString& fileDirectory)
{
    scenario.kind = Scenario::SourceKind::Python;
    source.allowOnly({"kind", "code", "path"});
    scenario.code =
        source.string("code", ScenarioFile::maximumCodeLength, true).value_or(QString()).toStdString();
    const auto folders = source.strings(QStringLiteral("path"), qsizetype(Scenario::maximumImportFolders),
                                        qsizetype(Scenario::maximumImportFolderLength));
    if (folders) {
        scenario.importPath = absoluteImportPath(*folders, fileDirectory, source);
        if (auto problem = Scenario::importPathProblem(scenario.importPath); problem && source.ok())
            source.fail(QStringLiteral("'path' in 'source': %1").arg(QString::fromStdString(*problem)));
    }
}

// A memory source's function (FromBuffer unless named); FromBuffer needs a shape.
void readMemoryFunction(const QJsonObject& src, FieldReader& source, Scenario& scenario)
{
    const QString function = source.string("function").value_or(QStringLiteral("FromBuffer"));
    if (function == "FromMemory")
        scenario.memoryFunction = MemoryViewFunction::FromMemory;
    else if (function == "FromBuffer")
        scenario.memoryFunction = MemoryViewFunction::FromBuffer;
    else
        source.fail(QStringLiteral("'function' in 'source' must be \"FromMemory\" or \"FromBuffer\", not %1")
                        .arg(shown(function)));
    if (!src.contains("shape") && scenario.memoryFunction == MemoryViewFunction::FromBuffer)
        source.fail(QStringLiteral("'source' needs the field 'shape'"));
}

// A strided or memory source: the layout to build (a strided one needs its shape), and how to fill it.
void readStridedSource(const QJsonObject& src, FieldReader& source, const QString& kind, Scenario& scenario)
{
    scenario.kind = kind == "strided" ? Scenario::SourceKind::Strided : Scenario::SourceKind::Memory;
    if (kind == "strided")
        source.allowOnly(
            {"kind", "format", "shape", "strides", "offset", "memory", "readonly", "indirect", "fill"});
    else
        source.allowOnly({"kind", "function", "format", "shape", "strides", "offset", "memory", "readonly",
                          "indirect", "fill"});
    StridedSourceSpec& spec = scenario.strided;
    if (auto f = source.string("format", qsizetype(ItemFormat::maxTextLength)))
        spec.format = f->toStdString();
    if (auto s = source.integers("shape", kind == "strided"))
        spec.shape = *s;
    if (auto s = source.integers("strides"))
        spec.strides = *s;
    if (auto o = source.integer("offset"))
        spec.offset = *o;
    if (auto m = source.integer("memory"))
        spec.memory = *m;
    spec.readonly = source.boolean("readonly").value_or(false);
    spec.indirect = source.boolean("indirect").value_or(false);
    if (auto f = source.string("fill")) {
        if (auto fill = StridedSourceSpec::parseFill(f->toStdString()))
            spec.fill = *fill;
        else
            source.fail(QString::fromStdString(StridedSourceSpec::unknownFill(f->toStdString())));
    }
    if (kind == "memory")
        readMemoryFunction(src, source, scenario);
}

// An npy source: the .npy or .npz file (relative to the scenario file's folder) and the member.
void readNumpySource(FieldReader& source, Scenario& scenario, const QString& fileDirectory)
{
    scenario.kind = Scenario::SourceKind::NumpyFile;
    source.allowOnly({"kind", "path", "member"});
    scenario.path =
        source.string("path", ScenarioFile::maximumPathLength, true).value_or(QString()).toStdString();
    scenario.member =
        source.string("member", ScenarioFile::maximumPathLength).value_or(QString()).toStdString();
    if (source.ok() && scenario.path.empty())
        source.fail(QStringLiteral("'path' in 'source' must name a .npy or .npz file, not be empty"));
    if (source.ok() && scenario.path.find('\0') != std::string::npos)
        source.fail(QStringLiteral("'path' in 'source' must not contain a NUL character"));
    // Relative to the scenario file's folder, as import folders are; kept as written without one.
    const QString numpyPath = QString::fromStdString(scenario.path);
    if (source.ok() && !fileDirectory.isEmpty())
        scenario.path = againstFileDirectory(numpyPath, fileDirectory).toStdString();
}

// The "source" part, by its kind.
bool readSource(const QJsonObject& src, Scenario& scenario, QString* error, const QString& fileDirectory)
{
    FieldReader source(src, QStringLiteral("'source'"), error);
    const QString kind = source.string("kind", true).value_or(QString());
    if (!source.ok())
        return false;
    if (kind == "python") {
        readPythonSource(source, scenario, fileDirectory);
    } else if (kind == "strided" || kind == "memory") {
        readStridedSource(src, source, kind, scenario);
    } else if (kind == "snapshot") {
        scenario.kind = Scenario::SourceKind::Snapshot;
        readSnapshot(source, scenario);
    } else if (kind == "npy") {
        readNumpySource(source, scenario, fileDirectory);
    } else {
        source.fail(QStringLiteral("'kind' in 'source' must be \"strided\", \"python\", \"memory\", "
                                   "\"snapshot\" or \"npy\", not %1")
                        .arg(shown(kind)));
    }
    return source.ok();
}

// The optional "request" part: the scenario's own request.
bool readScenarioRequest(const QJsonValue& value, ConversionRequest& request, QString* error)
{
    if (!value.isObject())
        return failWith(error, QStringLiteral("'request' must be an object"));
    return readRequest(value.toObject(), QStringLiteral("'request'"), error, request);
}

// The optional "notes" part, each note capped; `notes` is set only when all of them are read.
bool readNotes(const QJsonValue& value, ScenarioNotes* notes, QString* error)
{
    if (!value.isObject())
        return failWith(error, QStringLiteral("'notes' must be an object"));
    const QJsonObject n = value.toObject();
    FieldReader reader(n, QStringLiteral("'notes'"), error);
    reader.allowOnly({"title", "summary", "explanation"});
    ScenarioNotes read;
    read.title = ScenarioNotes::capped(reader.string("title").value_or(QString()));
    read.summary = ScenarioNotes::capped(reader.string("summary").value_or(QString()));
    read.explanation = ScenarioNotes::capped(reader.string("explanation").value_or(QString()));
    if (!reader.ok())
        return false;
    if (notes)
        *notes = read;
    return true;
}

} // namespace

std::optional<Scenario> ScenarioFile::fromObject(const QJsonObject& object, QString* error,
                                                 ScenarioNotes* notes, const QString& fileDirectory)
{
    Scenario scenario;
    if (!readTop(object, error))
        return std::nullopt;
    const QJsonObject source = object["source"].toObject();
    if (!readSource(source, scenario, error, fileDirectory))
        return std::nullopt;
    if (object.contains("request") && !readScenarioRequest(object["request"], scenario.request, error))
        return std::nullopt;
    if (object.contains("compare") && !readComparison(object["compare"], scenario, error))
        return std::nullopt;
    if (object.contains("notes") && !readNotes(object["notes"], notes, error))
        return std::nullopt;
    return scenario;
}

QJsonObject ScenarioFile::toObject(const Scenario& scenario, const ScenarioNotes& notes)
{
    QJsonObject source;
    source["kind"] = QString::fromStdString(Scenario::kindName(scenario.kind));
    if (scenario.kind == Scenario::SourceKind::Python) {
        source["code"] = QString::fromStdString(scenario.code);
        if (!scenario.importPath.empty()) {
            QJsonArray path;
            for (const std::string& folder : scenario.importPath)
                path.append(QString::fromStdString(folder));
            source["path"] = path;
        }
    } else if (scenario.kind == Scenario::SourceKind::Snapshot) {
        writeSnapshot(scenario, source);
    } else if (scenario.kind == Scenario::SourceKind::NumpyFile) {
        source["path"] = QString::fromStdString(scenario.path);
        if (!scenario.member.empty())
            source["member"] = QString::fromStdString(scenario.member);
    } else {
        const StridedSourceSpec& spec = scenario.strided;
        if (scenario.kind == Scenario::SourceKind::Memory)
            source["function"] =
                scenario.memoryFunction == MemoryViewFunction::FromMemory ? "FromMemory" : "FromBuffer";
        source["format"] = QString::fromStdString(spec.format);
        source["shape"] = toArray(spec.shape);
        if (spec.strides)
            source["strides"] = toArray(*spec.strides);
        if (spec.offset) // absent means "the smallest that fits", which an explicit 0 is not
            source["offset"] = double(*spec.offset);
        if (spec.memory)
            source["memory"] = double(*spec.memory);
        source["readonly"] = spec.readonly;
        source["indirect"] = spec.indirect;
        source["fill"] = QString::fromStdString(StridedSourceSpec::fillName(spec.fill));
    }
    QJsonObject request;
    request["buffertype"] = QString::fromStdString(scenario.request.bufferTypeName());
    request["order"] = QString(QChar::fromLatin1(scenario.request.order));
    QJsonObject object;
    object["stridescope_scenario"] = version;
    object["source"] = source;
    object["request"] = request;
    if (scenario.compare) {
        QJsonObject second;
        second["buffertype"] = QString::fromStdString(scenario.compare->secondRequest.bufferTypeName());
        second["order"] = QString(QChar::fromLatin1(scenario.compare->secondRequest.order));
        QJsonObject compare;
        compare["first"] = QString::fromStdString(scenario.compare->firstName);
        compare["second"] = QString::fromStdString(scenario.compare->secondName);
        compare["request"] = second;
        object["compare"] = compare;
    }
    if (!notes.title.isEmpty() || !notes.summary.isEmpty() || !notes.explanation.isEmpty()) {
        QJsonObject n;
        n["title"] = notes.title;
        n["summary"] = notes.summary;
        n["explanation"] = notes.explanation;
        object["notes"] = n;
    }
    return object;
}

QByteArray ScenarioFile::toJson(const Scenario& scenario, const ScenarioNotes& notes)
{
    return QJsonDocument(toObject(scenario, notes)).toJson(QJsonDocument::Indented);
}

} // namespace stridescope
