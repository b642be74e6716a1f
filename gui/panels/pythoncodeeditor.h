#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QToolButton;

namespace stridescope {

class PythonHighlighter;

// The Python source: a monospace editor with highlighting, Run (Ctrl+Return) and Stop. The code
// becomes part of the scenario when it is run, not on every keystroke: half-typed code is not
// worth running, and an endless loop should start only when the user asks for it.
class PythonCodeEditor final : public QWidget
{
    Q_OBJECT

public:
    explicit PythonCodeEditor(QWidget* parent = nullptr);

    QString code() const;
    // The scenario's code: shown when it differs from the code the editor last showed.
    void setCode(const QString& code);
    void setRunning(bool running);
    void setDark(bool dark);
    QPlainTextEdit* editor() const { return m_editor; }
    QToolButton* runButton() const { return m_run; }
    QToolButton* stopButton() const { return m_stop; }

signals:
    void runRequested(const QString& code);
    void stopRequested();

private:
    void updateHint();

    QPlainTextEdit* m_editor = nullptr;
    PythonHighlighter* m_highlighter = nullptr;
    QToolButton* m_run = nullptr;
    QToolButton* m_stop = nullptr;
    QLabel* m_hint = nullptr;
    QString m_scenarioCode; // what the scenario holds, to tell unsaved typing apart
    bool m_running = false;
};

} // namespace stridescope
