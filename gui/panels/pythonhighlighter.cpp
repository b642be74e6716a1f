#include "pythonhighlighter.h"

namespace stridescope {

namespace {

enum BlockState
{
    Normal = 0,
    InTripleDouble = 1,
    InTripleSingle = 2
};

} // namespace

PythonHighlighter::PythonHighlighter(QTextDocument* document) : QSyntaxHighlighter(document)
{
    const QString keywords = QStringLiteral(
        "and|as|assert|async|await|break|class|continue|def|del|elif|else|except|False|finally|for|from|"
        "global|"
        "if|import|in|is|lambda|None|nonlocal|not|or|pass|raise|return|True|try|while|with|yield");
    const QString builtins = QStringLiteral(
        "bytearray|bytes|memoryview|len|range|print|list|tuple|int|float|str|dict|set|isinstance|type|np|"
        "array|ctypes|struct|sum|min|max|abs|enumerate|zip|reversed|sorted");
    // Later rules win where they overlap: strings and comments come last.
    m_rules = {
        {QRegularExpression(QStringLiteral("\\b(%1)\\b").arg(keywords)), &m_keyword},
        {QRegularExpression(QStringLiteral("\\b(%1)\\b").arg(builtins)), &m_builtin},
        {QRegularExpression(
             QStringLiteral("\\b(0[xX][0-9a-fA-F_]+|\\d[\\d_]*\\.?\\d*([eE][-+]?\\d+)?j?)\\b")),
         &m_number},
        {QRegularExpression(QStringLiteral("^\\s*@[\\w.]+")), &m_decorator},
        {QRegularExpression(
             QStringLiteral("[rbfuRBFU]{0,2}\"([^\"\\\\]|\\\\.)*\"|[rbfuRBFU]{0,2}'([^'\\\\]|\\\\.)*'")),
         &m_string},
        {QRegularExpression(QStringLiteral("#[^\\n]*")), &m_comment},
    };
    setDark(false);
}

void PythonHighlighter::setDark(bool dark)
{
    m_keyword.setForeground(dark ? QColor(0xc6, 0x78, 0xdd) : QColor(0x8b, 0x00, 0x8b));
    m_keyword.setFontWeight(QFont::Bold);
    m_builtin.setForeground(dark ? QColor(0x61, 0xaf, 0xef) : QColor(0x00, 0x55, 0xaa));
    m_number.setForeground(dark ? QColor(0xd1, 0x9a, 0x66) : QColor(0xa0, 0x50, 0x00));
    m_string.setForeground(dark ? QColor(0x98, 0xc3, 0x79) : QColor(0x1a, 0x7f, 0x37));
    m_comment.setForeground(dark ? QColor(0x8a, 0x93, 0xa0) : QColor(0x6a, 0x73, 0x7d));
    m_comment.setFontItalic(true);
    m_decorator.setForeground(m_builtin.foreground());
    rehighlight();
}

void PythonHighlighter::highlightBlock(const QString& text)
{
    for (const Rule& rule : m_rules) {
        auto it = rule.pattern.globalMatch(text);
        while (it.hasNext()) {
            const auto match = it.next();
            setFormat(int(match.capturedStart()), int(match.capturedLength()), *rule.format);
        }
    }
    highlightTripleQuotes(text);
}

void PythonHighlighter::highlightTripleQuotes(const QString& text)
{
    setCurrentBlockState(Normal);
    int start = 0;
    int state = previousBlockState() < 0 ? Normal : previousBlockState();
    while (start <= text.size()) {
        if (state == Normal) {
            const int d = int(text.indexOf(QStringLiteral("\"\"\""), start));
            const int s = int(text.indexOf(QStringLiteral("'''"), start));
            if (d < 0 && s < 0)
                return;
            const bool dbl = s < 0 || (d >= 0 && d < s);
            const int open = dbl ? d : s;
            // A '#' before the quotes on this line makes them part of a comment.
            const int hash = int(text.left(open).indexOf(QLatin1Char('#')));
            if (hash >= 0)
                return;
            state = dbl ? InTripleDouble : InTripleSingle;
            const int close =
                int(text.indexOf(dbl ? QStringLiteral("\"\"\"") : QStringLiteral("'''"), open + 3));
            if (close < 0) {
                setFormat(open, int(text.size()) - open, m_string);
                setCurrentBlockState(state);
                return;
            }
            setFormat(open, close + 3 - open, m_string);
            state = Normal;
            start = close + 3;
        } else {
            const int close = int(text.indexOf(
                state == InTripleDouble ? QStringLiteral("\"\"\"") : QStringLiteral("'''"), start));
            if (close < 0) {
                setFormat(start, int(text.size()) - start, m_string);
                setCurrentBlockState(state);
                return;
            }
            setFormat(start, close + 3 - start, m_string);
            state = Normal;
            start = close + 3;
        }
    }
}

} // namespace stridescope
