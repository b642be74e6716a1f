#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QStackedWidget;

namespace stridescope {

class ImportFolderEditor;
class InspectionState;
class NumpyFilePage;
class PythonCodeEditor;
class ScenarioDocument;
class StridedEditor;

// The Buffer dock: which kind of source the scenario builds, and its fields. A strided buffer and
// the memoryviews built from memory share the layout editor; Python code has its own editor.
class BufferPanel final : public QWidget
{
    Q_OBJECT

public:
    // `state`: the inspection the numpy file page describes (dtype, mapping); may be null.
    explicit BufferPanel(ScenarioDocument* document, InspectionState* state = nullptr,
                         QWidget* parent = nullptr);

    StridedEditor* stridedEditor() const { return m_strided; }
    PythonCodeEditor* codeEditor() const { return m_code; }
    ImportFolderEditor* importFolderEditor() const { return m_importFolders; }
    NumpyFilePage* numpyFilePage() const { return m_numpy; }

    // The dock's first size: wide enough for the fields and the code without scrolling.
    QSize sizeHint() const override { return QSize(360, 600); }

private:
    // The constructor's steps: the widgets in the order they were always made (the tab order), then the
    // layout.
    void createKindChoice();
    void createFunctionRow();
    void createPages(InspectionState* state);
    void layOut();
    // The user chose another source kind, or another PyMemoryView_From* function: an undoable edit.
    void chooseKind(int index);
    void chooseFunction(int index);
    void refresh();

    ScenarioDocument* m_document = nullptr;
    QComboBox* m_kind = nullptr;
    QLabel* m_kindNote = nullptr;
    QWidget* m_functionRow = nullptr;
    QComboBox* m_function = nullptr;
    QStackedWidget* m_pages = nullptr;
    StridedEditor* m_strided = nullptr;
    PythonCodeEditor* m_code = nullptr;
    ImportFolderEditor* m_importFolders = nullptr;
    NumpyFilePage* m_numpy = nullptr;
};

} // namespace stridescope
