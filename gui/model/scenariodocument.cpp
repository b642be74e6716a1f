#include "scenariodocument.h"

#include "gui/scenario/presetlibrary.h"
#include "gui/scenario/scenariofilereader.h"
#include "scenarioeditcommand.h"

#include <QFile>
#include <QSaveFile>
#include <QUndoStack>

namespace stridescope {

ScenarioDocument::ScenarioDocument(QObject* parent) : QObject(parent), m_undoStack(new QUndoStack(this))
{
    connect(m_undoStack, &QUndoStack::cleanChanged, this,
            [this](bool clean) { emit modifiedChanged(!clean); });
}

ScenarioDocument::~ScenarioDocument() = default;

bool ScenarioDocument::isModified() const
{
    return !m_undoStack->isClean();
}

void ScenarioDocument::edit(const Scenario& scenario, const QString& description, const QString& mergeKey)
{
    DocumentState after = m_state;
    after.scenario = scenario;
    if (after.sameAs(m_state))
        return;
    m_undoStack->push(new ScenarioEditCommand(this, m_state, after, description, mergeKey));
}

void ScenarioDocument::loadPreset(const Preset& preset)
{
    DocumentState after;
    after.scenario = preset.scenario;
    after.notes = preset.notes;
    after.notesDescribe = DocumentState::key(preset.scenario);
    if (after.sameAs(m_state))
        return;
    m_undoStack->push(new ScenarioEditCommand(this, m_state, after,
                                              tr("Load preset “%1”").arg(preset.notes.title), QString()));
}

void ScenarioDocument::reset(const Scenario& scenario, const ScenarioNotes& notes, const QString& filePath)
{
    m_undoStack->clear(); // also makes the stack clean
    DocumentState state;
    state.scenario = scenario;
    state.notes = notes;
    state.notesDescribe = DocumentState::key(scenario);
    setState(state);
    if (filePath != m_filePath) {
        m_filePath = filePath;
        emit filePathChanged(m_filePath);
    }
    emit modifiedChanged(false);
}

bool ScenarioDocument::open(const QString& path, QString* error)
{
    const auto bytes = ScenarioFileReader::read(path, error);
    if (!bytes)
        return false;
    ScenarioNotes notes;
    QString parseError;
    const auto scenario = ScenarioFile::parse(*bytes, &parseError, &notes);
    if (!scenario) {
        if (error)
            *error = tr("%1: %2").arg(path, parseError);
        return false;
    }
    reset(*scenario, notes, path);
    return true;
}

bool ScenarioDocument::save(const QString& path, QString* error)
{
    // QSaveFile: a failed write leaves the old file whole.
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        file.write(ScenarioFile::toJson(m_state.scenario, m_state.notes)) < 0 || !file.commit()) {
        if (error)
            *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    m_undoStack->setClean();
    if (path != m_filePath) {
        m_filePath = path;
        emit filePathChanged(m_filePath);
    }
    return true;
}

void ScenarioDocument::setState(const DocumentState& state)
{
    m_state = state;
    emit changed();
}

} // namespace stridescope
