// stridescope-gui: the window and the pictures drawn without one (render, gallery). Started by
// stridescope (gui/main.cpp), which becomes this program for them; not meant to be run by hand.
#include "cli/gallerycommand.h"
#include "cli/rendercommand.h"
#include "gui/model/inspectioncontroller.h"
#include "gui/window/launchclock.h"
#include "gui/window/mainwindow.h"
#include "gui/window/screenshotcapture.h"
#include "gui/window/windowcommandline.h"

#include <QApplication>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QIcon>
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

    int status = 0;
    const auto commandLine = WindowCommandLine::parse(app, status);
    if (!commandLine)
        return status;
    MainWindow window;
    // The interpreter's worker process starts (Python and numpy) while the window is shown.
    window.controller()->warmUp();
    stamp("window built");
    commandLine->prepare(window);
    if ((status = commandLine->open(window)) != 0)
        return status;
    QObject::connect(&window, &MainWindow::firstPainted, &window, [stamp] { stamp("first paint"); });
    ScreenshotCapture screenshotCapture(&window, commandLine->screenshotPath());
    if ((status = commandLine->arrange(window, screenshotCapture)) != 0)
        return status;
    // Once the session and the file are in: the work of a run that did not exit cleanly is offered on
    // top of them. A screenshot shows the offer but autosaves nothing.
    window.startAutosave(!commandLine->takesScreenshot());
    window.show();
    stamp("window shown");
    commandLine->start(window, screenshotCapture);
    return app.exec();
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
