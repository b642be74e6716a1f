#include "requestscommand.h"

#include "core/conformancecheck.h"
#include "reportjson.h"
#include "scenariorun.h"

#include <QCommandLineParser>
#include <QJsonDocument>

#include <cstdio>
#include <map>

namespace stridescope {

namespace {

QString arrayText(const std::optional<std::vector<std::int64_t>>& v)
{
    if (!v)
        return QStringLiteral("NULL");
    QStringList parts;
    for (std::int64_t x : *v)
        parts << QString::number(x);
    return QLatin1Char('(') + parts.join(QStringLiteral(", ")) +
           (v->size() == 1 ? QStringLiteral(",)") : QStringLiteral(")"));
}

// One request's answer in a line; the fields that differ from the PyBUF_FULL_RO view end in '*'.
QString outcomeText(const RequestOutcome& o, const RequestOutcome* reference)
{
    if (o.raised()) {
        if (o.errorReturnedWithoutException)
            return QStringLiteral("returned -1 with no exception set");
        return QString::fromStdString(o.errorType) +
               (o.errorMessage.empty() ? QString()
                                       : QStringLiteral(": ") + QString::fromStdString(o.errorMessage));
    }
    std::vector<std::string> differs;
    if (reference && reference != &o)
        differs = o.differencesFrom(*reference);
    const auto mark = [&differs](const char* field) {
        return std::find(differs.begin(), differs.end(), field) != differs.end() ? QStringLiteral("*")
                                                                                 : QString();
    };
    const auto unreadable = [&o](const char* field) {
        return std::find(o.unreadable.begin(), o.unreadable.end(), field) != o.unreadable.end();
    };
    const ExportedBuffer& v = *o.view;
    QStringList parts;
    parts << (o.bufOffset ? QStringLiteral("buf +%1").arg(*o.bufOffset)
                          : QStringLiteral("buf 0x%1").arg(v.buf, 0, 16)) +
                 mark("buf");
    parts << QStringLiteral("len %1").arg(v.len) + mark("len");
    parts << QStringLiteral("itemsize %1").arg(v.itemSize) + mark("itemsize");
    parts << QStringLiteral("ndim %1").arg(v.ndim) + mark("ndim");
    parts << QStringLiteral("format ") +
                 (unreadable("format") ? QStringLiteral("UNREADABLE")
                  : v.format ? QLatin1Char('\'') + QString::fromStdString(*v.format) + QLatin1Char('\'')
                             : QStringLiteral("NULL")) +
                 mark("format");
    for (const auto& [name, array] : {std::pair{"shape", &v.shape}, std::pair{"strides", &v.strides},
                                      std::pair{"suboffsets", &v.suboffsets}})
        parts << QString::fromLatin1(name) + QLatin1Char(' ') +
                     (unreadable(name) ? QStringLiteral("UNREADABLE") : arrayText(*array)) + mark(name);
    parts << (v.readonly ? QStringLiteral("read-only") : QStringLiteral("writable")) + mark("readonly");
    parts << QStringLiteral("obj ") +
                 (o.obj == RequestOutcome::ObjKind::Exporter ? QStringLiteral("exporter")
                  : o.obj == RequestOutcome::ObjKind::Null   ? QStringLiteral("NULL")
                                                             : QString::fromStdString(o.objType)) +
                 mark("obj");
    if (o.internalSet)
        parts << QStringLiteral("internal set");
    return parts.join(QStringLiteral(", "));
}

} // namespace

QString RequestsCommand::render(const InspectionReport& r)
{
    QString out;
    const RequestOutcome* reference = nullptr;
    int width = 0;
    for (const RequestOutcome& o : r.requests) {
        if (o.request.name == BufferRequest::referenceName)
            reference = &o;
        width = std::max(width, int(o.request.name.size()));
    }
    out += QStringLiteral("Exporter    %1; its memory: %2\n")
               .arg(QString::fromStdString(r.sourceType),
                    r.requestsMemory ? QStringLiteral("%1 (%2 bytes)")
                                           .arg(QString::fromStdString(r.requestsMemory->owner))
                                           .arg(r.requestsMemory->size)
                                     : QStringLiteral("known only from what its views claim"));
    out += QStringLiteral(
        "Requests    (* differs from the PyBUF_FULL_RO view; buf +N: bytes from the start of that memory)\n");
    for (const RequestOutcome& o : r.requests) {
        const QString counts =
            o.raised() ? QStringLiteral("refs %1 -> %2").arg(o.refcountBefore).arg(o.refcountAfter)
                       : QStringLiteral("refs %1 -> %2 -> %3")
                             .arg(o.refcountBefore)
                             .arg(o.refcountHeld)
                             .arg(o.refcountAfter);
        out += QStringLiteral("  %1  %2; %3\n")
                   .arg(QString::fromStdString(o.request.name), -width)
                   .arg(outcomeText(o, reference), counts);
    }
    // Failures one by one with the rule quoted; undecided verdicts grouped by what they say.
    int failed = 0, undecided = 0, passed = 0, brokenRequests = 0;
    QString failures;
    std::map<std::pair<std::string, std::string>, QStringList> undecidedGroups;
    for (const RequestOutcome& o : r.requests) {
        brokenRequests += o.broken();
        for (const ConformanceVerdict& v : o.verdicts) {
            if (v.result == ConformanceVerdict::Result::Pass) {
                ++passed;
            } else if (v.result == ConformanceVerdict::Result::Fail) {
                ++failed;
                failures += QStringLiteral("  %1  FAIL %2: %3\n  %4       rule: \"%5\"\n")
                                .arg(QString::fromStdString(o.request.name), -width)
                                .arg(QString::fromStdString(v.rule), QString::fromStdString(v.detail),
                                     QString(width, QLatin1Char(' ')), QString::fromStdString(v.quote));
            } else {
                ++undecided;
                undecidedGroups[{v.rule, v.detail}] << QString::fromStdString(o.request.name);
            }
        }
    }
    out += QStringLiteral("Verdicts\n");
    out += failures;
    for (const auto& [key, names] : undecidedGroups)
        out += QStringLiteral("  UNDECIDED %1 (%2): %3\n")
                   .arg(QString::fromStdString(key.first),
                        names.size() == int(r.requests.size()) ? QStringLiteral("every request")
                                                               : names.join(QStringLiteral(", ")),
                        QString::fromStdString(key.second));
    out += failed > 0
               ? QStringLiteral("Conformance %1 rule%2 broken in %3 request%4; %5 undecided, %6 passed.\n")
                     .arg(failed)
                     .arg(failed == 1 ? "" : "s")
                     .arg(brokenRequests)
                     .arg(brokenRequests == 1 ? "" : "s")
                     .arg(undecided)
                     .arg(passed)
               : QStringLiteral("Conformance no rule broken; %1 undecided, %2 passed.\n")
                     .arg(undecided)
                     .arg(passed);
    return out;
}

int RequestsCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Ask a buffer exporter for every standard buffer request (PyBUF_SIMPLE ... PyBUF_FULL_RO) with "
        "PyObject_GetBuffer, print what each returned or raised, and check each answer against the buffer "
        "protocol's documented rules (Doc/c-api/buffer.rst), quoting the rule that is broken.\n"
        "Exit codes: 0 no rule broken, 1 the scenario is invalid or its object is no buffer, 2 usage errors, "
        "3 the exporter broke a rule."));
    parser.addHelpOption();
    ScenarioRun scenario(QStringLiteral("requests"));
    scenario.withoutPictures();
    scenario.withRequestMatrixOnly();
    scenario.addOptions(parser);
    const QCommandLineOption json(QStringLiteral("json"),
                                  QStringLiteral("Print the report as JSON (with its requests array)."));
    parser.addOption(json);

    QStringList args = arguments;
    if (args.size() > 1)
        args.removeAt(1); // "requests"
    if (!parser.parse(args)) {
        scenario.printError(parser.errorText() + QStringLiteral(" (see stridescope requests --help)"));
        return UsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("Usage: ") + args.first(),
                                                        QStringLiteral("Usage: stridescope requests"))),
                   stdout);
        std::printf("\nPresets: %s\n", qPrintable(scenario.presetList()));
        return Conforms;
    }
    auto outcome = scenario.run(parser);
    if (const int* failed = std::get_if<int>(&outcome))
        return *failed;
    const InspectionReport& report = std::get<InspectionReport>(outcome);
    if (!report.sourceSupportsBuffer) {
        scenario.printError(
            QStringLiteral("a %1 does not support the buffer protocol: there is nothing to request")
                .arg(QString::fromStdString(report.sourceType)));
        return InvalidScenario;
    }
    const QByteArray text = parser.isSet(json)
                                ? QJsonDocument(ReportJson::toObject(report)).toJson(QJsonDocument::Indented)
                                : render(report).toUtf8();
    std::fwrite(text.constData(), 1, std::size_t(text.size()), stdout);
    std::fflush(stdout);
    return ConformanceCheck::conforms(report.requests) ? Conforms : RuleBroken;
}

} // namespace stridescope
