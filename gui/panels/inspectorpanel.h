#pragma once

#include <QWidget>

class QPlainTextEdit;
class QTabWidget;
class QTextBrowser;

namespace stridescope {

class InspectionState;
class ScenarioDocument;

// The Inspector dock: the scenario's explanation, the Py_buffer fields of source and result side by
// side, PyMemoryView_Check and GET_BASE, the contiguity verdicts; and C and Python code that
// reproduce the scenario, with Copy buttons.
class InspectorPanel final : public QWidget
{
    Q_OBJECT

public:
    InspectorPanel(ScenarioDocument* document, InspectionState* state, QWidget* parent = nullptr);

    QTextBrowser* fieldsView() const { return m_fields; }
    QString cSnippet() const;
    QString pythonSnippet() const;
    QTabWidget* tabs() const { return m_tabs; }

    // The dock's first size: wide enough for the fields and the code without scrolling.
    QSize sizeHint() const override { return QSize(400, 600); }

private:
    void refreshFields();
    void refreshSnippets();

    ScenarioDocument* m_document = nullptr;
    InspectionState* m_state = nullptr;
    QTabWidget* m_tabs = nullptr;
    QTextBrowser* m_fields = nullptr;
    QPlainTextEdit* m_c = nullptr;
    QPlainTextEdit* m_python = nullptr;
};

} // namespace stridescope
