#include "windowautosave.h"

#include "gui/model/scenariodocument.h"
#include "gui/panels/messagebar.h"
#include "gui/panels/pythoncodeeditor.h"

#include <QFileInfo>
#include <QPlainTextEdit>

namespace stridescope {

WindowAutosave::WindowAutosave(ScenarioDocument* document, PythonCodeEditor* codeEditor,
                               MessageBar* restoreBar, QObject* parent)
    : QObject(parent), m_document(document), m_codeEditor(codeEditor), m_restoreBar(restoreBar)
{
}

std::optional<AutosavedWork> WindowAutosave::unsavedWork() const
{
    const Scenario& scenario = m_document->scenario();
    const QString typed = m_codeEditor->code();
    const bool typedDiffers = scenario.runsUserCode() && typed != QString::fromStdString(scenario.code);
    if (!m_document->isModified() && !typedDiffers)
        return std::nullopt;
    AutosavedWork work;
    work.scenario = scenario;
    work.notes = m_document->notes();
    work.filePath = m_document->filePath();
    if (typedDiffers)
        work.typedCode = typed;
    work.savedAt = QDateTime::currentDateTime();
    return work;
}

void WindowAutosave::start(bool writeChanges)
{
    if (m_autosave)
        return;
    m_autosave = new Autosave(Autosave::defaultDirectory(), this);
    QString error;
    if (!m_autosave->claim(&error)) {
        emit status(tr("Not autosaving: %1").arg(error));
        return;
    }
    if ((m_recovered = m_autosave->recovered()))
        offerRecovered();
    if (writeChanges)
        writeOnEveryChange();
}

void WindowAutosave::offerRecovered()
{
    const QString what = m_recovered->filePath.isEmpty()
                             ? tr("an untitled scenario")
                             : QFileInfo(m_recovered->filePath).fileName().toHtmlEscaped();
    m_restoreBar->setText(tr("<b>Stridescope did not close properly.</b> Your unsaved work on %1 from "
                             "%2 can be restored. Its Python code is not run until you say so.")
                              .arg(what, m_recovered->savedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
    m_restoreBar->show();
}

void WindowAutosave::writeOnEveryChange()
{
    m_autosave->setSource([this] { return unsavedWork(); });
    connect(m_document, &ScenarioDocument::changed, m_autosave, &Autosave::schedule);
    connect(m_document, &ScenarioDocument::modifiedChanged, m_autosave, &Autosave::schedule);
    connect(m_codeEditor->editor(), &QPlainTextEdit::textChanged, m_autosave, &Autosave::schedule);
    m_autosave->schedule(); // what start-up brought back unsaved (a session) is work too
}

bool WindowAutosave::restore()
{
    if (!m_recovered)
        return false;
    const AutosavedWork work = *m_recovered;
    m_recovered.reset();
    m_restoreBar->hide();
    // Restored code is held until the user allows it (it may be what brought the last run down),
    // unless it is the code of the signed file it belongs to.
    m_document->restoreUnsaved(work.scenario, work.notes, work.filePath,
                               ScenarioDocument::CodeTrust::Untrusted);
    if (work.typedCode && work.scenario.runsUserCode())
        m_codeEditor->editor()->setPlainText(*work.typedCode); // typed, still not run
    if (m_autosave)
        m_autosave->dropRecovered();
    emit status(tr("Restored the work autosaved at %1")
                    .arg(work.savedAt.toString(QStringLiteral("yyyy-MM-dd HH:mm"))));
    return true;
}

void WindowAutosave::discard()
{
    m_recovered.reset();
    m_restoreBar->hide();
    if (m_autosave)
        m_autosave->dropRecovered();
}

void WindowAutosave::removeOwn()
{
    if (m_autosave)
        m_autosave->removeOwn();
}

} // namespace stridescope
