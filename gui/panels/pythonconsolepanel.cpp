#include "pythonconsolepanel.h"

#include "consoleinput.h"

#include "gui/supervisor/consolesession.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QSettings>
#include <QSplitter>
#include <QStringListModel>
#include <QStyle>
#include <QTextBlock>
#include <QToolButton>
#include <QVBoxLayout>

namespace stridescope {

namespace {

const QString kHistoryKey = QStringLiteral("console/history");
constexpr int kTranscriptLines = 5000;

QToolButton* toolButton(QWidget* parent, const QString& name, const QString& text, const QString& tip,
                        QStyle::StandardPixmap icon)
{
    auto* button = new QToolButton(parent);
    button->setObjectName(name);
    button->setText(text);
    button->setToolTip(tip);
    button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    button->setIcon(parent->style()->standardIcon(icon));
    return button;
}

// The longest text every completion starts with.
QString commonPrefix(const QStringList& texts)
{
    if (texts.isEmpty())
        return {};
    QString prefix = texts.first();
    for (const QString& text : texts) {
        qsizetype n = 0;
        while (n < prefix.size() && n < text.size() && prefix[n] == text[n])
            ++n;
        prefix.truncate(n);
    }
    return prefix;
}

} // namespace

PythonConsolePanel::PythonConsolePanel(QWidget* parent) : QWidget(parent), m_session(new ConsoleSession(this))
{
    createEditors();
    createButtons();
    layOut();
    connectControls();
    connectSession();
    updateState();
}

void PythonConsolePanel::createEditors()
{
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_transcript = new QPlainTextEdit(this);
    m_transcript->setObjectName(QStringLiteral("consoleTranscript"));
    m_transcript->setReadOnly(true);
    m_transcript->setFont(mono);
    m_transcript->setMaximumBlockCount(kTranscriptLines);
    m_transcript->setPlaceholderText(
        tr("Python in the scenario's namespace, in an interpreter of its own. show(obj) draws any object "
           "in the views, e.g. show(a[::2, ::-1])."));
    m_input = new ConsoleInput(this);
    m_input->setHistory(QSettings().value(kHistoryKey).toStringList());
    m_completions = new QStringListModel(this);
    m_completer = new QCompleter(m_completions, this);
    m_completer->setWidget(m_input);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseSensitive);
    m_input->setCompleter(m_completer);
}

void PythonConsolePanel::createButtons()
{
    m_stop = toolButton(this, QStringLiteral("consoleStop"), tr("Stop"),
                        tr("Interrupt the running command (KeyboardInterrupt; Ctrl+C in the input)"),
                        QStyle::SP_MediaStop);
    m_restart = toolButton(this, QStringLiteral("consoleRestart"), tr("Restart"),
                           tr("A new interpreter, its namespace made from the scenario as it is now"),
                           QStyle::SP_BrowserReload);
    m_clear = toolButton(this, QStringLiteral("consoleClear"), tr("Clear"), tr("Clear the transcript"),
                         QStyle::SP_DialogResetButton);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("consoleStatus"));
    m_status->setWordWrap(true);
    m_status->setForegroundRole(QPalette::PlaceholderText);
}

// The transcript over the input (split 3:1), the buttons and the status in a row below.
void PythonConsolePanel::layOut()
{
    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_restart);
    buttons->addWidget(m_clear);
    buttons->addWidget(m_status, 1);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_transcript);
    split->addWidget(m_input);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split, 1);
    layout->addLayout(buttons);
}

// The input, the completer's popup and the buttons.
void PythonConsolePanel::connectControls()
{
    connect(m_input, &ConsoleInput::submitted, this, &PythonConsolePanel::runCommand);
    connect(m_input, &ConsoleInput::stopWanted, this, &PythonConsolePanel::stop);
    connect(m_input, &ConsoleInput::completionWanted, this, [this](const QString& word) {
        if (!m_session->isStarted())
            startSession(); // the next Tab completes from its namespace
        else
            m_session->complete(word);
    });
    connect(m_completer, qOverload<const QString&>(&QCompleter::activated), m_input,
            &ConsoleInput::insertCompletion);
    connect(m_stop, &QToolButton::clicked, this, &PythonConsolePanel::stop);
    connect(m_restart, &QToolButton::clicked, this, &PythonConsolePanel::restart);
    connect(m_clear, &QToolButton::clicked, m_transcript, &QPlainTextEdit::clear);
}

// What the interpreter says: output, show(obj), a command's end, completions, its own end.
void PythonConsolePanel::connectSession()
{
    connect(m_session, &ConsoleSession::output, this,
            [this](const QString& text) { append(text, Tone::Output); });
    connect(m_session, &ConsoleSession::shown, this, [this](std::shared_ptr<const InspectionReport> report) {
        emit shown(std::move(report), m_running);
    });
    connect(m_session, &ConsoleSession::finished, this, &PythonConsolePanel::commandEnded);
    connect(m_session, &ConsoleSession::completed, this, &PythonConsolePanel::offerCompletions);
    connect(m_session, &ConsoleSession::ended, this, &PythonConsolePanel::sessionEnded);
}

void PythonConsolePanel::commandEnded(bool ok, const QString& message)
{
    if (!message.isEmpty())
        append(message + QLatin1Char('\n'), ok ? Tone::Note : Tone::Error);
    if (!std::exchange(m_starting, false))
        m_running.clear(); // a command given before the start ended runs now
    updateState();
    emit commandFinished(ok, message);
}

void PythonConsolePanel::offerCompletions(const QString& word, const QStringList& found)
{
    if (word != m_input->wordBeforeCursor() || found.isEmpty())
        return; // typed on meanwhile, or nothing to offer
    const QString prefix = commonPrefix(found);
    if (prefix.size() > word.size())
        m_input->insertCompletion(prefix);
    if (found.size() == 1)
        return;
    m_completions->setStringList(found);
    m_completer->setCompletionPrefix(m_input->wordBeforeCursor());
    QRect where = m_input->cursorRect();
    where.setWidth(m_completer->popup()->sizeHintForColumn(0) +
                   m_completer->popup()->verticalScrollBar()->sizeHint().width());
    m_completer->complete(where);
}

void PythonConsolePanel::sessionEnded(const QString& reason)
{
    append(tr("%1. Restart starts a new interpreter; the names of this one are gone.\n").arg(reason),
           Tone::Error);
    m_running.clear();
    m_starting = false;
    updateState();
    emit commandFinished(false, reason);
}

PythonConsolePanel::~PythonConsolePanel()
{
    saveHistory();
}

void PythonConsolePanel::setTheme(const Theme& theme)
{
    m_theme = theme;
    m_input->setDark(theme.isDark());
}

QString PythonConsolePanel::transcript() const
{
    return m_transcript->toPlainText();
}

void PythonConsolePanel::append(const QString& text, Tone tone)
{
    QTextCharFormat format;
    switch (tone) {
    case Tone::Input:
        format.setFontWeight(QFont::Bold);
        break;
    case Tone::Output:
        break;
    case Tone::Note:
        format.setForeground(m_theme.mutedText());
        break;
    case Tone::Error:
        format.setForeground(m_theme.errorAccent());
        break;
    }
    QScrollBar* bar = m_transcript->verticalScrollBar();
    const bool atEnd = bar->value() == bar->maximum();
    QTextCursor cursor(m_transcript->document());
    cursor.movePosition(QTextCursor::End);
    // A note or an echoed command starts a line of its own, after output that did not end one.
    if (tone != Tone::Output && !cursor.block().text().isEmpty())
        cursor.insertText(QStringLiteral("\n"), QTextCharFormat());
    cursor.insertText(text, format);
    if (atEnd)
        bar->setValue(bar->maximum());
}

void PythonConsolePanel::startSession()
{
    if (!m_startProvider)
        return;
    const Start start = m_startProvider();
    m_stale = false;
    m_starting = true;
    append(start.runScenario || !start.scenario.runsUserCode()
               ? tr("Starting Python with the scenario's namespace…\n")
               : tr("Starting Python without the scenario's names: its code has not been allowed to run "
                    "(the bar above the pictures asks).\n"),
           Tone::Note);
    m_session->start(start.scenario, start.options, start.runScenario || !start.scenario.runsUserCode());
    updateState();
}

void PythonConsolePanel::runCommand(const QString& command)
{
    if (command.trimmed().isEmpty() || !m_running.isEmpty())
        return; // one command at a time (the input does not submit meanwhile)
    QStringList lines = command.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i)
        lines[i].prepend(i == 0 ? QStringLiteral(">>> ") : QStringLiteral("... "));
    if (!m_session->isStarted())
        startSession();
    append(lines.join(QLatin1Char('\n')) + QLatin1Char('\n'), Tone::Input);
    saveHistory();
    m_running = command;
    m_session->run(command);
    updateState();
}

void PythonConsolePanel::restart()
{
    m_running.clear();
    m_starting = false;
    m_session->end();
    startSession();
}

void PythonConsolePanel::stop()
{
    m_session->stop();
}

void PythonConsolePanel::scenarioChanged()
{
    if (!m_session->isStarted() || m_stale)
        return;
    m_stale = true;
    updateState();
}

void PythonConsolePanel::updateState()
{
    const bool busy = m_session->isBusy();
    m_stop->setEnabled(busy);
    m_input->setAcceptingCommands(!busy || m_running.isEmpty());
    if (!m_session->isStarted())
        m_status->setText(tr("Python starts with the first command."));
    else if (busy && !m_running.isEmpty())
        m_status->setText(tr("Running… Stop or Ctrl+C interrupts it."));
    else if (busy)
        m_status->setText(tr("Starting…"));
    else if (m_stale)
        m_status->setText(tr("The scenario changed since these names were made: Restart makes them again."));
    else
        m_status->setText(tr("Ready."));
}

void PythonConsolePanel::saveHistory() const
{
    QSettings().setValue(kHistoryKey, m_input->history());
}

} // namespace stridescope
