#include "scenariodocument.h"

#include "gui/scenario/presetlibrary.h"
#include "gui/scenario/scenariofilereader.h"
#include "scenarioeditcommand.h"

#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QUndoStack>

namespace stridescope {

ScenarioDocument::ScenarioDocument(QObject* parent) : ScenarioDocument(TrustStore(), parent) {}

ScenarioDocument::ScenarioDocument(TrustStore trustStore, QObject* parent)
    : QObject(parent), m_undoStack(new QUndoStack(this)), m_trust(std::move(trustStore))
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
    // Notes belong to the scenario they were written for: once the source or the request differ,
    // the explanation would describe something that is not there (and be saved with it). They
    // come off, leaving a title that says where the scenario came from; undo puts them back.
    if (!after.notesDescribeScenario() &&
        (!after.notes.summary.isEmpty() || !after.notes.explanation.isEmpty())) {
        after.notes = detachedNotes(after.notes);
        after.notesDescribe.reset();
    }
    m_undoStack->push(new ScenarioEditCommand(this, m_state, after, description, mergeKey));
}

void ScenarioDocument::loadPreset(const Preset& preset)
{
    // A new untitled document: a preset loaded over an open file must not take the file's name
    // (Save would overwrite the user's file with the preset). Presets ship in the resources: their
    // code is ours.
    reset(preset.scenario, CodeTrust::Trusted, preset.notes);
}

ScenarioNotes ScenarioDocument::detachedNotes(const ScenarioNotes& notes)
{
    bool fromPreset = false;
    for (const Preset& preset : PresetLibrary::all())
        fromPreset = fromPreset ||
                     (preset.notes.title == notes.title && preset.notes.explanation == notes.explanation);
    ScenarioNotes detached;
    if (!notes.title.isEmpty())
        detached.title = fromPreset ? tr("Edited from preset “%1”").arg(notes.title)
                                    : tr("Edited from “%1”").arg(notes.title);
    return detached;
}

void ScenarioDocument::reset(const Scenario& scenario, CodeTrust trust, const ScenarioNotes& notes,
                             const QString& filePath)
{
    m_undoStack->clear(); // also makes the stack clean
    // Decided before anyone hears of the new scenario: untrusted code is never run, not even once.
    m_allowedCode.clear();
    if (trust == CodeTrust::Trusted)
        m_allowedCode.insert(scenario.consentKey());
    DocumentState state;
    state.scenario = scenario;
    state.notes = notes;
    state.notesDescribe = scenario;
    setState(state);
    setFilePath(filePath);
    emit modifiedChanged(false);
    emit codeTrustChanged();
}

void ScenarioDocument::restoreUnsaved(const Scenario& scenario, const ScenarioNotes& notes,
                                      const QString& filePath, CodeTrust trust)
{
    if (!filePath.isEmpty() && QFileInfo::exists(filePath) && open(filePath, nullptr)) {
        if (trust == CodeTrust::Trusted)
            allowCode(scenario); // open() started a fresh allowance
        // One undoable edit on top of the file, still unsaved.
        edit(scenario, tr("Restore unsaved changes"));
        m_undoStack->resetClean(); // modified even when it equals the file: it was never saved
        return;
    }
    reset(scenario, trust, notes);
    m_undoStack->resetClean();
}

bool ScenarioDocument::open(const QString& path, QString* error)
{
    const auto bytes = ScenarioFileReader::read(path, error);
    if (!bytes)
        return false;
    ScenarioNotes notes;
    QString parseError;
    const auto scenario = ScenarioFile::parse(*bytes, &parseError, &notes, QFileInfo(path).absolutePath());
    if (!scenario) {
        if (error)
            *error = tr("%1: %2").arg(path, parseError);
        return false;
    }
    // Only Python code needs trust; a data-only file runs nothing of the user's.
    const bool trusted = !scenario->runsUserCode() || m_trust.isSigned(canonicalContent(*scenario, notes));
    reset(*scenario, trusted ? CodeTrust::Trusted : CodeTrust::Untrusted, notes, path);
    return true;
}

bool ScenarioDocument::save(const QString& path, QString* error, QString* signingError)
{
    // QSaveFile: a failed write leaves the old file whole.
    QSaveFile file(path);
    const QByteArray content = canonicalContent(m_state.scenario, m_state.notes);
    if (!file.open(QIODevice::WriteOnly) || file.write(content) < 0 || !file.commit()) {
        if (error)
            *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    // The user's own file: signed, so it opens trusted. Code the user never allowed (a downloaded
    // file saved under a new name before it was run) is not signed: saving is not consent.
    if (m_state.scenario.runsUserCode() && mayRunCode()) {
        QString why;
        if (!m_trust.addSignature(content, &why) && signingError)
            *signingError = why;
    }
    m_undoStack->setClean();
    setFilePath(path);
    return true;
}

bool ScenarioDocument::mayRunCode() const
{
    return !m_state.scenario.runsUserCode() || m_allowedCode.count(m_state.scenario.consentKey()) > 0;
}

void ScenarioDocument::allowCode(const Scenario& scenario)
{
    if (m_allowedCode.insert(scenario.consentKey()).second)
        emit codeTrustChanged();
}

QByteArray ScenarioDocument::canonicalContent(const Scenario& scenario, const ScenarioNotes& notes)
{
    return ScenarioFile::toJson(scenario, notes);
}

void ScenarioDocument::setFilePath(const QString& path)
{
    if (path == m_filePath)
        return;
    m_filePath = path;
    emit filePathChanged(m_filePath);
}

void ScenarioDocument::setState(const DocumentState& state)
{
    m_state = state;
    emit changed();
}

} // namespace stridescope
