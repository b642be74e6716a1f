#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

namespace stridescope {

// Simple Python highlighting for the code editor: keywords, builtins, numbers, strings (also
// triple-quoted ones across lines) and comments. Enough to read a scenario, not a full lexer.
class PythonHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT

public:
    explicit PythonHighlighter(QTextDocument* document);
    // Colours that read on a dark or a light editor background.
    void setDark(bool dark);

protected:
    void highlightBlock(const QString& text) override;

private:
    struct Rule
    {
        QRegularExpression pattern;
        QTextCharFormat* format = nullptr;
    };
    // Triple-quoted strings may span lines: the block state carries an open one to the next line.
    void highlightTripleQuotes(const QString& text);

    QTextCharFormat m_keyword;
    QTextCharFormat m_builtin;
    QTextCharFormat m_number;
    QTextCharFormat m_string;
    QTextCharFormat m_comment;
    QTextCharFormat m_decorator;
    std::vector<Rule> m_rules;
};

} // namespace stridescope
