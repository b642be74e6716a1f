// stridescope-gui: the window and the pictures drawn without one (render, gallery). Started by
// stridescope (gui/main.cpp), which becomes this program for them; not meant to be run by hand.
#include "gui/cli/gallerycommand.h"
#include "gui/cli/rendercommand.h"
#include "gui/model/inspectioncontroller.h"
#include "gui/model/inspectionstate.h"
#include "gui/panels/pythonconsolepanel.h"
#include "gui/panels/requestspanel.h"
#include "gui/model/scenariodocument.h"
#include "gui/painting/picturelimits.h"
#include "gui/scenario/presetlibrary.h"
#include "gui/window/launchclock.h"
#include "gui/window/mainwindow.h"
#include "gui/window/screenshotcapture.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QIcon>
#include <QMessageBox>
#include <QStyleFactory>
#include <QTemporaryDir>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include <sys/stat.h>
#include <unistd.h>

using namespace stridescope;

namespace {

// A directory we may use as XDG_RUNTIME_DIR: itself a directory (not a symlink to one), ours, and
// closed to everyone else (mode 0700), as the XDG base directory specification asks.
bool isPrivateDirectory(const QByteArray& path)
{
    struct stat st;
    return ::lstat(path.constData(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::getuid() &&
           (st.st_mode & 07777) == 0700;
}

// Headless machines often have no XDG_RUNTIME_DIR; Qt then warns on stderr, which must carry only
// our one-line errors. Gives it a private directory as Qt's own fallback would; false when none
// can be made (said on stderr).
bool provideRuntimeDirectory(const char* command, // nullptr: the window
                             std::unique_ptr<QTemporaryDir>& freshRuntime)
{
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        const QByteArray dir =
            QFile::encodeName(QDir::tempPath()) + "/stridescope-runtime-" + QByteArray::number(getuid());
        if (::mkdir(dir.constData(), 0700) == 0 || (errno == EEXIST && isPrivateDirectory(dir))) {
            qputenv("XDG_RUNTIME_DIR", dir);
        } else {
            // Someone else's, a symlink, or open to others: not ours to use. A fresh private one
            // (mode 0700), removed on exit.
            freshRuntime = std::make_unique<QTemporaryDir>(QDir::tempPath() +
                                                           QStringLiteral("/stridescope-runtime-XXXXXX"));
            if (!freshRuntime->isValid()) {
                std::fprintf(stderr, "stridescope%s%s: cannot make a private runtime directory in %s: %s\n",
                             command ? " " : "", command ? command : "", qPrintable(QDir::tempPath()),
                             qPrintable(freshRuntime->errorString()));
                return false;
            }
            qputenv("XDG_RUNTIME_DIR", QFile::encodeName(freshRuntime->path()));
        }
    }
    return true;
}

// Pictures without a window (render, gallery): a QGuiApplication, offscreen when there is no display.
int runRender(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QTemporaryDir> freshRuntime;
    if (!provideRuntimeDirectory(argv[1], freshRuntime))
        return 1;
    QGuiApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("stridescope"));
    QGuiApplication::setApplicationVersion(QStringLiteral(STRIDESCOPE_VERSION));
    const QStringList arguments = QGuiApplication::arguments();
    return arguments.value(1) == QLatin1String("gallery") ? GalleryCommand::run(arguments)
                                                           : RenderCommand::run(arguments);
}

int runWindow(int argc, char** argv)
{
    // --screenshot works without a display: fall back to the offscreen platform.
    bool screenshot = false;
    for (int i = 1; i < argc; ++i)
        screenshot = screenshot || std::strcmp(argv[i], "--screenshot") == 0;
    if (screenshot && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") &&
        qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    std::unique_ptr<QTemporaryDir> freshRuntime;
    if (!provideRuntimeDirectory(nullptr, freshRuntime))
        return 1;

    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Stridescope"));
    QApplication::setApplicationName(QStringLiteral("stridescope"));
    QApplication::setApplicationVersion(QStringLiteral(STRIDESCOPE_VERSION));
    QApplication::setApplicationDisplayName(QStringLiteral("Stridescope"));
    QApplication::setDesktopFileName(QStringLiteral("stridescope"));
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/stridescope.svg")));

    // Start-up timing on stderr: the first paint with --screenshot, every step with STRIDESCOPE_TIMING.
    const bool timing = qEnvironmentVariableIsSet("STRIDESCOPE_TIMING");
    const auto stamp = [timing, screenshot](const char* what) {
        if (timing || (screenshot && std::strcmp(what, "first paint") == 0))
            std::fprintf(stderr, "stridescope: %s after %lld ms\n", what,
                         static_cast<long long>(LaunchClock::elapsedMs()));
    };
    stamp("application");

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Stridescope: what PyMemoryView_GetContiguous does to a buffer."));
    parser.addPositionalArgument(QStringLiteral("scenario"), QStringLiteral("Scenario file to open."),
                                 QStringLiteral("[SCENARIO.json]"));
    const QCommandLineOption presetOption(QStringLiteral("preset"),
                                          QStringLiteral("Open a built-in teaching scenario."),
                                          QStringLiteral("NAME"));
    const QCommandLineOption exprOption(
        QStringLiteral("expr"),
        QStringLiteral("Open Python code whose last expression (or variable buf) is the object. Code given "
                       "here is yours: it runs."),
        QStringLiteral("CODE"));
    const QCommandLineOption pathOption(
        QStringLiteral("path"),
        QStringLiteral("With --expr: a folder the code imports from, put at the front of sys.path (may be "
                       "given more than once)."),
        QStringLiteral("DIR"));
    QCommandLineOption screenshotOption(
        QStringLiteral("screenshot"),
        QStringLiteral("Save the window as a PNG once it shows its first report, then exit."),
        QStringLiteral("OUT.png"));
    QCommandLineOption darkOption(QStringLiteral("dark"), QStringLiteral("Dark theme (with --screenshot)."));
    QCommandLineOption tabOption(QStringLiteral("tab"),
                                 QStringLiteral("The Inspector tab to show (buffer, reproduce, requests)."),
                                 QStringLiteral("NAME"));
    QCommandLineOption selectRequestOption(
        QStringLiteral("select-request"),
        QStringLiteral("The row of the Requests tab to choose once the report is in (PyBUF_SIMPLE, ...)."),
        QStringLiteral("NAME"));
    QCommandLineOption consoleOption(
        QStringLiteral("console"),
        QStringLiteral("A command to run in the Console once the first report is in (with --screenshot: "
                       "the picture waits for it)."),
        QStringLiteral("CODE"));
    QCommandLineOption sizeOption(QStringLiteral("size"), QStringLiteral("Window size for --screenshot."),
                                  QStringLiteral("WIDTHxHEIGHT"), QStringLiteral("1400x900"));
    for (QCommandLineOption* hidden : {&darkOption, &sizeOption, &tabOption, &selectRequestOption, &consoleOption})
        hidden->setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOptions({presetOption, exprOption, pathOption, screenshotOption, darkOption, sizeOption, tabOption,
                       selectRequestOption, consoleOption});
    parser.process(app);
    QSize screenshotSize(1400, 900);
    if (parser.isSet(sizeOption)) {
        QString why;
        const auto parsed = PictureLimits::parseSize(parser.value(sizeOption), app.devicePixelRatio(), &why);
        if (!parsed) {
            std::fprintf(stderr, "stridescope: --size %s\n", qPrintable(why));
            return 2;
        }
        screenshotSize = *parsed;
    }

    int status = 0;
    {
        MainWindow window;
        // The interpreter's worker process starts (Python and numpy) while the window is shown.
        window.controller()->warmUp();
        stamp("window built");
        const QStringList positional = parser.positionalArguments();
        const bool capture = parser.isSet(screenshotOption);
        // Nobody is there to close a dialog: a screenshot run, or one with no display (the offscreen
        // or minimal platform), says what went wrong on stderr, and a file that cannot be opened
        // ends it with exit code 1 instead of a modal message box that would wait forever.
        const QString platform = QGuiApplication::platformName();
        const bool noDisplay = platform == QLatin1String("offscreen") || platform == QLatin1String("minimal");
        if (capture || noDisplay) {
            window.setErrorReporter([](const QString& title, const QString& message) {
                std::fprintf(stderr, "stridescope: %s: %s\n", qPrintable(title), qPrintable(message));
            });
            // An .npz with several arrays opens its first; the Buffer dock lists the others.
            window.setMemberChooser([](const QString&, const QStringList& members) { return members.value(0); });
        }
        const int sources =
            int(positional.size()) + int(parser.isSet(presetOption)) + int(parser.isSet(exprOption));
        if (sources > 1) {
            std::fputs("stridescope: give one scenario file, one --preset or one --expr\n", stderr);
            status = 2;
        } else if (parser.isSet(pathOption) && !parser.isSet(exprOption)) {
            std::fputs("stridescope: --path names folders for the code of --expr to import from\n", stderr);
            status = 2;
        } else {
            // A screenshot shows exactly what it was asked for, not what the last session left.
            if (!capture)
                window.restoreSession();
            else
                window.setTheme(parser.isSet(darkOption), false);
            if (!positional.isEmpty() && !window.openFile(positional.first()))
                status = 1;
            if (parser.isSet(exprOption)) {
                Scenario scenario;
                scenario.kind = Scenario::SourceKind::Python;
                scenario.code = parser.value(exprOption).toStdString();
                std::vector<std::string> folders;
                for (const QString& folder : parser.values(pathOption))
                    folders.push_back(folder.toStdString());
                if (auto problem = scenario.addImportFolders(folders)) {
                    std::fprintf(stderr, "stridescope: --path: %s\n", problem->c_str());
                    status = 2;
                } else {
                    // Code typed on the command line is the user's own, as with `stridescope inspect --expr`.
                    window.document()->reset(scenario, ScenarioDocument::CodeTrust::Trusted);
                }
            }
            if (parser.isSet(presetOption)) {
                const auto preset = PresetLibrary::find(parser.value(presetOption));
                if (!preset) {
                    std::fprintf(stderr, "stridescope: no preset named '%s'\n",
                                 qPrintable(parser.value(presetOption)));
                    status = 2;
                } else {
                    window.document()->reset(preset->scenario, ScenarioDocument::CodeTrust::Trusted,
                                             preset->notes);
                }
            }
        }
        if (status == 0) {
            QObject::connect(&window, &MainWindow::firstPainted, &window, [stamp] { stamp("first paint"); });
            ScreenshotCapture screenshotCapture(&window, parser.value(screenshotOption));
            if (capture) {
                window.resize(screenshotSize);
                window.setUnsavedChangesPrompt([](const QString&) { return QMessageBox::Discard; });
                QObject::connect(&screenshotCapture, &ScreenshotCapture::finished, &app,
                                 [](bool ok) { QCoreApplication::exit(ok ? 0 : 1); });
            }
            // Once the session and the file are in: the work of a run that did not exit cleanly is
            // offered on top of them. A screenshot shows the offer but autosaves nothing.
            if (parser.isSet(tabOption) && !window.showInspectorTab(parser.value(tabOption))) {
                std::fprintf(stderr, "stridescope: --tab: no Inspector tab named '%s' (buffer, reproduce, requests)\n",
                             qPrintable(parser.value(tabOption)));
                return 2;
            }
            if (parser.isSet(selectRequestOption)) {
                // Chosen again with every new report: the row is there only once the matrix is.
                const QString name = parser.value(selectRequestOption);
                QObject::connect(window.inspectionState(), &InspectionState::changed, &window,
                                 [&window, name] { window.requestsPanel()->selectRequest(name); });
            }
            window.startAutosave(!capture);
            window.show();
            stamp("window shown");
            window.inspectCurrent(); // code the user has not allowed is shown, not run
            if (parser.isSet(consoleOption)) {
                // Typed into the Console once the scenario's report is in; a screenshot waits for it.
                const QString command = parser.value(consoleOption);
                auto typed = std::make_shared<bool>(false);
                QObject::connect(window.controller(), &InspectionController::finished, &window, [&window, command, typed] {
                    if (std::exchange(*typed, true))
                        return;
                    window.raiseConsole();
                    window.consolePanel()->runCommand(command);
                });
                if (capture)
                    QObject::connect(window.consolePanel(), &PythonConsolePanel::commandFinished, &screenshotCapture,
                                     [&window, &screenshotCapture, started = false]() mutable {
                                         if (!window.consolePanel()->isRunning() && !std::exchange(started, true))
                                             screenshotCapture.start();
                                     });
            } else if (capture) {
                screenshotCapture.start();
            }
            status = app.exec();
        }
    }
    return status;
}

} // namespace

int main(int argc, char** argv)
{
    LaunchClock::start();
    const char* command = argc > 1 ? argv[1] : "";
    if (std::strcmp(command, "render") == 0 || std::strcmp(command, "gallery") == 0)
        return runRender(argc, argv);
    return runWindow(argc, argv);
}
