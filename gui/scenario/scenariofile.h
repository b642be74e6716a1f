#pragma once

#include "pyhost/scenario.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace stridescope {

// Text shown with a scenario: presets carry it, and the window saves what the user typed.
struct ScenarioNotes
{
    QString title;
    QString summary;
    QString explanation;

    // A note longer than this is cut where it is read or shown, with a line saying so: laying out
    // a megabyte of text froze the window.
    static constexpr qsizetype maximumLength = 20000;
    static QString capped(const QString& text);
};

// The scenario file: versioned JSON, read strictly (an unknown field, a wrong type or a bad value
// is an error that names it), written so that reading it back gives the same scenario.
class ScenarioFile
{
public:
    static constexpr int version = 1;
    // Scenario files are named FILE.stridescope (their own MIME type) or FILE.json.
    static constexpr QLatin1StringView suffix{".stridescope"};
    static bool isFileName(const QString& path);
    // The longest Python code read from a file: the window shows the code before it runs, and
    // laying out megabytes of it froze the window.
    static constexpr qsizetype maximumCodeLength = 256 * 1024;

    // The longest file path or .npz member name read from a file (PATH_MAX is 4096).
    static constexpr qsizetype maximumPathLength = 4096;

    // `fileDirectory`: the folder of the file the JSON was read from; relative paths in it (the
    // import folders of Python code) are relative to that folder, and refused without one.
    static std::optional<Scenario> parse(const QByteArray& json, QString* error,
                                         ScenarioNotes* notes = nullptr, const QString& fileDirectory = {});
    static std::optional<Scenario> fromObject(const QJsonObject& object, QString* error,
                                              ScenarioNotes* notes = nullptr,
                                              const QString& fileDirectory = {});
    static QJsonObject toObject(const Scenario& scenario, const ScenarioNotes& notes = {});
    static QByteArray toJson(const Scenario& scenario, const ScenarioNotes& notes = {});
};

} // namespace stridescope
