#pragma once

#include "pyhost/inspectionreport.h"
#include "pyhost/inspector.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>

#include <memory>
#include <optional>
#include <variant>

namespace stridescope {

class InterpreterSupervisor;

// What `inspect` and `render` share: the options that choose a scenario (file, --expr, --path,
// --preset, --request, --order) and bound it (--timeout, --max-memory), and running the inspection on the
// interpreter's worker process (gui/supervisor). Exit codes: 1 the scenario is invalid or its source could
// not be built, 2 usage errors.
class ScenarioRun
{
public:
    enum ExitCode
    {
        InvalidScenario = 1,
        UsageError = 2
    };
    // --timeout at most (11.6 days): a longer wait would overflow the clock's nanoseconds.
    static constexpr double maximumTimeoutSeconds = 1e6;

    explicit ScenarioRun(QString command);
    ~ScenarioRun();

    void addOptions(QCommandLineParser& parser) const;
    // After parser.parse(): builds the scenario the options name and inspects it within --timeout.
    // Returns the report, or the exit code (the error is printed).
    std::variant<InspectionReport, int> run(const QCommandLineParser& parser);
    // Inspects a given scenario with the limits of --timeout and --max-memory (after parsing).
    std::variant<InspectionReport, int> inspect(const Scenario& scenario) const;
    // Reads --timeout and --max-memory alone (for commands that pick their own scenarios).
    std::optional<int> resolveLimits(const QCommandLineParser& parser);
    // Adds --timeout and --max-memory alone.
    void addLimitOptions(QCommandLineParser& parser) const;
    // For commands that build nothing (snippet): the scenario options and --max-memory, no --timeout.
    void addOptionsWithoutTimeout(QCommandLineParser& parser);
    // After parser.parse(): the scenario the options name, without inspecting it; or the exit code
    // (the error is printed).
    std::variant<Scenario, int> scenarioOf(const QCommandLineParser& parser);
    const SourceLimits& limits() const { return m_options.limits; }

    // The command draws nothing: the report carries no byte snapshots (the probe copies none).
    void withoutPictures() { m_options.probe.snapshotLimit = 0; }
    // The command prints the request matrix: the probe asks for every standard request and checks them,
    // and makes no PyMemoryView_GetContiguous call (so no refused copy can cost it the matrix).
    void withRequestMatrixOnly()
    {
        m_options.probe.requestMatrix = true;
        m_options.probe.conversionCall = false;
    }
    // The command draws pictures that write at most this many values: the probe copies no bytes of a
    // block or copy larger than that (ProbeOptions::drawableBytes).
    void withPicturesWritingAtMost(ByteCount values) { m_options.probe.drawableBytes = values; }

    void printError(const QString& message) const;
    QString presetList() const;

private:
    // --request and --order: what the scenario's own request is replaced with.
    struct RequestChoice
    {
        std::optional<ConversionRequest::BufferType> bufferType;
        std::optional<char> order;
    };

    // The scenario and limits, or the exit code (the error is printed).
    std::optional<int> resolve(const QCommandLineParser& parser);
    // resolve's steps, each returning the exit code when it fails (the error is printed): at most one
    // source is named; --request and --order are usable; the scenario is read from the file, the
    // code, or the preset.
    std::optional<int> checkSourceChoice(const QCommandLineParser& parser, bool numpyFile) const;
    std::optional<int> readRequestChoice(const QCommandLineParser& parser, RequestChoice& choice) const;
    std::optional<int> loadScenario(const QCommandLineParser& parser, bool numpyFile);
    std::optional<int> loadNumpyFile(const QString& path, const QString& member);
    std::optional<int> loadScenarioFile(const QString& path);
    // Appends the --path folders (made absolute) to the scenario's import folders; the exit code when
    // they cannot be used (the error is printed).
    std::optional<int> addImportFolders(const QStringList& folders);
    // Starts the interpreter's worker process (once), without waiting for it.
    void startInterpreter() const;

    QString m_command;
    QCommandLineOption m_expr;
    QCommandLineOption m_path;
    QCommandLineOption m_preset;
    QCommandLineOption m_request;
    QCommandLineOption m_order;
    QCommandLineOption m_member;
    QCommandLineOption m_timeout;
    QCommandLineOption m_maxMemory;
    Scenario m_scenario;
    Inspector::Options m_options;
    double m_timeoutSeconds = 30;
    bool m_withTimeout = true;
    // The interpreter runs in a worker process, started on first use and kept for later scenarios.
    mutable std::unique_ptr<InterpreterSupervisor> m_supervisor;
};

} // namespace stridescope
