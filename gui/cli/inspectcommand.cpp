#include "inspectcommand.h"

#include "reportjson.h"
#include "reporttext.h"
#include "gui/scenario/presetlibrary.h"
#include "gui/scenario/scenariofile.h"
#include "pyhost/inspector.h"
#include "pyhost/pythonhost.h"

#include <QCommandLineParser>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace stridescope {

namespace {

void printError(const QString& message)
{
    std::fprintf(stderr, "stridescope inspect: %s\n", qPrintable(message));
    std::fflush(stderr);
}

std::optional<qint64> parseByteSize(const QString& text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d+)\\s*([KMGT]i?B?|B)?\\s*$"),
                                            QRegularExpression::CaseInsensitiveOption);
    auto m = pattern.match(text);
    if (!m.hasMatch())
        return std::nullopt;
    bool ok = false;
    qint64 value = m.captured(1).toLongLong(&ok);
    if (!ok)
        return std::nullopt;
    const QString unit = m.captured(2).toUpper();
    int shift = unit.startsWith('K') ? 10 : unit.startsWith('M') ? 20 : unit.startsWith('G') ? 30
                                                                  : unit.startsWith('T') ? 40 : 0;
    if (shift && value > (std::numeric_limits<qint64>::max() >> shift))
        return std::nullopt;
    return value << shift;
}

} // namespace

int InspectCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Build a buffer, call PyMemoryView_GetContiguous on it in the embedded CPython and report "
                       "what happened, next to what Stridescope predicted."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("scenario"), QStringLiteral("Scenario file (JSON, see README)."),
                                 QStringLiteral("[SCENARIO.json]"));
    const QCommandLineOption expr(QStringLiteral("expr"),
                                  QStringLiteral("Python code whose last expression (or variable buf) is the object; "
                                                 "numpy is imported as np."),
                                  QStringLiteral("CODE"));
    const QCommandLineOption preset(QStringLiteral("preset"),
                                    QStringLiteral("A built-in teaching scenario (see the list below)."),
                                    QStringLiteral("NAME"));
    const QCommandLineOption request(QStringLiteral("request"), QStringLiteral("PyBUF_READ or PyBUF_WRITE."),
                                     QStringLiteral("read|write"));
    const QCommandLineOption order(QStringLiteral("order"), QStringLiteral("The order asked for."),
                                   QStringLiteral("C|F|A"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the report as JSON."));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     QStringLiteral("Stop Python code that runs longer than this (default 30; 0 "
                                                    "waits forever)."),
                                     QStringLiteral("SECONDS"), QStringLiteral("30"));
    const QCommandLineOption maxMemory(QStringLiteral("max-memory"),
                                       QStringLiteral("Largest memory block a strided source may allocate "
                                                      "(default 1G; K, M, G suffixes)."),
                                       QStringLiteral("BYTES"), QStringLiteral("1G"));
    parser.addOptions({expr, preset, request, order, json, timeout, maxMemory});

    QStringList presetNames;
    for (const Preset& p : PresetLibrary::all())
        presetNames << p.name;

    QStringList args = arguments;
    if (args.size() > 1)
        args.removeAt(1); // "inspect"
    if (!parser.parse(args)) {
        printError(parser.errorText() + QStringLiteral(" (see stridescope inspect --help)"));
        return UsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("Usage: ") + args.first(),
                                                        QStringLiteral("Usage: stridescope inspect"))),
                   stdout);
        std::printf("\nPresets: %s\n", qPrintable(presetNames.join(", ")));
        return CallMade;
    }
    const QStringList positional = parser.positionalArguments();
    const int sources = int(!positional.isEmpty()) + int(parser.isSet(expr)) + int(parser.isSet(preset));
    if (positional.size() > 1) {
        printError(QStringLiteral("give at most one scenario file, not %1").arg(positional.size()));
        return UsageError;
    }
    if (sources > 1) {
        printError(QStringLiteral("give only one of SCENARIO.json, --expr and --preset"));
        return UsageError;
    }
    bool ok = false;
    const double timeoutSeconds = parser.value(timeout).toDouble(&ok);
    if (!ok || timeoutSeconds < 0) {
        printError(QStringLiteral("--timeout takes a number of seconds >= 0, not '%1'").arg(parser.value(timeout)));
        return UsageError;
    }
    Inspector::Options options;
    if (auto limit = parseByteSize(parser.value(maxMemory)))
        options.limits.allocationLimit = *limit;
    else {
        printError(QStringLiteral("--max-memory takes a size like 1G or 512M, not '%1'").arg(parser.value(maxMemory)));
        return UsageError;
    }
    std::optional<ConversionRequest::BufferType> bufferType;
    if (parser.isSet(request)) {
        bufferType = ConversionRequest::parseBufferType(parser.value(request).toStdString());
        if (!bufferType) {
            printError(QStringLiteral("--request takes read or write, not '%1'").arg(parser.value(request)));
            return UsageError;
        }
    }
    std::optional<char> orderChar;
    if (parser.isSet(order)) {
        orderChar = ConversionRequest::parseOrder(parser.value(order).toStdString());
        if (!orderChar) {
            printError(QStringLiteral("--order takes C, F or A, not '%1'").arg(parser.value(order)));
            return UsageError;
        }
    }

    // The scenario.
    Scenario scenario;
    if (!positional.isEmpty()) {
        QFile file(positional.first());
        if (!file.open(QIODevice::ReadOnly)) {
            printError(QStringLiteral("cannot read %1: %2").arg(positional.first(), file.errorString()));
            return InvalidScenario;
        }
        QString error;
        auto parsed = ScenarioFile::parse(file.readAll(), &error);
        if (!parsed) {
            printError(QStringLiteral("%1: %2").arg(positional.first(), error));
            return InvalidScenario;
        }
        scenario = *parsed;
    } else if (parser.isSet(expr)) {
        scenario.kind = Scenario::SourceKind::Python;
        scenario.code = parser.value(expr).toStdString();
    } else {
        const QString name = parser.isSet(preset) ? parser.value(preset) : PresetLibrary::defaultName();
        auto found = PresetLibrary::find(name);
        if (!found) {
            printError(QStringLiteral("no preset named '%1' (presets: %2)").arg(name, presetNames.join(", ")));
            return UsageError;
        }
        scenario = found->scenario;
    }
    if (bufferType)
        scenario.request.bufferType = *bufferType;
    if (orderChar)
        scenario.request.order = *orderChar;

    // The inspection, on the interpreter's thread, bounded by --timeout.
    PythonHost& host = PythonHost::instance();
    if (!host.startupError().empty()) {
        printError(QStringLiteral("the embedded Python did not start: %1").arg(QString::fromStdString(host.startupError())));
        return InvalidScenario;
    }
    auto future = host.submit([scenario, options] { return Inspector::run(scenario, options); });
    bool timedOut = false;
    if (timeoutSeconds > 0 &&
        future.wait_for(std::chrono::duration<double>(timeoutSeconds)) != std::future_status::ready) {
        timedOut = true;
        host.interrupt();
        if (future.wait_for(std::chrono::seconds(3)) != std::future_status::ready) {
            // Stuck in C code that ignores KeyboardInterrupt: nothing can be finalised safely.
            printError(QStringLiteral("timed out after %1 s, and the Python code did not stop").arg(timeoutSeconds));
            std::_Exit(InvalidScenario);
        }
    }
    InspectionReport report;
    try {
        report = future.get();
    } catch (const SourceError& e) {
        if (timedOut)
            printError(QStringLiteral("timed out after %1 s (the Python code was stopped)").arg(timeoutSeconds));
        else
            printError(QString::fromStdString(e.what()));
        if (!e.output.empty() && !timedOut) {
            std::fputs("--- output of the code before it failed ---\n", stderr);
            std::fputs(e.output.c_str(), stderr);
            if (e.output.back() != '\n')
                std::fputc('\n', stderr);
            if (e.outputTruncated)
                std::fputs("[output truncated]\n", stderr);
        }
        if (e.python && !e.python->traceback.empty() && !timedOut)
            std::fputs(e.python->traceback.c_str(), stderr);
        return InvalidScenario;
    } catch (const std::exception& e) {
        printError(QString::fromStdString(e.what()));
        return InvalidScenario;
    }
    if (timedOut) {
        printError(QStringLiteral("timed out after %1 s").arg(timeoutSeconds));
        return InvalidScenario;
    }

    const QByteArray text = parser.isSet(json)
                                ? QJsonDocument(ReportJson::toObject(report)).toJson(QJsonDocument::Indented)
                                : ReportText::render(report).toUtf8();
    std::fwrite(text.constData(), 1, std::size_t(text.size()), stdout);
    std::fflush(stdout);
    return CallMade;
}

} // namespace stridescope
