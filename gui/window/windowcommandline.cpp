#include "windowcommandline.h"

#include "mainwindow.h"
#include "screenshotcapture.h"

#include "gui/model/inspectioncontroller.h"
#include "gui/model/inspectionstate.h"
#include "gui/model/scenariodocument.h"
#include "gui/painting/picturelimits.h"
#include "gui/panels/pythonconsolepanel.h"
#include "gui/panels/requestspanel.h"
#include "gui/scenario/presetlibrary.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QGuiApplication>

#include <cstdio>
#include <memory>

namespace stridescope {

namespace {

// The window's options: the documented ones, and the hidden ones scripts/screenshots.sh uses.
struct WindowOptions
{
    QCommandLineOption preset{QStringLiteral("preset"), QStringLiteral("Open a built-in teaching scenario."),
                              QStringLiteral("NAME")};
    QCommandLineOption expr{
        QStringLiteral("expr"),
        QStringLiteral("Open Python code whose last expression (or variable buf) is the object. Code given "
                       "here is yours: it runs."),
        QStringLiteral("CODE")};
    QCommandLineOption path{
        QStringLiteral("path"),
        QStringLiteral("With --expr: a folder the code imports from, put at the front of sys.path (may be "
                       "given more than once)."),
        QStringLiteral("DIR")};
    QCommandLineOption screenshot{
        QStringLiteral("screenshot"),
        QStringLiteral("Save the window as a PNG once it shows its first report, then exit."),
        QStringLiteral("OUT.png")};
    QCommandLineOption dark{QStringLiteral("dark"), QStringLiteral("Dark theme (with --screenshot).")};
    QCommandLineOption size{QStringLiteral("size"), QStringLiteral("Window size for --screenshot."),
                            QStringLiteral("WIDTHxHEIGHT"), QStringLiteral("1400x900")};
    QCommandLineOption tab{QStringLiteral("tab"),
                           QStringLiteral("The Inspector tab to show (buffer, reproduce, requests)."),
                           QStringLiteral("NAME")};
    QCommandLineOption selectRequest{
        QStringLiteral("select-request"),
        QStringLiteral("The row of the Requests tab to choose once the report is in (PyBUF_SIMPLE, ...)."),
        QStringLiteral("NAME")};
    QCommandLineOption console{
        QStringLiteral("console"),
        QStringLiteral("A command to run in the Console once the first report is in (with --screenshot: "
                       "the picture waits for it)."),
        QStringLiteral("CODE")};

    void addTo(QCommandLineParser& parser)
    {
        for (QCommandLineOption* hidden : {&dark, &size, &tab, &selectRequest, &console})
            hidden->setFlags(QCommandLineOption::HiddenFromHelp);
        parser.addOptions({preset, expr, path, screenshot, dark, size, tab, selectRequest, console});
    }
};

} // namespace

std::optional<WindowCommandLine> WindowCommandLine::parse(const QApplication& app, int& status)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Stridescope: what PyMemoryView_GetContiguous does to a buffer."));
    parser.addPositionalArgument(QStringLiteral("scenario"), QStringLiteral("Scenario file to open."),
                                 QStringLiteral("[SCENARIO.json]"));
    WindowOptions options;
    options.addTo(parser);
    parser.process(app);

    const auto usage = [&status](const QString& line) {
        std::fprintf(stderr, "stridescope: %s\n", qPrintable(line));
        status = 2;
        return std::nullopt;
    };
    WindowCommandLine line;
    line.m_files = parser.positionalArguments();
    line.m_preset = parser.value(options.preset);
    if (parser.isSet(options.expr))
        line.m_code = parser.value(options.expr);
    line.m_importFolders = parser.values(options.path);
    line.m_screenshotPath = parser.value(options.screenshot);
    line.m_dark = parser.isSet(options.dark);
    line.m_tab = parser.value(options.tab);
    line.m_selectRequest = parser.value(options.selectRequest);
    line.m_consoleCommand = parser.value(options.console);
    if (parser.isSet(options.size)) {
        QString why;
        const auto parsed =
            PictureLimits::parseSize(parser.value(options.size), app.devicePixelRatio(), &why);
        if (!parsed)
            return usage(QStringLiteral("--size ") + why);
        line.m_screenshotSize = *parsed;
    }
    if (line.m_files.size() + qsizetype(parser.isSet(options.preset)) + qsizetype(line.m_code.has_value()) >
        1)
        return usage(QStringLiteral("give one scenario file, one --preset or one --expr"));
    if (!line.m_importFolders.isEmpty() && !line.m_code)
        return usage(QStringLiteral("--path names folders for the code of --expr to import from"));
    return line;
}

void WindowCommandLine::prepare(MainWindow& window) const
{
    // Nobody is there to close a dialog: a screenshot run, or one with no display (the offscreen or
    // minimal platform), says what went wrong on stderr, and a file that cannot be opened ends it
    // with exit code 1 instead of a modal message box that would wait forever.
    const QString platform = QGuiApplication::platformName();
    const bool noDisplay = platform == QLatin1String("offscreen") || platform == QLatin1String("minimal");
    if (takesScreenshot() || noDisplay) {
        window.setErrorReporter([](const QString& title, const QString& message) {
            std::fprintf(stderr, "stridescope: %s: %s\n", qPrintable(title), qPrintable(message));
        });
        // An .npz with several arrays opens its first; the Buffer dock lists the others.
        window.setMemberChooser([](const QString&, const QStringList& members) { return members.value(0); });
    }
    // A screenshot shows exactly what it was asked for, not what the last session left.
    if (takesScreenshot()) {
        window.setTheme(m_dark, false);
        window.resize(m_screenshotSize);
        window.setUnsavedChangesPrompt([](const QString&) { return QMessageBox::Discard; });
    } else {
        window.restoreSession();
    }
}

int WindowCommandLine::open(MainWindow& window) const
{
    if (!m_files.isEmpty() && !window.openFile(m_files.first()))
        return 1;
    if (m_code) {
        Scenario scenario;
        scenario.kind = Scenario::SourceKind::Python;
        scenario.code = m_code->toStdString();
        std::vector<std::string> folders;
        for (const QString& folder : m_importFolders)
            folders.push_back(folder.toStdString());
        if (auto problem = scenario.addImportFolders(folders)) {
            std::fprintf(stderr, "stridescope: --path: %s\n", problem->c_str());
            return 2;
        }
        // Code typed on the command line is the user's own, as with `stridescope inspect --expr`.
        window.document()->reset(scenario, ScenarioDocument::CodeTrust::Trusted);
    }
    if (!m_preset.isEmpty()) {
        const auto preset = PresetLibrary::find(m_preset);
        if (!preset) {
            std::fprintf(stderr, "stridescope: no preset named '%s'\n", qPrintable(m_preset));
            return 2;
        }
        window.document()->reset(preset->scenario, ScenarioDocument::CodeTrust::Trusted, preset->notes);
    }
    return 0;
}

int WindowCommandLine::arrange(MainWindow& window, ScreenshotCapture& capture) const
{
    if (takesScreenshot())
        QObject::connect(&capture, &ScreenshotCapture::finished, qApp,
                         [](bool ok) { QCoreApplication::exit(ok ? 0 : 1); });
    if (!m_tab.isEmpty() && !window.showInspectorTab(m_tab)) {
        std::fprintf(stderr,
                     "stridescope: --tab: no Inspector tab named '%s' (buffer, reproduce, requests)\n",
                     qPrintable(m_tab));
        return 2;
    }
    if (!m_selectRequest.isEmpty()) {
        // Chosen again with every new report: the row is there only once the matrix is.
        QObject::connect(window.inspectionState(), &InspectionState::changed, &window,
                         [&window, name = m_selectRequest] { window.requestsPanel()->selectRequest(name); });
    }
    if (!m_consoleCommand.isEmpty()) {
        // Typed into the Console once the scenario's report is in; a screenshot waits for it.
        QObject::connect(window.controller(), &InspectionController::finished, &window,
                         [&window, command = m_consoleCommand, typed = false]() mutable {
                             if (std::exchange(typed, true))
                                 return;
                             window.raiseConsole();
                             window.consolePanel()->runCommand(command);
                         });
        if (takesScreenshot())
            QObject::connect(window.consolePanel(), &PythonConsolePanel::commandFinished, &capture,
                             [&window, &capture, started = false]() mutable {
                                 if (!window.consolePanel()->isRunning() && !std::exchange(started, true))
                                     capture.start();
                             });
    }
    return 0;
}

void WindowCommandLine::start(MainWindow& window, ScreenshotCapture& capture) const
{
    window.inspectCurrent(); // code the user has not allowed is shown, not run
    if (takesScreenshot() && m_consoleCommand.isEmpty())
        capture.start();
}

} // namespace stridescope
