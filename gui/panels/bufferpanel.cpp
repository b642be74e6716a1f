#include "bufferpanel.h"

#include "gui/model/scenariodocument.h"
#include "importfoldereditor.h"
#include "numpyfilepage.h"
#include "pythoncodeeditor.h"
#include "stridededitor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QScrollArea>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QVBoxLayout>

namespace stridescope {

namespace {

// A page that scrolls up and down only: its fields follow the dock's width.
QScrollArea* verticalScroll(QWidget* parent, QWidget* page)
{
    auto* scroll = new QScrollArea(parent);
    scroll->setWidgetResizable(true);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setWidget(page);
    return scroll;
}

} // namespace

BufferPanel::BufferPanel(ScenarioDocument* document, InspectionState* state, QWidget* parent)
    : QWidget(parent), m_document(document)
{
    createKindChoice();
    createFunctionRow();
    createPages(state);
    layOut();
    connect(m_kind, &QComboBox::currentIndexChanged, this, &BufferPanel::chooseKind);
    connect(m_function, &QComboBox::currentIndexChanged, this, &BufferPanel::chooseFunction);
    connect(m_document, &ScenarioDocument::changed, this, &BufferPanel::refresh);
    refresh();
}

void BufferPanel::createKindChoice()
{
    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("sourceKindBox"));
    m_kind->addItem(tr("Strided buffer"), int(Scenario::SourceKind::Strided));
    m_kind->addItem(tr("Python code"), int(Scenario::SourceKind::Python));
    m_kind->addItem(tr("View from memory (C)"), int(Scenario::SourceKind::Memory));
    m_kind->addItem(tr("NumPy file (.npy, .npz)"), int(Scenario::SourceKind::NumpyFile));
    // Only a captured snapshot is one (stridescope.save): it cannot be chosen for another source.
    m_kind->addItem(tr("Snapshot (captured)"), int(Scenario::SourceKind::Snapshot));
    m_kindNote = new QLabel(this);
    m_kindNote->setObjectName(QStringLiteral("sourceKindNote"));
    // It quotes the file (a snapshot's exporter name): shown as written, never as markup.
    m_kindNote->setTextFormat(Qt::PlainText);
    m_kindNote->setWordWrap(true);
    m_kindNote->setForegroundRole(QPalette::PlaceholderText);
}

void BufferPanel::createFunctionRow()
{
    m_function = new QComboBox(this);
    m_function->setObjectName(QStringLiteral("memoryFunctionBox"));
    m_function->addItem(QStringLiteral("PyMemoryView_FromBuffer"), int(MemoryViewFunction::FromBuffer));
    m_function->addItem(QStringLiteral("PyMemoryView_FromMemory"), int(MemoryViewFunction::FromMemory));
    m_functionRow = new QWidget(this);
    auto* functionForm = new QFormLayout(m_functionRow);
    functionForm->setContentsMargins(0, 0, 0, 0);
    functionForm->addRow(tr("Made by"), m_function);
}

// One page per editor, in the order refresh() picks them: the layout, the code, the numpy file.
void BufferPanel::createPages(InspectionState* state)
{
    m_strided = new StridedEditor(m_document, this);
    m_code = new PythonCodeEditor(this);
    m_importFolders = new ImportFolderEditor(m_document, this);
    auto* codePage = new QWidget(this);
    auto* codeLayout = new QVBoxLayout(codePage);
    codeLayout->setContentsMargins(0, 0, 0, 0);
    codeLayout->addWidget(m_code, 1);
    codeLayout->addWidget(m_importFolders);
    auto* stridedScroll = verticalScroll(this, m_strided);
    m_pages = new QStackedWidget(this);
    m_pages->addWidget(stridedScroll);
    m_pages->addWidget(codePage);
    m_numpy = new NumpyFilePage(m_document, state, this);
    // In a scroll area, as the layout editor: it gives the wrapped lines the height their width needs.
    auto* numpyPage = new QWidget(this);
    auto* numpyLayout = new QVBoxLayout(numpyPage);
    numpyLayout->setContentsMargins(0, 0, 0, 0);
    numpyLayout->addWidget(m_numpy);
    numpyLayout->addStretch(1);
    m_pages->addWidget(verticalScroll(this, numpyPage));
}

void BufferPanel::layOut()
{
    auto* top = new QFormLayout;
    top->setContentsMargins(0, 0, 0, 0);
    top->addRow(tr("Source"), m_kind);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->addLayout(top);
    layout->addWidget(m_kindNote);
    layout->addWidget(m_functionRow);
    layout->addWidget(m_pages, 1);
}

void BufferPanel::chooseKind(int index)
{
    Scenario scenario = m_document->scenario();
    scenario.kind = Scenario::SourceKind(m_kind->itemData(index).toInt());
    if (scenario.kind != Scenario::SourceKind::Snapshot)
        scenario.captured = {}; // the layout stays; its bytes become the fill's (undo brings them back)
    if (scenario.kind == Scenario::SourceKind::Python && scenario.code.empty()) {
        scenario.code = "a = np.arange(12, dtype=np.uint8).reshape(3, 4)\na.T";
        m_document->allowCode(scenario); // Stridescope's own example
    }
    m_document->edit(scenario, tr("Source: %1").arg(m_kind->itemText(index)));
}

void BufferPanel::chooseFunction(int index)
{
    Scenario scenario = m_document->scenario();
    scenario.memoryFunction = MemoryViewFunction(m_function->itemData(index).toInt());
    m_document->edit(scenario, tr("Made by %1").arg(m_function->itemText(index)));
}

void BufferPanel::refresh()
{
    const Scenario& scenario = m_document->scenario();
    const int kind = m_kind->findData(int(scenario.kind));
    if (kind != m_kind->currentIndex()) {
        const QSignalBlocker block(m_kind);
        m_kind->setCurrentIndex(kind);
    }
    const int function = m_function->findData(int(scenario.memoryFunction));
    if (function != m_function->currentIndex()) {
        const QSignalBlocker block(m_function);
        m_function->setCurrentIndex(function);
    }
    const bool memory = scenario.kind == Scenario::SourceKind::Memory;
    m_functionRow->setVisible(memory);
    m_pages->setCurrentIndex(scenario.kind == Scenario::SourceKind::Python      ? 1
                             : scenario.kind == Scenario::SourceKind::NumpyFile ? 2
                                                                                : 0);
    const bool snapshot = scenario.kind == Scenario::SourceKind::Snapshot;
    if (auto* items = qobject_cast<QStandardItemModel*>(m_kind->model()))
        items->item(m_kind->findData(int(Scenario::SourceKind::Snapshot)))->setEnabled(snapshot);
    m_strided->setMode(snapshot ? StridedEditor::Mode::CapturedLayout
                       : memory && scenario.memoryFunction == MemoryViewFunction::FromMemory
                           ? StridedEditor::Mode::MemoryBlockOnly
                           : StridedEditor::Mode::FullLayout);
    switch (scenario.kind) {
    case Scenario::SourceKind::Strided:
        m_kindNote->setText(tr("Exported by Stridescope's own exporter, exactly as laid out here."));
        break;
    case Scenario::SourceKind::Python:
        m_kindNote->setText(
            tr("Any object your code makes: numpy arrays, memoryviews, bytes, ctypes arrays…"));
        break;
    case Scenario::SourceKind::Memory:
        m_kindNote->setText(
            scenario.memoryFunction == MemoryViewFunction::FromMemory
                ? tr("A 1-d memoryview of bytes over a block no object owns: GET_BASE is NULL.")
                : tr("A memoryview over a Py_buffer filled in by hand with obj = NULL: GET_BASE is NULL."));
        break;
    case Scenario::SourceKind::Snapshot:
        m_kindNote->setText(
            tr("Captured from %1 (%2): its layout and the %3 bytes of memory its elements live in, exported "
               "again by Stridescope's own exporter. The layout cannot be edited here, since the captured "
               "bytes belong to it; choose “Strided buffer” to edit it (the bytes then become a fill).")
                .arg(QString::fromStdString(scenario.captured.capturedFrom.empty()
                                                ? std::string("an exporter")
                                                : scenario.captured.capturedFrom),
                     QString::fromStdString(scenario.captured.capturedWith))
                .arg(scenario.captured.data().size()));
        break;
    case Scenario::SourceKind::NumpyFile:
        m_kindNote->setText(tr("An array from a .npy or .npz file, opened as numpy.memmap opens it: "
                               "mapped read-only, never unpickled. No code runs."));
        m_numpy->refresh();
        break;
    }
    m_code->setCode(QString::fromStdString(scenario.code));
}

} // namespace stridescope
