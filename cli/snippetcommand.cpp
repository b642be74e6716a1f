#include "snippetcommand.h"

#include "gui/scenario/snippetgenerator.h"
#include "scenariorun.h"

#include <QCommandLineParser>

#include <cstdio>

namespace stridescope {

int SnippetCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral(
            "Print a Python or C program that reproduces the scenario outside Stridescope: it builds the "
            "same buffer, calls PyMemoryView_GetContiguous and prints the outcome, strides, GET_BASE and "
            "the result's bytes. Nothing is run. Python snippets run in %1 (numpy, the standard library "
            "and _testbuffer); the C snippet's build line uses %2.")
            .arg(SnippetGenerator::pythonExecutable(), SnippetGenerator::pythonConfig()));
    parser.addHelpOption();
    ScenarioRun scenario(QStringLiteral("snippet"));
    scenario.addOptionsWithoutTimeout(parser);
    const QCommandLineOption lang(QStringLiteral("lang"), QStringLiteral("The language (default python)."),
                                  QStringLiteral("python|c"), QStringLiteral("python"));
    parser.addOption(lang);

    QStringList args = arguments;
    if (args.size() > 1)
        args.removeAt(1); // "snippet"
    if (!parser.parse(args)) {
        scenario.printError(parser.errorText() + QStringLiteral(" (see stridescope snippet --help)"));
        return ScenarioRun::UsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("Usage: ") + args.first(),
                                                        QStringLiteral("Usage: stridescope snippet"))),
                   stdout);
        std::printf("\nPresets: %s\n", qPrintable(scenario.presetList()));
        return 0;
    }
    const QString language = parser.value(lang);
    if (language != QLatin1String("python") && language != QLatin1String("c")) {
        scenario.printError(QStringLiteral("--lang takes python or c, not '%1'").arg(language));
        return ScenarioRun::UsageError;
    }
    const auto chosen = scenario.scenarioOf(parser);
    if (const int* failed = std::get_if<int>(&chosen))
        return *failed;
    const Scenario& s = std::get<Scenario>(chosen);
    const QByteArray text = (language == QLatin1String("c") ? SnippetGenerator::c(s, scenario.limits())
                                                            : SnippetGenerator::python(s, scenario.limits()))
                                .toUtf8();
    std::fwrite(text.constData(), 1, std::size_t(text.size()), stdout);
    std::fflush(stdout);
    return 0;
}

} // namespace stridescope
