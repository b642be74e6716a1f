#pragma once

#include "documentstate.h"

#include <QObject>
#include <QString>

class QUndoStack;

namespace stridescope {

struct Preset;

// The scenario being edited: scenario and notes, the file it came from, whether it changed since,
// and the undo history. Every change the user makes goes through edit() as an undoable command;
// New and Open start a fresh history.
class ScenarioDocument : public QObject
{
    Q_OBJECT

public:
    explicit ScenarioDocument(QObject* parent = nullptr);
    ~ScenarioDocument() override;

    const Scenario& scenario() const { return m_state.scenario; }
    const ScenarioNotes& notes() const { return m_state.notes; }
    // False once the user has changed the scenario that the notes (a preset's explanation) describe.
    bool notesDescribeScenario() const { return m_state.notesDescribeScenario(); }
    const DocumentState& state() const { return m_state; }
    QString filePath() const { return m_filePath; }
    bool isModified() const;
    QUndoStack* undoStack() const { return m_undoStack; }

    // An undoable edit of the scenario (notes kept). Edits that change nothing are dropped;
    // consecutive edits with the same non-empty merge key merge into one undo step.
    void edit(const Scenario& scenario, const QString& description, const QString& mergeKey = {});
    // An undoable switch to a preset: its scenario and its notes.
    void loadPreset(const Preset& preset);

    // A fresh document (New, start-up): no history, not modified.
    void reset(const Scenario& scenario, const ScenarioNotes& notes = {}, const QString& filePath = {});
    // Open and Save: the scenario file of `stridescope inspect`. On failure `error` says why.
    bool open(const QString& path, QString* error);
    bool save(const QString& path, QString* error);

signals:
    // The scenario or its notes changed (an edit, undo, redo, reset or open).
    void changed();
    void filePathChanged(const QString& path);
    void modifiedChanged(bool modified);

private:
    friend class ScenarioEditCommand;
    void setState(const DocumentState& state);

    DocumentState m_state;
    QString m_filePath;
    QUndoStack* m_undoStack = nullptr;
};

} // namespace stridescope
