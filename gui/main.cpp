#include "gui/cli/inspectcommand.h"

#include <QCoreApplication>

#include <cstdio>

using namespace stridescope;

namespace {

void printUsage(FILE* to)
{
    std::fputs("Usage: stridescope inspect [SCENARIO.json] [--expr CODE] [--preset NAME] [--request read|write]\n"
               "                           [--order C|F|A] [--json] [--timeout SECONDS] [--max-memory BYTES]\n"
               "\n"
               "Shows what PyMemoryView_GetContiguous does to a buffer, next to what Stridescope predicted.\n"
               "Commands:\n"
               "  inspect   build a buffer, make the real call, print the report (see stridescope inspect --help)\n",
               to);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("stridescope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(STRIDESCOPE_VERSION));
    const QStringList args = QCoreApplication::arguments();
    const QString command = args.value(1);
    if (command == QLatin1String("inspect"))
        return InspectCommand::run(args);
    if (command == QLatin1String("--version") || command == QLatin1String("-v")) {
        std::printf("stridescope %s\n", STRIDESCOPE_VERSION);
        return 0;
    }
    if (command == QLatin1String("--help") || command == QLatin1String("-h") || command == QLatin1String("help")) {
        printUsage(stdout);
        return 0;
    }
    if (command.isEmpty())
        std::fputs("stridescope: the window is not built yet; use a command.\n", stderr);
    else
        std::fprintf(stderr, "stridescope: unknown command '%s'\n", qPrintable(command));
    printUsage(stderr);
    return 2;
}
