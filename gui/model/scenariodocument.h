#pragma once

#include "documentstate.h"
#include "gui/scenario/truststore.h"

#include <QObject>
#include <QString>

#include <set>
#include <string>

class QUndoStack;

namespace stridescope {

struct Preset;

// The scenario being edited: scenario and notes, the file it came from, whether it changed since,
// and the undo history. Every change the user makes goes through edit() as an undoable command;
// New and Open start a fresh history.
//
// It also knows which Python code the user has allowed to run (mayRunCode): code they wrote or
// ran themselves, code of a preset, and code of a file whose signature is in the TrustStore (a
// file this user saved from the window). Code from any other file waits for the user's consent
// (allowCurrentCode). The allowance is per code text and import folders: editing a setting keeps
// it, undoing back to code nobody allowed loses it. New and Open start a fresh allowance.
class ScenarioDocument : public QObject
{
    Q_OBJECT

public:
    // Where a scenario given to reset() comes from.
    enum class CodeTrust
    {
        Trusted,   // made by this program or the user (a preset, New, a signed file or session)
        Untrusted, // read from somewhere the user may not have written: its code waits for consent
    };

    explicit ScenarioDocument(QObject* parent = nullptr);
    ScenarioDocument(TrustStore trustStore, QObject* parent);
    ~ScenarioDocument() override;

    const Scenario& scenario() const { return m_state.scenario; }
    const ScenarioNotes& notes() const { return m_state.notes; }
    // False once the user has changed the scenario that the notes (a preset's explanation) describe.
    bool notesDescribeScenario() const { return m_state.notesDescribeScenario(); }
    const DocumentState& state() const { return m_state; }
    QString filePath() const { return m_filePath; }
    bool isModified() const;
    QUndoStack* undoStack() const { return m_undoStack; }

    // An undoable edit of the scenario. Edits that change nothing are dropped; consecutive edits
    // with the same non-empty merge key merge into one undo step. An edit that makes the scenario
    // differ from the one the notes explain detaches them (detachedNotes).
    void edit(const Scenario& scenario, const QString& description, const QString& mergeKey = {});
    // A preset as a new untitled document (no file, fresh history): its scenario and its notes.
    void loadPreset(const Preset& preset);
    // What is left of notes once the scenario they explain was changed: only a title saying where
    // it came from ("Edited from preset “Transpose”"), no summary or explanation.
    static ScenarioNotes detachedNotes(const ScenarioNotes& notes);

    // A fresh document (New, start-up, a restored session): no history, not modified.
    void reset(const Scenario& scenario, CodeTrust trust, const ScenarioNotes& notes = {},
               const QString& filePath = {});
    // Unsaved work brought back (a session, an autosave): `scenario` on top of the file at `filePath`
    // when it can be opened, else on its own; modified either way. The code of the file keeps the
    // file's trust; other code comes back trusted only when `trust` says so.
    void restoreUnsaved(const Scenario& scenario, const ScenarioNotes& notes, const QString& filePath,
                        CodeTrust trust);
    // Open and Save: the scenario file of `stridescope inspect`. On failure `error` says why.
    // Opening a file whose signature is in the trust store allows its code; saving signs the file
    // when its code is allowed (`signingError`, when given, says why a save could not be signed).
    bool open(const QString& path, QString* error);
    bool save(const QString& path, QString* error, QString* signingError = nullptr);

    // The scenario runs no user code, or the user has allowed its code.
    bool mayRunCode() const;
    // Allows the scenario's code with its import folders (Scenario::consentKey).
    void allowCode(const Scenario& scenario);
    void allowCurrentCode() { allowCode(m_state.scenario); }
    // What a file holding this scenario says, canonically: what signatures are made of.
    static QByteArray canonicalContent(const Scenario& scenario, const ScenarioNotes& notes);
    const TrustStore& trustStore() const { return m_trust; }

signals:
    // The scenario or its notes changed (an edit, undo, redo, reset or open).
    void changed();
    void filePathChanged(const QString& path);
    void modifiedChanged(bool modified);
    // mayRunCode() may have changed (code allowed, or a new document).
    void codeTrustChanged();

private:
    friend class ScenarioEditCommand;
    void setState(const DocumentState& state);
    void setFilePath(const QString& path);

    DocumentState m_state;
    QString m_filePath;
    QUndoStack* m_undoStack = nullptr;
    TrustStore m_trust;
    std::set<std::string> m_allowedCode;
};

} // namespace stridescope
