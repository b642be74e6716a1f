#include "rendercommand.h"

#include "gui/painting/imageexporter.h"
#include "gui/painting/picturelimits.h"
#include "gui/painting/stepsexporter.h"
#include "gui/painting/tikzpicture.h"
#include "gui/style/theme.h"
#include "scenariorun.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QSaveFile>

#include <cstdio>
#include <optional>
#include <variant>

namespace stridescope {

namespace {

int writeTex(const ScenarioRun& scenario, const QString& path, const InspectionReport& report,
             ReportPicture::Views views, const Theme& theme)
{
    QStringList notes;
    const QByteArray text = TikzPicture::document(report, views, theme, &notes).toUtf8();
    for (const QString& note : notes)
        scenario.printError(QStringLiteral("note: ") + note);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size() || !file.commit()) {
        scenario.printError(QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        return ScenarioRun::InvalidScenario;
    }
    return 0;
}

// What `render` was asked to write, read from its options and checked.
struct RenderRequest
{
    QString path;
    bool tex = false;      // a standalone TikZ figure
    bool steps = false;    // the copy step by step
    bool animated = false; // ... as one animated SVG
    double framesPerSecond = 2;
    double pixelScale = 1;
    double deviceScale = 1; // pixels per logical pixel: a PNG's scale; SVG and PDF are drawn at 1
    QSize size;             // empty: what the views need
    Theme look = Theme::light();
    ReportPicture::Views views;
};

QString suffixOf(const RenderRequest& request)
{
    return QFileInfo(request.path).suffix().toLower();
}

// --out: the file and what kind of picture its name asks for.
bool readOut(const QCommandLineParser& parser, const ScenarioRun& scenario, RenderRequest& request)
{
    if (!parser.isSet(QStringLiteral("out"))) {
        scenario.printError(QStringLiteral("--out FILE.png|FILE.svg|FILE.pdf|FILE.tex is required"));
        return false;
    }
    request.path = parser.value(QStringLiteral("out"));
    const QString suffix = suffixOf(request);
    request.tex = suffix == QLatin1String("tex");
    if (suffix != QLatin1String("png") && suffix != QLatin1String("svg") && suffix != QLatin1String("pdf") &&
        !request.tex) {
        scenario.printError(
            QStringLiteral("--out must end in .png, .svg, .pdf or .tex, not '%1'").arg(request.path));
        return false;
    }
    return true;
}

// --steps and --speed: the copy step by step, as pages of a PDF or frames of an animated SVG.
bool readSteps(const QCommandLineParser& parser, const ScenarioRun& scenario, RenderRequest& request)
{
    const QString suffix = suffixOf(request);
    request.steps = parser.isSet(QStringLiteral("steps"));
    request.animated = request.steps && suffix == QLatin1String("svg");
    if (parser.isSet(QStringLiteral("steps")) && suffix != QLatin1String("pdf") && !request.animated) {
        scenario.printError(
            QStringLiteral(
                "--steps writes a PDF of pages or an animated SVG: --out must end in .pdf or .svg, not '%1'")
                .arg(request.path));
        return false;
    }
    if (parser.isSet(QStringLiteral("speed")) && !request.animated) {
        scenario.printError(
            QStringLiteral("--speed is for an animated SVG: it needs --steps and an --out ending in .svg"));
        return false;
    }
    bool speedOk = false;
    request.framesPerSecond = parser.value(QStringLiteral("speed")).toDouble(&speedOk);
    const double framesPerSecond = request.framesPerSecond;
    if (!speedOk || !(framesPerSecond >= 0.1 && framesPerSecond <= 100)) { // NaN fails both comparisons
        scenario.printError(QStringLiteral("--speed takes a number from 0.1 to 100, not '%1'")
                                .arg(parser.value(QStringLiteral("speed"))));
        return false;
    }
    return true;
}

// --scale and --size: the picture's pixels (not a .tex figure's).
bool readPixels(const QCommandLineParser& parser, const ScenarioRun& scenario, RenderRequest& request)
{
    if (request.tex && (parser.isSet(QStringLiteral("size")) || parser.isSet(QStringLiteral("scale")))) {
        scenario.printError(
            QStringLiteral("--size and --scale are for pictures in pixels, not a .tex figure"));
        return false;
    }
    bool ok = false;
    request.pixelScale = parser.value(QStringLiteral("scale")).toDouble(&ok);
    const double pixelScale = request.pixelScale;
    if (!ok || !(pixelScale >= 0.25 && pixelScale <= 8)) { // NaN fails both comparisons
        scenario.printError(QStringLiteral("--scale takes a number from 0.25 to 8, not '%1'")
                                .arg(parser.value(QStringLiteral("scale"))));
        return false;
    }
    // Only a PNG has device pixels; SVG and PDF are drawn at scale 1.
    request.deviceScale = suffixOf(request) == QLatin1String("png") ? pixelScale : 1.0;
    if (parser.isSet(QStringLiteral("size"))) {
        QString why;
        const auto parsed =
            PictureLimits::parseSize(parser.value(QStringLiteral("size")), request.deviceScale, &why);
        if (!parsed) {
            scenario.printError(QStringLiteral("--size ") + why);
            return false;
        }
        request.size = *parsed;
    }
    return true;
}

// --theme and --views: how the picture looks and which views it draws.
bool readLook(const QCommandLineParser& parser, const ScenarioRun& scenario, RenderRequest& request)
{
    const QString themeName = parser.value(QStringLiteral("theme"));
    if (themeName != QLatin1String("light") && themeName != QLatin1String("dark")) {
        scenario.printError(QStringLiteral("--theme takes light or dark, not '%1'").arg(themeName));
        return false;
    }
    for (const QString& name : parser.value(QStringLiteral("views")).split(',', Qt::SkipEmptyParts)) {
        const QString v = name.trimmed().toLower();
        if (v == QLatin1String("logical"))
            request.views |= ReportPicture::Logical;
        else if (v == QLatin1String("memory"))
            request.views |= ReportPicture::Memory;
        else if (v == QLatin1String("result"))
            request.views |= ReportPicture::Result;
        else if (v == QLatin1String("inspector"))
            request.views |= ReportPicture::Inspector;
        else {
            scenario.printError(
                QStringLiteral("--views takes logical, memory, result and inspector, not '%1'").arg(name));
            return false;
        }
    }
    if (!request.views) {
        scenario.printError(QStringLiteral("--views names no view"));
        return false;
    }
    request.look = themeName == QLatin1String("dark") ? Theme::dark() : Theme::light();
    return true;
}

// Reads and checks the picture options; nothing (with the one line printed) when one is not usable.
std::optional<RenderRequest> readRequest(const QCommandLineParser& parser, const ScenarioRun& scenario)
{
    RenderRequest request;
    if (!readOut(parser, scenario, request) || !readSteps(parser, scenario, request) ||
        !readPixels(parser, scenario, request) || !readLook(parser, scenario, request))
        return std::nullopt;
    return request;
}

// What the picture cannot show as it is goes to stderr as notes (the exit code stays 0).
void printNotes(const ScenarioRun& scenario, const InspectionReport& report, const RenderRequest& request)
{
    QStringList notes;
    if (request.size.isEmpty()) {
        const QSize preferred = ImageExporter::preferredSize(report, request.views, request.look);
        const QSize drawn = PictureLimits::capped(preferred, request.deviceScale);
        notes = ImageExporter::notes(report, request.views, request.look, drawn);
        if (drawn != preferred)
            notes << QStringLiteral("the picture would be %1x%2 logical pixels at --scale %3; it is drawn at "
                                    "%4x%5 (pictures are at most %6)")
                         .arg(preferred.width())
                         .arg(preferred.height())
                         .arg(request.deviceScale)
                         .arg(drawn.width())
                         .arg(drawn.height())
                         .arg(PictureLimits::describe());
    } else {
        notes = ImageExporter::notes(report, request.views, request.look, request.size);
    }
    for (const QString& note : notes)
        scenario.printError(QStringLiteral("note: ") + note);
}

int writePicture(const ScenarioRun& scenario, const InspectionReport& report, const RenderRequest& request)
{
    QString error;
    if (request.animated) {
        if (!StepsExporter::writeSvg(request.path, report, request.views, request.look, &error, request.size,
                                     qRound(1000 / request.framesPerSecond))) {
            scenario.printError(error);
            return ScenarioRun::InvalidScenario;
        }
        return 0;
    }
    if (request.steps) {
        if (!StepsExporter::writePdf(request.path, report, request.views, request.look, &error,
                                     request.size)) {
            scenario.printError(error);
            return ScenarioRun::InvalidScenario;
        }
        return 0;
    }
    if (!ImageExporter::write(request.path, report, request.views, request.look, &error, request.size,
                              request.pixelScale)) {
        scenario.printError(error);
        return ScenarioRun::InvalidScenario;
    }
    return 0;
}

// The options of `render` beyond the scenario's: the file and how the picture is drawn.
void addPictureOptions(QCommandLineParser& parser)
{
    const QCommandLineOption out(
        QStringLiteral("out"),
        QStringLiteral("The picture to write: .png, .svg, .pdf, or .tex (a standalone TikZ figure "
                       "for pdflatex, at most %1).")
            .arg(TikzPicture::describeCaps()),
        QStringLiteral("FILE"));
    const QCommandLineOption size(
        QStringLiteral("size"),
        QStringLiteral("Size in logical pixels (default: what the views need; at most "
                       "16384 device pixels on a side and 64 megapixels)."),
        QStringLiteral("WxH"));
    const QCommandLineOption scale(
        QStringLiteral("scale"),
        QStringLiteral("Pixels per logical pixel in a PNG (2 for high-DPI; default 1)."), QStringLiteral("N"),
        QStringLiteral("1"));
    const QCommandLineOption theme(QStringLiteral("theme"), QStringLiteral("light or dark (default light)."),
                                   QStringLiteral("light|dark"), QStringLiteral("light"));
    const QCommandLineOption views(
        QStringLiteral("views"), QStringLiteral("Which views to draw (default logical,memory,result)."),
        QStringLiteral("logical,memory,result,inspector"), QStringLiteral("logical,memory,result"));
    const QCommandLineOption steps(
        QStringLiteral("steps"),
        QStringLiteral(
            "Write the copy step by step, each element highlighted in the order CPython copies them: "
            "to a .pdf, one page per element; to an .svg, the same frames as one looping animation "
            "(past %1 steps, one page or frame per block of steps).")
            .arg(StepsExporter::maxPages));
    const QCommandLineOption speed(
        QStringLiteral("speed"),
        QStringLiteral(
            "Frames a second in a --steps .svg, from 0.1 to 100 (default 2, the player's default)."),
        QStringLiteral("N"), QStringLiteral("2"));
    parser.addOptions({out, size, scale, theme, views, steps, speed});
}

// Parses the command line; the exit code when there is no more to do (a usage error, or --help).
std::optional<int> parseArguments(QCommandLineParser& parser, const ScenarioRun& scenario,
                                  const QStringList& arguments)
{
    QStringList args = arguments;
    if (args.size() > 1)
        args.removeAt(1); // "render"
    if (!parser.parse(args)) {
        scenario.printError(parser.errorText() + QStringLiteral(" (see stridescope render --help)"));
        return ScenarioRun::UsageError;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText().replace(QStringLiteral("Usage: ") + args.first(),
                                                        QStringLiteral("Usage: stridescope render"))),
                   stdout);
        std::printf("\nPresets: %s\n", qPrintable(scenario.presetList()));
        return 0;
    }
    return std::nullopt;
}

// The inspection of the scenario the options name, copying out only what the picture can show; or
// the exit code.
std::variant<InspectionReport, int> inspectForPicture(ScenarioRun& scenario, const QCommandLineParser& parser,
                                                      const RenderRequest& request)
{
    // Only the bytes the picture can write out are copied out of the interpreter. A .tex figure writes
    // a bounded number of cells anywhere in the array: it takes the bytes the probe copies anyway.
    if (!request.tex)
        scenario.withPicturesWritingAtMost(ReportPicture::mostWrittenValues(request.deviceScale));
    auto named = scenario.scenarioOf(parser);
    if (const int* failed = std::get_if<int>(&named))
        return *failed;
    // A TikZ figure draws one object: a comparison is drawn side by side into a PNG, SVG or PDF.
    if (request.tex && std::get<Scenario>(named).compare) {
        scenario.printError(
            QStringLiteral("a comparison ('compare') is drawn to .png, .svg or .pdf; --out .tex "
                           "draws one object"));
        return ScenarioRun::UsageError;
    }
    return scenario.inspect(std::get<Scenario>(named));
}

} // namespace

int RenderCommand::run(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Draw what PyMemoryView_GetContiguous does to a buffer into a PNG, SVG or PDF, with the "
        "window's own painters and no display, or into a standalone TikZ figure (.tex) for LaTeX."));
    parser.addHelpOption();
    ScenarioRun scenario(QStringLiteral("render"));
    scenario.addOptions(parser);
    addPictureOptions(parser);
    if (const std::optional<int> done = parseArguments(parser, scenario, arguments))
        return *done;
    const std::optional<RenderRequest> request = readRequest(parser, scenario);
    if (!request)
        return ScenarioRun::UsageError;
    auto outcome = inspectForPicture(scenario, parser, *request);
    if (const int* failed = std::get_if<int>(&outcome))
        return *failed;
    const InspectionReport& report = std::get<InspectionReport>(outcome);

    if (request->tex)
        return writeTex(scenario, request->path, report, request->views, request->look);
    printNotes(scenario, report, *request);
    return writePicture(scenario, report, *request);
}

} // namespace stridescope
