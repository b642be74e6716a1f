#include "gallerycommand.h"

#include "gui/painting/imageexporter.h"
#include "gui/scenario/presetlibrary.h"
#include "gui/style/theme.h"
#include "scenariorun.h"

#include <QCommandLineParser>
#include <QDir>
#include <QSaveFile>

#include <cstdio>
#include <optional>

namespace stridescope {

namespace {

// Parses the command line; the exit code when there is no more to do (a usage error, or --help).
std::optional<int> parseArguments(QCommandLineParser& parser, const ScenarioRun& runner,
                                  const QStringList& arguments)
{
    QStringList args = arguments;
    if (args.size() > 1)
        args.removeAt(1); // "gallery"
    if (!parser.parse(args) || !parser.positionalArguments().isEmpty()) {
        runner.printError(
            (parser.errorText().isEmpty()
                 ? QStringLiteral("unexpected argument '%1'").arg(parser.positionalArguments().value(0))
                 : parser.errorText()) +
            QStringLiteral(" (see stridescope gallery --help)"));
        return ScenarioRun::UsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("Usage: ") + args.first(),
                                                        QStringLiteral("Usage: stridescope gallery"))),
                   stdout);
        return 0;
    }
    return std::nullopt;
}

// Draws one preset into DIR/NAME.png and adds its section to the index; the exit code when it fails.
std::optional<int> drawPreset(const ScenarioRun& runner, const Preset& preset, const QDir& dir,
                              const Theme& look, QString& index)
{
    const ReportPicture::Views views(ReportPicture::Logical | ReportPicture::Memory | ReportPicture::Result);
    auto outcome = runner.inspect(preset.scenario);
    if (const int* failed = std::get_if<int>(&outcome)) {
        runner.printError(QStringLiteral("preset %1 could not be inspected").arg(preset.name));
        return *failed;
    }
    const InspectionReport& report = std::get<InspectionReport>(outcome);
    const QString file = preset.name + QStringLiteral(".png");
    QString error;
    if (!ImageExporter::write(dir.filePath(file), report, views, look, &error, {}, 1.0)) {
        runner.printError(error);
        return ScenarioRun::InvalidScenario;
    }
    index +=
        QStringLiteral("\n## %1\n\n`%2`: **%3**\n\n![%1](%4)\n\n%5\n")
            .arg(preset.notes.title, QString::fromStdString(report.request().callText()),
                 QString::fromStdString(ConversionPrediction::outcomeName(report.result.outcome)).toUpper(),
                 file, preset.notes.explanation);
    return std::nullopt;
}

int writeIndex(const ScenarioRun& runner, const QDir& dir, const QString& index)
{
    QSaveFile markdown(dir.filePath(QStringLiteral("index.md")));
    if (!markdown.open(QIODevice::WriteOnly) || markdown.write(index.toUtf8()) < 0 || !markdown.commit()) {
        runner.printError(
            QStringLiteral("cannot write %1: %2").arg(markdown.fileName(), markdown.errorString()));
        return ScenarioRun::InvalidScenario;
    }
    return 0;
}

} // namespace

int GalleryCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Draw every teaching preset into DIR/NAME.png and write DIR/index.md with each picture and "
        "its explanation."));
    parser.addHelpOption();
    ScenarioRun runner(QStringLiteral("gallery"));
    runner.addLimitOptions(parser);
    const QCommandLineOption out(QStringLiteral("out"),
                                 QStringLiteral("The folder to write (created if needed)."),
                                 QStringLiteral("DIR"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("light or dark (default light)."),
                                   QStringLiteral("light|dark"), QStringLiteral("light"));
    parser.addOptions({out, theme});
    if (const std::optional<int> done = parseArguments(parser, runner, arguments))
        return *done;
    if (!parser.isSet(out)) {
        runner.printError(QStringLiteral("--out DIR is required"));
        return ScenarioRun::UsageError;
    }
    const QString themeName = parser.value(theme);
    if (themeName != QLatin1String("light") && themeName != QLatin1String("dark")) {
        runner.printError(QStringLiteral("--theme takes light or dark, not '%1'").arg(themeName));
        return ScenarioRun::UsageError;
    }
    if (auto failed = runner.resolveLimits(parser))
        return *failed;
    const QDir dir(parser.value(out));
    if (!dir.mkpath(QStringLiteral("."))) {
        runner.printError(QStringLiteral("cannot create the folder %1").arg(dir.path()));
        return ScenarioRun::InvalidScenario;
    }

    const Theme look = themeName == QLatin1String("dark") ? Theme::dark() : Theme::light();
    QString index =
        QStringLiteral("# Stridescope gallery\n\nWhat `PyMemoryView_GetContiguous` does to each teaching "
                       "scenario, drawn by `stridescope gallery`.\n");
    for (const Preset& preset : PresetLibrary::all())
        if (const std::optional<int> failed = drawPreset(runner, preset, dir, look, index))
            return *failed;
    return writeIndex(runner, dir, index);
}

} // namespace stridescope
