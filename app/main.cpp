// stridescope: the command line, and the way into the window. Text commands (inspect, presets,
// snippet, help) run here with Qt Core alone; the window and the pictures (render, gallery) are
// stridescope-gui, which this program becomes (exec) for them. Qt's GUI libraries take 7 ms to
// load, more than Python's own start: a text command does not pay for them.
#include "cli/inspectcommand.h"
#include "cli/presetscommand.h"
#include "cli/requestscommand.h"
#include "cli/snippetcommand.h"
#include "gui/scenario/scenariofile.h"
#include "gui/supervisor/siblingprogram.h"
#include "gui/window/launchclock.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QString>
#include <QStringList>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <unistd.h>

using namespace stridescope;

namespace {

void printUsage(FILE* to)
{
    std::fputs(
        "Usage: stridescope [SCENARIO.stridescope|SCENARIO.json]\n"
        "       stridescope inspect [SCENARIO.json] [--expr CODE] [--preset NAME] [--request read|write]\n"
        "                           [--order C|F|A] [--json] [--timeout SECONDS] [--max-memory BYTES]\n"
        "\n"
        "Shows what PyMemoryView_GetContiguous does to a buffer, next to what Stridescope predicted.\n"
        "With no command, opens the window (on SCENARIO.json when given).\n"
        "Commands:\n"
        "  inspect   build a buffer, make the real call, print the report (see stridescope inspect --help)\n"
        "  presets   list the built-in teaching scenarios (--json for JSON)\n"
        "  requests  every PyBUF_* request's answer from an exporter, checked against the buffer protocol's "
        "rules\n            (see stridescope requests --help)\n"
        "  render    draw an inspection into a PNG, SVG or PDF without a display (see stridescope render "
        "--help)\n"
        "  gallery   one PNG per preset plus an index.md (see stridescope gallery --help)\n"
        "  snippet   print Python or C code that reproduces a scenario (see stridescope snippet --help)\n"
        "  help      this text, or `stridescope help COMMAND` for one command\n"
        "Window options:\n"
        "  --preset NAME          open a built-in teaching scenario\n"
        "  --screenshot OUT.png   draw the first inspection, save the window as a PNG and exit\n",
        to);
}

// The command line runs without a display: it must never create a QApplication.
int runCommand(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("stridescope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STRIDESCOPE_VERSION));
    const QStringList args = QCoreApplication::arguments();
    const QString command = args.value(1);
    if (command == QLatin1String("help") && args.size() > 2) {
        // `stridescope help COMMAND` is `stridescope COMMAND --help`.
        const QString sub = args.at(2);
        const QStringList forwarded{args.first(), sub, QStringLiteral("--help")};
        if (sub == QLatin1String("inspect"))
            return InspectCommand::run(forwarded);
        if (sub == QLatin1String("presets"))
            return PresetsCommand::run(forwarded);
        if (sub == QLatin1String("requests"))
            return RequestsCommand::run(forwarded);
        if (sub == QLatin1String("snippet"))
            return SnippetCommand::run(forwarded);
        std::fprintf(
            stderr,
            "stridescope: no command '%s' (commands: inspect, presets, requests, render, gallery, snippet)\n",
            qPrintable(sub));
        return 2;
    }
    if (command == QLatin1String("inspect"))
        return InspectCommand::run(args);
    if (command == QLatin1String("presets"))
        return PresetsCommand::run(args);
    if (command == QLatin1String("requests"))
        return RequestsCommand::run(args);
    if (command == QLatin1String("snippet"))
        return SnippetCommand::run(args);
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        std::printf("stridescope %s\n", STRIDESCOPE_VERSION);
        return 0;
    }
    printUsage(stdout);
    return 0;
}

// The window, render and gallery: this process becomes stridescope-gui with the same arguments
// (the same process: its id, its parent, its terminal; the launch clock carries over).
int becomeDrawingProgram(char** argv)
{
    const QByteArray program = QFile::encodeName(SiblingProgram::find(QStringLiteral("stridescope-gui")));
    if (program.isEmpty()) {
        std::fputs("stridescope: stridescope-gui, which draws the window and the pictures, is not installed "
                   "next to stridescope or in ../libexec/stridescope\n",
                   stderr);
        return 1;
    }
    LaunchClock::handOver();
    ::execv(program.constData(), argv);
    std::fprintf(stderr, "stridescope: cannot start %s: %s\n", program.constData(), std::strerror(errno));
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    LaunchClock::start();
    const char* command = argc > 1 ? argv[1] : "";
    // Everything that prints and exits needs no display (and must not ask for one).
    for (const char* textOnly :
         {"inspect", "presets", "requests", "snippet", "--help", "-h", "--version", "-v"})
        if (std::strcmp(command, textOnly) == 0)
            return runCommand(argc, argv);
    // `help render` and `help gallery` are the drawing program's; any other `help` is ours.
    if (std::strcmp(command, "help") == 0) {
        const char* sub = argc > 2 ? argv[2] : "";
        if (std::strcmp(sub, "render") != 0 && std::strcmp(sub, "gallery") != 0)
            return runCommand(argc, argv);
        char help[] = "--help";
        char* forwarded[] = {argv[0], argv[2], help, nullptr};
        return becomeDrawingProgram(forwarded);
    }
    if (command[0] != '\0' && command[0] != '-' && std::strcmp(command, "render") != 0 &&
        std::strcmp(command, "gallery") != 0 && !ScenarioFile::isFileName(QString::fromLocal8Bit(command)) &&
        !QFileInfo::exists(QString::fromLocal8Bit(command))) {
        std::fprintf(stderr, "stridescope: unknown command '%s'\n", command);
        printUsage(stderr);
        return 2;
    }
    return becomeDrawingProgram(argv);
}
