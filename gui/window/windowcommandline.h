#pragma once

#include <QSize>
#include <QString>
#include <QStringList>

#include <optional>

class QApplication;

namespace stridescope {

class MainWindow;
class ScreenshotCapture;

// The window's command line: what to open (a scenario file, --preset NAME, or --expr CODE with
// --path DIR...), and the hidden options that make the README's screenshots (--screenshot OUT.png,
// --size, --dark, --tab, --select-request, --console). Parsed and checked before the window
// exists, then applied to it in the order start-up needs. Every bad argument is one line on stderr
// and exit code 2; a file that cannot be opened, exit code 1.
class WindowCommandLine
{
public:
    // Parses the application's arguments (--help and --version end the process, as
    // QCommandLineParser does). Nothing, with `status` set, when they are not usable.
    static std::optional<WindowCommandLine> parse(const QApplication& app, int& status);

    bool takesScreenshot() const { return !m_screenshotPath.isEmpty(); }
    QString screenshotPath() const { return m_screenshotPath; }

    // Before anything is opened: no modal dialog when nobody can answer it (a screenshot, no
    // display), and the theme of a screenshot or the last session of a user's window.
    void prepare(MainWindow& window) const;
    // Opens the scenario the command line names; 0, or the exit code.
    int open(MainWindow& window) const;
    // The Inspector tab, the Requests row and the Console command to show; 0, or the exit code.
    // `capture` is started once the window shows what was asked for.
    int arrange(MainWindow& window, ScreenshotCapture& capture) const;
    // After the window is shown and its scenario is being inspected.
    void start(MainWindow& window, ScreenshotCapture& capture) const;

private:
    QStringList m_files;
    QString m_preset;
    std::optional<QString> m_code;
    QStringList m_importFolders;
    QString m_screenshotPath;
    QSize m_screenshotSize{1400, 900};
    bool m_dark = false;
    QString m_tab;
    QString m_selectRequest;
    QString m_consoleCommand;
};

} // namespace stridescope
