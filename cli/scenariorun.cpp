#include "scenariorun.h"

#include "gui/scenario/numpyfilescenario.h"
#include "gui/scenario/presetlibrary.h"
#include "gui/scenario/scenariofile.h"
#include "gui/scenario/scenariofilereader.h"
#include "gui/supervisor/interpretersupervisor.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace stridescope {

namespace {

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
    int shift = unit.startsWith('K')   ? 10
                : unit.startsWith('M') ? 20
                : unit.startsWith('G') ? 30
                : unit.startsWith('T') ? 40
                                       : 0;
    if (shift && value > (std::numeric_limits<qint64>::max() >> shift))
        return std::nullopt;
    return value << shift;
}

} // namespace

ScenarioRun::ScenarioRun(QString command)
    : m_command(std::move(command)),
      m_expr(QStringLiteral("expr"),
             QStringLiteral("Python code whose last expression (or variable buf) is the object; numpy is "
                            "imported as np."),
             QStringLiteral("CODE")),
      m_path(QStringLiteral("path"),
             QStringLiteral("A folder to import from, put at the front of sys.path before the code runs (for "
                            "an extension module under development; may be given more than once)."),
             QStringLiteral("DIR")),
      m_preset(QStringLiteral("preset"), QStringLiteral("A built-in teaching scenario (see the list below)."),
               QStringLiteral("NAME")),
      m_request(QStringLiteral("request"), QStringLiteral("PyBUF_READ or PyBUF_WRITE."),
                QStringLiteral("read|write")),
      m_order(QStringLiteral("order"), QStringLiteral("The order asked for."), QStringLiteral("C|F|A")),
      m_member(QStringLiteral("member"),
               QStringLiteral("The array of an .npz file to open (default: its only one)."),
               QStringLiteral("NAME")),
      m_timeout(QStringLiteral("timeout"),
                QStringLiteral("Stop Python code that runs longer than this (default 30, at most 1000000; 0 "
                               "waits forever)."),
                QStringLiteral("SECONDS"), QStringLiteral("30")),
      m_maxMemory(QStringLiteral("max-memory"),
                  QStringLiteral("Largest memory block a strided source may allocate, and largest copy "
                                 "CPython may make (default 1G; K, M, G suffixes). Python code's own "
                                 "allocations are bounded by the worker's address space: 3 times this plus "
                                 "512 MiB."),
                  QStringLiteral("BYTES"), QStringLiteral("1G"))
{
}

ScenarioRun::~ScenarioRun() = default;

void ScenarioRun::addOptions(QCommandLineParser& parser) const
{
    parser.addPositionalArgument(QStringLiteral("scenario"),
                                 QStringLiteral("Scenario file (JSON, see README), or a .npy or .npz file."),
                                 QStringLiteral("[SCENARIO.json|FILE.npy|FILE.npz]"));
    parser.addOptions({m_expr, m_path, m_preset, m_request, m_order, m_member});
    addLimitOptions(parser);
}

void ScenarioRun::addLimitOptions(QCommandLineParser& parser) const
{
    parser.addOptions({m_timeout, m_maxMemory});
}

void ScenarioRun::addOptionsWithoutTimeout(QCommandLineParser& parser)
{
    m_withTimeout = false;
    parser.addPositionalArgument(QStringLiteral("scenario"),
                                 QStringLiteral("Scenario file (JSON, see README), or a .npy or .npz file."),
                                 QStringLiteral("[SCENARIO.json|FILE.npy|FILE.npz]"));
    parser.addOptions({m_expr, m_path, m_preset, m_request, m_order, m_member, m_maxMemory});
}

std::variant<Scenario, int> ScenarioRun::scenarioOf(const QCommandLineParser& parser)
{
    if (auto failed = resolve(parser))
        return *failed;
    return m_scenario;
}

std::optional<int> ScenarioRun::resolveLimits(const QCommandLineParser& parser)
{
    bool ok = !m_withTimeout;
    if (m_withTimeout)
        m_timeoutSeconds = parser.value(m_timeout).toDouble(&ok);
    // NaN fails both comparisons; past the maximum a wait would overflow the clock.
    if (!ok || !(m_timeoutSeconds >= 0 && m_timeoutSeconds <= maximumTimeoutSeconds)) {
        printError(QStringLiteral("--timeout takes a number of seconds from 0 (no limit) to %1, not '%2'")
                       .arg(maximumTimeoutSeconds, 0, 'f', 0)
                       .arg(parser.value(m_timeout)));
        return UsageError;
    }
    if (auto limit = parseByteSize(parser.value(m_maxMemory))) {
        m_options.limits.allocationLimit = *limit;
    } else {
        printError(QStringLiteral("--max-memory takes a size like 1G or 512M, not '%1'")
                       .arg(parser.value(m_maxMemory)));
        return UsageError;
    }
    return std::nullopt;
}

void ScenarioRun::printError(const QString& message) const
{
    std::fprintf(stderr, "stridescope %s: %s\n", qPrintable(m_command), qPrintable(message));
    std::fflush(stderr);
}

QString ScenarioRun::presetList() const
{
    QStringList names;
    for (const Preset& p : PresetLibrary::all())
        names << p.name;
    return names.join(QStringLiteral(", "));
}

std::optional<int> ScenarioRun::resolve(const QCommandLineParser& parser)
{
    const QStringList positional = parser.positionalArguments();
    const bool numpyFile = !positional.isEmpty() && NumpyFileScenario::isNumpyFileName(positional.first());
    if (auto failed = checkSourceChoice(parser, numpyFile))
        return failed;
    if (auto failed = resolveLimits(parser))
        return failed;
    RequestChoice choice;
    if (auto failed = readRequestChoice(parser, choice))
        return failed;
    if (auto failed = loadScenario(parser, numpyFile))
        return failed;
    if (auto failed = addImportFolders(parser.values(m_path)))
        return failed;
    if (choice.bufferType)
        m_scenario.request.bufferType = *choice.bufferType;
    if (choice.order)
        m_scenario.request.order = *choice.order;
    return std::nullopt;
}

std::optional<int> ScenarioRun::checkSourceChoice(const QCommandLineParser& parser, bool numpyFile) const
{
    const QStringList positional = parser.positionalArguments();
    const int sources = int(!positional.isEmpty()) + int(parser.isSet(m_expr)) + int(parser.isSet(m_preset));
    if (positional.size() > 1) {
        printError(QStringLiteral("give at most one scenario file, not %1").arg(positional.size()));
        return UsageError;
    }
    if (sources > 1) {
        printError(QStringLiteral("give only one of SCENARIO.json, --expr and --preset"));
        return UsageError;
    }
    if (parser.isSet(m_member) && !numpyFile) {
        printError(QStringLiteral("--member chooses an array of an .npz file; give one"));
        return UsageError;
    }
    return std::nullopt;
}

std::optional<int> ScenarioRun::readRequestChoice(const QCommandLineParser& parser,
                                                  RequestChoice& choice) const
{
    if (parser.isSet(m_request)) {
        choice.bufferType = ConversionRequest::parseBufferType(parser.value(m_request).toStdString());
        if (!choice.bufferType) {
            printError(
                QStringLiteral("--request takes read or write, not '%1'").arg(parser.value(m_request)));
            return UsageError;
        }
    }
    if (parser.isSet(m_order)) {
        choice.order = ConversionRequest::parseOrder(parser.value(m_order).toStdString());
        if (!choice.order) {
            printError(QStringLiteral("--order takes C, F or A, not '%1'").arg(parser.value(m_order)));
            return UsageError;
        }
    }
    return std::nullopt;
}

std::optional<int> ScenarioRun::loadScenario(const QCommandLineParser& parser, bool numpyFile)
{
    const QStringList positional = parser.positionalArguments();
    if (numpyFile)
        return loadNumpyFile(positional.first(), parser.value(m_member));
    if (!positional.isEmpty())
        return loadScenarioFile(positional.first());
    if (parser.isSet(m_expr)) {
        m_scenario.kind = Scenario::SourceKind::Python;
        m_scenario.code = parser.value(m_expr).toStdString();
        return std::nullopt;
    }
    const QString name = parser.isSet(m_preset) ? parser.value(m_preset) : PresetLibrary::defaultName();
    auto found = PresetLibrary::find(name);
    if (!found) {
        printError(QStringLiteral("no preset named '%1' (presets: %2)").arg(name, presetList()));
        return UsageError;
    }
    m_scenario = found->scenario;
    return std::nullopt;
}

std::optional<int> ScenarioRun::loadNumpyFile(const QString& path, const QString& member)
{
    QString error;
    const auto opened = NumpyFileScenario::open(path, member, &error);
    if (!opened) {
        printError(error);
        return InvalidScenario;
    }
    if (opened->scenario.member.empty() && opened->members.size() > 1) {
        printError(QStringLiteral("%1 holds %2 arrays; choose one with --member NAME: %3")
                       .arg(path)
                       .arg(opened->members.size())
                       .arg(NumpyFileScenario::listed(opened->members)));
        return UsageError;
    }
    m_scenario = opened->scenario;
    return std::nullopt;
}

std::optional<int> ScenarioRun::loadScenarioFile(const QString& path)
{
    QString error;
    const auto bytes = ScenarioFileReader::read(path, &error);
    if (!bytes) {
        printError(error);
        return InvalidScenario;
    }
    auto parsed = ScenarioFile::parse(*bytes, &error, nullptr, QFileInfo(path).absolutePath());
    if (!parsed) {
        printError(QStringLiteral("%1: %2").arg(path, error));
        return InvalidScenario;
    }
    m_scenario = *parsed;
    return std::nullopt;
}

std::optional<int> ScenarioRun::addImportFolders(const QStringList& folders)
{
    if (folders.isEmpty())
        return std::nullopt;
    if (!m_scenario.runsUserCode()) {
        printError(
            QStringLiteral("--path adds folders for Python code to import from; this scenario's source is "
                           "%1, which runs no code")
                .arg(QString::fromStdString(Scenario::kindName(m_scenario.kind))));
        return UsageError;
    }
    std::vector<std::string> named;
    for (const QString& folder : folders)
        named.push_back(folder.toStdString());
    if (auto problem = m_scenario.addImportFolders(named)) {
        printError(QStringLiteral("--path: %1").arg(QString::fromStdString(*problem)));
        return UsageError;
    }
    return std::nullopt;
}

std::variant<InspectionReport, int> ScenarioRun::run(const QCommandLineParser& parser)
{
    // Python starts in the worker while this process reads the scenario: start-up is the largest
    // part of a small inspection.
    startInterpreter();
    if (auto failed = resolve(parser))
        return *failed;
    return inspect(m_scenario);
}

void ScenarioRun::startInterpreter() const
{
    if (m_supervisor)
        return;
    m_supervisor = std::make_unique<InterpreterSupervisor>();
    m_supervisor->setKeepSpare(false); // a command runs its scenarios one after another
    m_supervisor->warmUp();
}

std::variant<InspectionReport, int> ScenarioRun::inspect(const Scenario& scenario) const
{
    startInterpreter();
    bool timedOut = false;
    const InspectionOutcome outcome =
        m_supervisor->inspectAndWait(scenario, m_options, m_timeoutSeconds, &timedOut);
    if (outcome.report && !timedOut)
        return *outcome.report;
    const SourceError failure =
        outcome.failure.value_or(SourceError("the inspection ended without an answer"));
    if (timedOut) {
        // Name what was slow: the user's code, or (no code in the scenario) Stridescope's own work.
        const QString what = scenario.runsUserCode() ? QStringLiteral("the code")
                                                     : QStringLiteral("building or analysing the buffer");
        const QString why = scenario.runsUserCode()
                                ? QStringLiteral("C code, or code that catches KeyboardInterrupt")
                                : QStringLiteral("Stridescope's own C++ code");
        printError(
            outcome.workerLost
                ? QStringLiteral("timed out after %1 s; %2 did not stop (%3), so its interpreter was ended")
                      .arg(m_timeoutSeconds)
                      .arg(what, why)
                : QStringLiteral("timed out after %1 s (%2 was stopped)").arg(m_timeoutSeconds).arg(what));
    } else {
        printError(QString::fromStdString(failure.what()));
    }
    if (!failure.output.empty()) {
        std::fputs("--- output of the code before it failed ---\n", stderr);
        std::fputs(failure.output.c_str(), stderr);
        if (failure.output.back() != '\n')
            std::fputc('\n', stderr);
        if (failure.outputTruncated)
            std::fputs("[output truncated]\n", stderr);
    }
    if (failure.python && !failure.python->traceback.empty() && !timedOut)
        std::fputs(failure.python->traceback.c_str(), stderr);
    return int(InvalidScenario);
}

} // namespace stridescope
