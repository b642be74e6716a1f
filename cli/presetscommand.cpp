#include "presetscommand.h"

#include "gui/scenario/presetlibrary.h"

#include <QCommandLineParser>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>

namespace stridescope {

int PresetsCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("List the built-in teaching scenarios."));
    parser.addHelpOption();
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Print the list as JSON."));
    parser.addOption(json);
    QStringList args = arguments;
    if (args.size() > 1)
        args.removeAt(1); // "presets"
    if (!parser.parse(args) || !parser.positionalArguments().isEmpty()) {
        const QString error =
            parser.errorText().isEmpty()
                ? QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().value(0))
                : parser.errorText();
        std::fprintf(stderr, "stridescope presets: %s (see stridescope presets --help)\n", qPrintable(error));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("Usage: ") + args.first(),
                                                        QStringLiteral("Usage: stridescope presets"))),
                   stdout);
        return 0;
    }
    if (parser.isSet(json)) {
        QJsonArray list;
        for (const Preset& p : PresetLibrary::all()) {
            QJsonObject o;
            o["name"] = p.name;
            o["title"] = p.notes.title;
            o["summary"] = p.notes.summary;
            list.append(o);
        }
        std::fputs(QJsonDocument(list).toJson(QJsonDocument::Indented).constData(), stdout);
        return 0;
    }
    int width = 0;
    for (const Preset& p : PresetLibrary::all())
        width = std::max(width, int(p.name.size()));
    for (const Preset& p : PresetLibrary::all())
        std::printf("%-*s  %s\n", width, qPrintable(p.name), qPrintable(p.notes.summary));
    return 0;
}

} // namespace stridescope
