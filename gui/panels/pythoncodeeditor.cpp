#include "pythoncodeeditor.h"

#include "pythonhighlighter.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

namespace stridescope {

PythonCodeEditor::PythonCodeEditor(QWidget* parent) : QWidget(parent)
{
    m_editor = new QPlainTextEdit(this);
    m_editor->setObjectName(QStringLiteral("pythonEditor"));
    QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_editor->setFont(mono);
    m_editor->setTabStopDistance(QFontMetricsF(mono).horizontalAdvance(QLatin1Char(' ')) * 4);
    // Wrapped: code from a file is read here before it may run, and none of it may hide past the edge.
    m_editor->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_editor->setPlaceholderText(tr("a = np.arange(12, dtype=np.uint8).reshape(3, 4)\na.T"));
    m_highlighter = new PythonHighlighter(m_editor->document());

    m_run = new QToolButton(this);
    m_run->setObjectName(QStringLiteral("runButton"));
    m_run->setText(tr("Run"));
    m_run->setToolTip(tr("Run the code and inspect its object (Ctrl+Return)"));
    m_run->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_run->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_stop = new QToolButton(this);
    m_stop->setObjectName(QStringLiteral("stopButton"));
    m_stop->setText(tr("Stop"));
    m_stop->setToolTip(tr("Interrupt the running code (KeyboardInterrupt)"));
    m_stop->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_stop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_stop->setEnabled(false);
    m_hint = new QLabel(this);
    m_hint->setWordWrap(true);
    m_hint->setForegroundRole(QPalette::PlaceholderText);

    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_run);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_hint, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* about = new QLabel(tr("The object is the value of the last line, or the variable <tt>buf</tt>. "
                                "numpy is <tt>np</tt>."),
                             this);
    about->setWordWrap(true);
    layout->addWidget(about);
    layout->addWidget(m_editor, 1);
    layout->addLayout(buttons);

    // Ctrl+Return belongs to the window's Run action, which also reaches in here: a second
    // shortcut on the editor would make the key ambiguous and neither would fire.
    connect(m_run, &QToolButton::clicked, this, [this] { emit runRequested(code()); });
    connect(m_stop, &QToolButton::clicked, this, &PythonCodeEditor::stopRequested);
    connect(m_editor, &QPlainTextEdit::textChanged, this, &PythonCodeEditor::updateHint);
    updateHint();
}

QString PythonCodeEditor::code() const
{
    return m_editor->toPlainText();
}

void PythonCodeEditor::setCode(const QString& code)
{
    // Other edits (the request, say) leave the scenario's code as it was: text typed since the last
    // run stays. Only a new code (undo, a preset, a file) replaces it.
    if (code == m_scenarioCode)
        return;
    m_scenarioCode = code;
    if (m_editor->toPlainText() != code)
        m_editor->setPlainText(code);
    updateHint();
}

void PythonCodeEditor::setRunning(bool running)
{
    m_running = running;
    m_stop->setEnabled(running);
    updateHint();
}

void PythonCodeEditor::setDark(bool dark)
{
    m_highlighter->setDark(dark);
}

void PythonCodeEditor::updateHint()
{
    if (m_running)
        m_hint->setText(tr("Running…"));
    else if (m_editor->toPlainText() != m_scenarioCode)
        m_hint->setText(tr("Edited: Ctrl+Return runs it"));
    else
        m_hint->clear();
}

} // namespace stridescope
