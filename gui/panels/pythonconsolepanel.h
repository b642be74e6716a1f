#pragma once

#include "gui/style/theme.h"
#include "pyhost/inspectionreport.h"
#include "pyhost/inspector.h"
#include "pyhost/scenario.h"

#include <QWidget>

#include <functional>
#include <memory>

class QCompleter;
class QLabel;
class QPlainTextEdit;
class QStringListModel;
class QToolButton;

namespace stridescope {

class ConsoleInput;
class ConsoleSession;

// The Console dock: Python typed by the user, run in the scenario's namespace in an interpreter of
// its own (ConsoleSession), with history, completion and the output as it is written. show(obj)
// hands obj's inspection to the window. The interpreter starts with the first command, from the
// scenario as it is then; Restart starts it again from the scenario as it is now.
class PythonConsolePanel final : public QWidget
{
    Q_OBJECT

public:
    // What the console's interpreter starts from: the scenario, the inspection options, and
    // whether the scenario's code may run (the user allowed it).
    struct Start
    {
        Scenario scenario;
        Inspector::Options options;
        bool runScenario = true;
    };
    using StartProvider = std::function<Start()>;

    explicit PythonConsolePanel(QWidget* parent = nullptr);
    ~PythonConsolePanel() override;

    void setStartProvider(StartProvider provider) { m_startProvider = std::move(provider); }
    // Runs `command` as if typed, starting the interpreter first when there is none.
    void runCommand(const QString& command);
    void restart();
    void stop();
    // The scenario changed: a started console says its namespace is from the scenario as it was.
    void scenarioChanged();
    void setTheme(const Theme& theme);

    QString transcript() const;
    ConsoleInput* input() const { return m_input; }
    ConsoleSession* session() const { return m_session; }
    // A command runs, or waits for the interpreter to start.
    bool isRunning() const { return !m_running.isEmpty(); }
    QSize sizeHint() const override { return QSize(360, 220); }

signals:
    // show(obj) ran in `command`: draw `report`.
    void shown(std::shared_ptr<const stridescope::InspectionReport> report, const QString& command);
    // A command finished (or the console started): for tests and the window's state.
    void commandFinished(bool ok, const QString& message);

private:
    enum class Tone
    {
        Input,
        Output,
        Note,
        Error
    };
    // The constructor's steps: the widgets, their layout, and the connections.
    void createEditors();
    void createButtons();
    void layOut();
    void connectControls();
    void connectSession();
    // The session's answers.
    void commandEnded(bool ok, const QString& message);
    // Completes the word before the cursor as far as every completion agrees, and offers the rest.
    void offerCompletions(const QString& word, const QStringList& found);
    void sessionEnded(const QString& reason);
    void append(const QString& text, Tone tone);
    void startSession();
    void updateState();
    void saveHistory() const;

    ConsoleSession* m_session = nullptr;
    QPlainTextEdit* m_transcript = nullptr;
    ConsoleInput* m_input = nullptr;
    QToolButton* m_stop = nullptr;
    QToolButton* m_restart = nullptr;
    QToolButton* m_clear = nullptr;
    QLabel* m_status = nullptr;
    QCompleter* m_completer = nullptr;
    QStringListModel* m_completions = nullptr;
    StartProvider m_startProvider;
    Theme m_theme = Theme::light();
    QString m_running;       // the command that runs now
    bool m_starting = false; // start() was asked and has not answered
    bool m_stale = false;    // the scenario changed since the interpreter started
};

} // namespace stridescope
