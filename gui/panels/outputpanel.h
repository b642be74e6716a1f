#pragma once

#include <QWidget>

class QPlainTextEdit;

namespace stridescope {

class InspectionState;

// The Output dock: what the scenario's Python code printed (stdout and stderr, captured), the
// traceback when it raised, and the traceback of an exception from the call itself.
class OutputPanel final : public QWidget
{
    Q_OBJECT

public:
    explicit OutputPanel(InspectionState* state, QWidget* parent = nullptr);

    QString text() const;
    // The dock's first size: a dozen lines under the buffer editor.
    QSize sizeHint() const override { return QSize(360, 220); }

signals:
    // There is something worth reading (output or a traceback): the window may raise the dock.
    void attentionWanted();

private:
    void refresh();

    InspectionState* m_state = nullptr;
    QPlainTextEdit* m_text = nullptr;
};

} // namespace stridescope
