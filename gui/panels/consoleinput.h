#pragma once

#include <QPlainTextEdit>
#include <QStringList>

class QCompleter;

namespace stridescope {

class PythonHighlighter;

// The console's input: Python with highlighting, as Python's own console takes it. Return runs the
// input when it is a complete statement and starts the next line otherwise (after a ':', inside
// brackets, in an indented block until an empty line); Shift+Return always starts a new line. Up
// and Down walk the history from the first and last line; Tab indents at the start of a line and
// asks for completions after a name; Ctrl+C with nothing selected asks to stop.
class ConsoleInput final : public QPlainTextEdit
{
    Q_OBJECT

public:
    static constexpr int maximumHistory = 500;

    explicit ConsoleInput(QWidget* parent = nullptr);

    // Whether Python's console would run `text` now rather than wait for more lines.
    static bool isComplete(const QString& text);
    // The name (with dots) that ends at the cursor: what completion completes.
    QString wordBeforeCursor() const;
    // Replaces wordBeforeCursor() with `completion`.
    void insertCompletion(const QString& completion);

    QStringList history() const { return m_history; }
    void setHistory(const QStringList& history);
    void setDark(bool dark);
    // While a command runs, Return does not submit another (typing goes on).
    void setAcceptingCommands(bool accepting) { m_accepting = accepting; }
    // The completion popup: while it shows, the keys that choose from it are its own.
    void setCompleter(QCompleter* completer) { m_completer = completer; }

signals:
    void submitted(const QString& command);
    void completionWanted(const QString& word);
    void stopWanted();

protected:
    void keyPressEvent(QKeyEvent* event) override;

private:
    void newLine();
    void walkHistory(int step);

    PythonHighlighter* m_highlighter = nullptr;
    QStringList m_history;
    int m_historyIndex = 0; // m_history.size(): the draft being typed
    QString m_draft;
    QCompleter* m_completer = nullptr;
    bool m_accepting = true;
};

} // namespace stridescope
