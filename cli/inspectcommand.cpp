#include "inspectcommand.h"

#include "reportjson.h"
#include "scenariorun.h"
#include "textreport.h"

#include <QCommandLineParser>
#include <QJsonDocument>

#include <cstdio>

namespace stridescope {

int InspectCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Build a buffer, call PyMemoryView_GetContiguous on it in the embedded CPython and report "
        "what happened, next to what Stridescope predicted."));
    parser.addHelpOption();
    ScenarioRun scenario(QStringLiteral("inspect"));
    scenario.withoutPictures(); // a text or JSON report draws no bytes: none are copied for it
    scenario.addOptions(parser);
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the report as JSON."));
    parser.addOption(json);

    QStringList args = arguments;
    if (args.size() > 1)
        args.removeAt(1); // "inspect"
    if (!parser.parse(args)) {
        scenario.printError(parser.errorText() + QStringLiteral(" (see stridescope inspect --help)"));
        return UsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("Usage: ") + args.first(),
                                                        QStringLiteral("Usage: stridescope inspect"))),
                   stdout);
        std::printf("\nPresets: %s\n", qPrintable(scenario.presetList()));
        return CallMade;
    }
    auto outcome = scenario.run(parser);
    if (const int* failed = std::get_if<int>(&outcome))
        return *failed;
    const InspectionReport& report = std::get<InspectionReport>(outcome);

    const QByteArray text = parser.isSet(json)
                                ? QJsonDocument(ReportJson::toObject(report)).toJson(QJsonDocument::Indented)
                                : TextReport::render(report).toUtf8();
    std::fwrite(text.constData(), 1, std::size_t(text.size()), stdout);
    std::fflush(stdout);
    return CallMade;
}

} // namespace stridescope
