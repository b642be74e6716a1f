#pragma once

#include "autosave.h"

#include <QObject>

#include <optional>

namespace stridescope {

class MessageBar;
class PythonCodeEditor;
class ScenarioDocument;

// The window's side of the Autosave: what its unsaved work is (the document's edits and the code
// typed in the editor but not run), and the restore bar that offers the work a Stridescope that did
// not exit cleanly left behind.
class WindowAutosave final : public QObject
{
    Q_OBJECT

public:
    WindowAutosave(ScenarioDocument* document, PythonCodeEditor* codeEditor, MessageBar* restoreBar,
                   QObject* parent);

    // Null until start().
    Autosave* autosave() const { return m_autosave; }
    // See MainWindow::startAutosave.
    void start(bool writeChanges);
    // The restore bar's answers.
    bool restore();
    void discard();
    // A clean exit: the autosave has nothing to bring back.
    void removeOwn();

signals:
    // A line for the window's status bar.
    void status(const QString& text);

private:
    std::optional<AutosavedWork> unsavedWork() const;
    void offerRecovered();
    void writeOnEveryChange();

    ScenarioDocument* m_document;
    PythonCodeEditor* m_codeEditor;
    MessageBar* m_restoreBar;
    Autosave* m_autosave = nullptr;
    std::optional<AutosavedWork> m_recovered; // offered in the restore bar
};

} // namespace stridescope
