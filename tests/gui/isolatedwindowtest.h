#pragma once

// The main() of a test that opens Stridescope's window: offscreen unless a platform is given, the
// Fusion style, and the user's settings and data never read or written (Qt's test mode, a test
// organisation, settings in a private folder that goes away with the run).

#include <QApplication>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace testwindow {

enum class Dpi
{
    System,
    Fixed96
};

template <class Test> int runIsolated(const char* name, int argc, char** argv, Dpi dpi = Dpi::System)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    if (dpi == Dpi::Fixed96) // pixel positions repeat on every machine
        qputenv("QT_FONT_DPI", "96");
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir settings;
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, settings.path());
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings.path());
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("StridescopeTest"));
    QApplication::setApplicationName(QString::fromLatin1(name));
    QApplication::setStyle(QStringLiteral("Fusion"));
    Test test;
    return QTest::qExec(&test, argc, argv);
}

} // namespace testwindow
