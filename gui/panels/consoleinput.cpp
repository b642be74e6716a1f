#include "consoleinput.h"

#include "pythonhighlighter.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QFontDatabase>
#include <QKeyEvent>
#include <QTextBlock>

namespace stridescope {

ConsoleInput::ConsoleInput(QWidget* parent) : QPlainTextEdit(parent)
{
    setObjectName(QStringLiteral("consoleInput"));
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    setFont(mono);
    setTabStopDistance(QFontMetricsF(mono).horizontalAdvance(QLatin1Char(' ')) * 4);
    setLineWrapMode(QPlainTextEdit::WidgetWidth);
    setPlaceholderText(
        tr("show(obj)   · Return runs · Shift+Return: a new line · Tab completes · Up: history"));
    m_highlighter = new PythonHighlighter(document());
}

void ConsoleInput::setDark(bool dark)
{
    m_highlighter->setDark(dark);
}

bool ConsoleInput::isComplete(const QString& text)
{
    if (text.trimmed().isEmpty())
        return true;
    // Brackets and strings, read as Python's tokenizer would, roughly: enough to tell whether more
    // lines must follow. A wrong guess costs one Return: the input stays and can be run.
    int depth = 0;
    QChar quote;
    bool triple = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text[i];
        if (!quote.isNull()) {
            if (c == QLatin1Char('\\')) {
                ++i;
            } else if (c == quote && (!triple || text.mid(i, 3) == QString(3, quote))) {
                if (triple)
                    i += 2;
                quote = QChar();
            } else if (c == QLatin1Char('\n') && !triple) {
                quote = QChar(); // an unclosed one-line string: Python reports it
            }
            continue;
        }
        if (c == QLatin1Char('#')) {
            while (i < text.size() && text[i] != QLatin1Char('\n'))
                ++i;
        } else if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            quote = c;
            triple = text.mid(i, 3) == QString(3, c);
            if (triple)
                i += 2;
        } else if (c == QLatin1Char('(') || c == QLatin1Char('[') || c == QLatin1Char('{')) {
            ++depth;
        } else if (c == QLatin1Char(')') || c == QLatin1Char(']') || c == QLatin1Char('}')) {
            --depth;
        }
    }
    if (depth > 0 || (!quote.isNull() && triple))
        return false;
    const QString lastLine = text.section(QLatin1Char('\n'), -1);
    const QString last = lastLine.trimmed();
    if (last.endsWith(QLatin1Char(':')) || last.endsWith(QLatin1Char('\\')))
        return false;
    // A block (its first line ended with ':') goes on until an empty line, as in Python's console.
    const bool inBlock = text.contains(QLatin1Char('\n')) &&
                         text.section(QLatin1Char('\n'), 0, 0).trimmed().endsWith(QLatin1Char(':'));
    return !inBlock || last.isEmpty();
}

QString ConsoleInput::wordBeforeCursor() const
{
    const QTextCursor cursor = textCursor();
    const QString line = cursor.block().text().left(cursor.positionInBlock());
    qsizetype start = line.size();
    while (start > 0 && (line[start - 1].isLetterOrNumber() || line[start - 1] == QLatin1Char('_') ||
                         line[start - 1] == QLatin1Char('.')))
        --start;
    return line.mid(start);
}

void ConsoleInput::insertCompletion(const QString& completion)
{
    QTextCursor cursor = textCursor();
    cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, int(wordBeforeCursor().size()));
    cursor.insertText(completion);
    setTextCursor(cursor);
}

void ConsoleInput::setHistory(const QStringList& history)
{
    m_history = history.mid(std::max<qsizetype>(0, history.size() - maximumHistory));
    m_historyIndex = int(m_history.size());
}

void ConsoleInput::newLine()
{
    // The next line keeps this one's indentation, one more level after a ':'.
    const QString line = textCursor().block().text().left(textCursor().positionInBlock());
    QString indent;
    for (QChar c : line) {
        if (c != QLatin1Char(' ') && c != QLatin1Char('\t'))
            break;
        indent += c;
    }
    if (line.trimmed().endsWith(QLatin1Char(':')))
        indent += QStringLiteral("    ");
    textCursor().insertText(QLatin1Char('\n') + indent);
}

void ConsoleInput::walkHistory(int step)
{
    const int next = m_historyIndex + step;
    if (next < 0 || next > m_history.size())
        return;
    if (m_historyIndex == m_history.size())
        m_draft = toPlainText();
    m_historyIndex = next;
    setPlainText(next == m_history.size() ? m_draft : m_history[next]);
    moveCursor(QTextCursor::End);
}

void ConsoleInput::keyPressEvent(QKeyEvent* event)
{
    const bool plain = !(event->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier));
    if (m_completer && m_completer->popup()->isVisible()) {
        switch (event->key()) {
        case Qt::Key_Enter:
        case Qt::Key_Return:
        case Qt::Key_Escape:
        case Qt::Key_Tab:
        case Qt::Key_Backtab:
            event->ignore(); // the completer chooses
            return;
        default:
            break;
        }
    }
    switch (event->key()) {
    case Qt::Key_Return:
    case Qt::Key_Enter:
        if (event->modifiers() & Qt::ShiftModifier) {
            newLine();
        } else if (!m_accepting) {
            // A command runs: the input stays as typed until it ends.
        } else if (isComplete(toPlainText())) {
            const QString command = toPlainText();
            if (command.trimmed().isEmpty())
                return;
            if (m_history.isEmpty() || m_history.last() != command)
                m_history.append(command);
            if (m_history.size() > maximumHistory)
                m_history.removeFirst();
            m_historyIndex = int(m_history.size());
            m_draft.clear();
            clear();
            emit submitted(command);
        } else {
            newLine();
        }
        return;
    case Qt::Key_Up:
        if (plain && textCursor().blockNumber() == 0) {
            walkHistory(-1);
            return;
        }
        break;
    case Qt::Key_Down:
        if (plain && textCursor().blockNumber() == document()->blockCount() - 1) {
            walkHistory(+1);
            return;
        }
        break;
    case Qt::Key_Tab:
        if (plain) {
            const QString word = wordBeforeCursor();
            if (word.isEmpty())
                textCursor().insertText(QStringLiteral("    "));
            else
                emit completionWanted(word);
            return;
        }
        break;
    case Qt::Key_C:
        if ((event->modifiers() & Qt::ControlModifier) && !textCursor().hasSelection()) {
            emit stopWanted();
            return;
        }
        break;
    default:
        break;
    }
    QPlainTextEdit::keyPressEvent(event);
}

} // namespace stridescope
