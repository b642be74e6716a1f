#include "outputpanel.h"

#include "gui/model/inspectionstate.h"

#include <QFontDatabase>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace stridescope {

OutputPanel::OutputPanel(InspectionState* state, QWidget* parent) : QWidget(parent), m_state(state)
{
    m_text = new QPlainTextEdit(this);
    m_text->setObjectName(QStringLiteral("outputText"));
    m_text->setReadOnly(true);
    m_text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_text->setPlaceholderText(tr("What the scenario's Python code prints, and tracebacks, show here."));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text);
    connect(m_state, &InspectionState::changed, this, &OutputPanel::refresh);
    refresh();
}

QString OutputPanel::text() const
{
    return m_text->toPlainText();
}

void OutputPanel::refresh()
{
    QString text;
    bool important = false;
    if (const auto& failure = m_state->failure()) {
        if (!failure->output.isEmpty())
            text += failure->output +
                    (failure->output.endsWith(QLatin1Char('\n')) ? QString() : QStringLiteral("\n"));
        if (failure->python && !failure->python->traceback.empty())
            text += QString::fromStdString(failure->python->traceback);
        else
            text += failure->message + QLatin1Char('\n');
        important = !failure->notRun; // nothing ran, so nothing to look at here
    } else if (const auto report = m_state->report()) {
        text = QString::fromStdString(report->output);
        if (report->outputTruncated)
            text += tr("\n[output truncated: only the first MiB is kept]\n");
        if (report->result.error && !report->result.error->traceback.empty())
            text += tr("--- the call raised ---\n") + QString::fromStdString(report->result.error->traceback);
        important = !report->output.empty();
    }
    m_text->setPlainText(text);
    if (important)
        emit attentionWanted();
}

} // namespace stridescope
