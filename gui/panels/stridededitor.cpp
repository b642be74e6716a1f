#include "stridededitor.h"

#include "core/itemformat.h"
#include "gui/model/axistablemodel.h"
#include "gui/model/scenariodocument.h"
#include "pyhost/stridedbufferstorage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

#include <limits>

namespace stridescope {

namespace {

struct FormatChoice
{
    const char* code;
    const char* meaning;
};

// The codes a learner meets first; any struct format can be typed.
constexpr FormatChoice kFormats[] = {
    {"B", "unsigned char (uint8)"},
    {"b", "signed char (int8)"},
    {"h", "short (int16)"},
    {"H", "unsigned short (uint16)"},
    {"i", "int (int32)"},
    {"I", "unsigned int (uint32)"},
    {"q", "long long (int64)"},
    {"Q", "unsigned long long (uint64)"},
    {"e", "half float (float16)"},
    {"f", "float (float32)"},
    {"d", "double (float64)"},
    {"?", "bool"},
    {"c", "char (bytes of 1)"},
    {"3s", "3-byte string"},
    {"<i", "little-endian int32"},
    {">h", "big-endian int16"},
    {"hhd", "struct of two shorts and a double"},
    {"T{<h:x:<d:y:}", "numpy record: int16 x, float64 y"},
};

QSpinBox* byteSpinBox(QWidget* parent)
{
    auto* box = new QSpinBox(parent);
    box->setRange(0, std::numeric_limits<int>::max());
    box->setSuffix(QObject::tr(" bytes"));
    box->setAccelerated(true);
    return box;
}

QToolButton* toolButton(const QString& text, const QString& tip, QWidget* parent)
{
    auto* b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(tip);
    return b;
}

} // namespace

StridedEditor::StridedEditor(ScenarioDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document), m_axes(new AxisTableModel(document, this))
{
    createFormatField();
    createAxesBox();
    const BlockRows rows = createBlockFields();
    layOut(rows);
    connectEdits();
    connect(m_document, &ScenarioDocument::changed, this, &StridedEditor::refresh);
    refresh();
}

void StridedEditor::createFormatField()
{
    m_format = new QComboBox(this);
    m_format->setObjectName(QStringLiteral("formatBox"));
    m_format->setEditable(true);
    m_format->setInsertPolicy(QComboBox::NoInsert);
    for (const FormatChoice& f : kFormats)
        m_format->addItem(QString::fromLatin1(f.code));
    for (int i = 0; i < m_format->count(); ++i)
        m_format->setItemData(i, QString::fromLatin1(kFormats[i].meaning), Qt::ToolTipRole);
    m_format->setMinimumContentsLength(6);
    m_format->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_format->setToolTip(
        tr("The item format, in struct-module syntax: pick a common code or type any format"));
    m_formatNote = new QLabel(this);
    m_formatNote->setWordWrap(true);
}

// The axis table and its buttons: add, remove, move (a transpose), and C or Fortran strides.
void StridedEditor::createAxesBox()
{
    m_axisTable = new QTableView(this);
    m_axisTable->setObjectName(QStringLiteral("axisTable"));
    m_axisTable->setModel(m_axes);
    m_axisTable->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_axisTable->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_axisTable->verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    m_axisTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_axisTable->setSelectionMode(QAbstractItemView::SingleSelection);
    m_axisTable->setEditTriggers(QAbstractItemView::AllEditTriggers);
    m_axisTable->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_addAxis = toolButton(tr("Add"), tr("Add an axis (extent 2)"), this);
    m_removeAxis = toolButton(tr("Remove"), tr("Remove the selected axis"), this);
    m_axisUp =
        toolButton(QStringLiteral("↑"), tr("Move the selected axis up, with its stride (a transpose)"), this);
    m_axisDown = toolButton(QStringLiteral("↓"),
                            tr("Move the selected axis down, with its stride (a transpose)"), this);
    auto* cStrides =
        toolButton(tr("C strides"), tr("Row-major strides: the last axis steps by the itemsize"), this);
    cStrides->setObjectName(QStringLiteral("cStridesButton"));
    auto* fStrides =
        toolButton(tr("F strides"), tr("Column-major strides: the first axis steps by the itemsize"), this);
    fStrides->setObjectName(QStringLiteral("fStridesButton"));
    // Two short rows, so the dock can stay narrow: axes, then strides.
    auto* axisButtons = new QHBoxLayout;
    axisButtons->setContentsMargins(0, 0, 0, 0);
    axisButtons->setSpacing(2);
    for (QToolButton* b : {m_addAxis, m_removeAxis, m_axisUp, m_axisDown})
        axisButtons->addWidget(b);
    axisButtons->addStretch(1);
    auto* strideButtons = new QHBoxLayout;
    strideButtons->setContentsMargins(0, 0, 0, 0);
    strideButtons->setSpacing(2);
    strideButtons->addWidget(new QLabel(tr("Set strides:"), this));
    strideButtons->addWidget(cStrides);
    strideButtons->addWidget(fStrides);
    strideButtons->addStretch(1);
    m_axesBox = new QWidget(this);
    auto* axesLayout = new QVBoxLayout(m_axesBox);
    axesLayout->setContentsMargins(0, 0, 0, 0);
    axesLayout->setSpacing(3);
    axesLayout->addWidget(m_axisTable);
    axesLayout->addLayout(axisButtons);
    axesLayout->addLayout(strideButtons);

    connect(cStrides, &QToolButton::clicked, m_axes, &AxisTableModel::setCStrides);
    connect(fStrides, &QToolButton::clicked, m_axes, &AxisTableModel::setFortranStrides);
}

// Where buf sits, the block's size, the flags and the fill: the rows under the axes.
StridedEditor::BlockRows StridedEditor::createBlockFields()
{
    m_offset = byteSpinBox(this);
    m_offset->setObjectName(QStringLiteral("offsetBox"));
    // One step below 0 is "not given", so an explicit 0 stays distinct from it.
    m_offset->setMinimum(-1);
    m_offset->setSpecialValueText(tr("auto"));
    m_offset->setToolTip(tr("Where buf sits in the memory block. auto: the smallest offset that keeps every "
                            "element inside the block; a number is used as is"));
    m_memoryAutomatic = new QCheckBox(tr("automatic"), this);
    m_memoryAutomatic->setObjectName(QStringLiteral("memoryAutomatic"));
    m_memoryAutomatic->setToolTip(tr("The smallest block that holds every element"));
    m_memory = byteSpinBox(this);
    m_memory->setObjectName(QStringLiteral("memoryBox"));
    auto* memoryRow = new QHBoxLayout;
    memoryRow->setContentsMargins(0, 0, 0, 0);
    memoryRow->addWidget(m_memoryAutomatic);
    memoryRow->addWidget(m_memory, 1);
    m_readonly = new QCheckBox(tr("read-only"), this);
    m_readonly->setObjectName(QStringLiteral("readonlyBox"));
    m_indirect = new QCheckBox(tr("indirect (PIL suboffsets)"), this);
    m_indirect->setObjectName(QStringLiteral("indirectBox"));
    m_indirect->setToolTip(tr("Axis 0 goes through a table of row pointers"));
    auto* flags = new QHBoxLayout;
    flags->setContentsMargins(0, 0, 0, 0);
    flags->addWidget(m_readonly);
    flags->addWidget(m_indirect);
    flags->addStretch(1);
    m_fill = new QComboBox(this);
    m_fill->addItem(tr("index: element k holds k"), int(StridedSourceSpec::Fill::Index));
    m_fill->addItem(tr("bytes: byte k holds k"), int(StridedSourceSpec::Fill::Bytes));
    m_fill->addItem(tr("zero"), int(StridedSourceSpec::Fill::Zero));
    return {memoryRow, flags};
}

void StridedEditor::layOut(const BlockRows& rows)
{
    m_form = new QFormLayout;
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_form->addRow(tr("Item format"), m_format);
    m_form->addRow(QString(), m_formatNote);
    m_form->addRow(tr("Axes"), m_axesBox);
    m_form->addRow(tr("Offset of buf"), m_offset);
    m_form->addRow(tr("Memory"), rows.memory);
    m_form->addRow(QString(), rows.flags);
    m_form->addRow(tr("Fill"), m_fill);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addLayout(m_form);
    outer->addStretch(1); // spare height goes below the fields, not between them
}

// Every field edits the document's scenario through editSpec (one undo step each).
void StridedEditor::connectEdits()
{
    connect(m_format, &QComboBox::editTextChanged, this, [this](const QString& text) {
        editSpec(tr("Set the format to '%1'").arg(text), QStringLiteral("format"),
                 [&](StridedSourceSpec& s) { s.format = text.trimmed().toStdString(); });
    });
    connect(m_offset, &QSpinBox::valueChanged, this, [this](int value) {
        editSpec(value < 0 ? tr("Automatic offset") : tr("Set the offset to %1").arg(value),
                 QStringLiteral("offset"), [&](StridedSourceSpec& s) {
                     if (value < 0)
                         s.offset.reset();
                     else
                         s.offset = value;
                 });
    });
    connect(m_memoryAutomatic, &QCheckBox::toggled, this, [this](bool automatic) {
        editSpec(automatic ? tr("Automatic memory size") : tr("Set the memory size"), QString(),
                 [&](StridedSourceSpec& s) {
                     if (automatic)
                         s.memory.reset();
                     else // the size it had, as the starting point (the box shows it while automatic)
                         s.memory = automaticMemorySize().value_or(ByteCount(m_memory->value()));
                 });
    });
    connect(m_memory, &QSpinBox::valueChanged, this, [this](int value) {
        editSpec(tr("Set the memory size to %1").arg(value), QStringLiteral("memory"),
                 [&](StridedSourceSpec& s) { s.memory = value; });
    });
    connect(m_readonly, &QCheckBox::toggled, this, [this](bool on) {
        editSpec(on ? tr("Make read-only") : tr("Make writable"), QString(),
                 [&](StridedSourceSpec& s) { s.readonly = on; });
    });
    connect(m_indirect, &QCheckBox::toggled, this, [this](bool on) {
        editSpec(on ? tr("Make indirect") : tr("Make direct"), QString(), [&](StridedSourceSpec& s) {
            s.indirect = on;
            // The strides of a direct layout rarely suit a pointer table (and back): defaults do.
            s.strides.reset();
        });
    });
    connect(m_fill, &QComboBox::currentIndexChanged, this, [this](int index) {
        const auto fill = StridedSourceSpec::Fill(m_fill->itemData(index).toInt());
        editSpec(tr("Fill with %1").arg(QString::fromStdString(StridedSourceSpec::fillName(fill))), QString(),
                 [&](StridedSourceSpec& s) { s.fill = fill; });
    });
    connect(m_addAxis, &QToolButton::clicked, m_axes, &AxisTableModel::addAxis);
    connect(m_removeAxis, &QToolButton::clicked, this, [this] {
        const QModelIndex current = m_axisTable->currentIndex();
        m_axes->removeAxis(current.isValid() ? current.row() : m_axes->rowCount() - 1);
    });
    const auto move = [this](int delta) {
        const QModelIndex current = m_axisTable->currentIndex();
        if (!current.isValid())
            return;
        m_axes->moveAxis(current.row(), delta);
        m_axisTable->setCurrentIndex(m_axes->index(current.row() + delta, current.column()));
    };
    connect(m_axisUp, &QToolButton::clicked, this, [move] { move(-1); });
    connect(m_axisDown, &QToolButton::clicked, this, [move] { move(+1); });
    connect(m_axisTable->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &StridedEditor::updateAxisButtons);
    connect(m_axes, &QAbstractItemModel::modelReset, this, &StridedEditor::updateAxisButtons);
}

void StridedEditor::setMode(Mode mode)
{
    m_mode = mode;
    const bool full = mode != Mode::MemoryBlockOnly;
    for (QWidget* w : {static_cast<QWidget*>(m_format), static_cast<QWidget*>(m_formatNote), m_axesBox,
                       static_cast<QWidget*>(m_offset)})
        m_form->setRowVisible(w, full);
    m_indirect->setVisible(full);
    m_form->setRowVisible(m_fill, mode != Mode::CapturedLayout);
    setEnabled(mode != Mode::CapturedLayout);
}

void StridedEditor::editSpec(const QString& description, const QString& mergeKey,
                             const std::function<void(StridedSourceSpec&)>& change)
{
    Scenario scenario = m_document->scenario();
    change(scenario.strided);
    m_document->edit(scenario, description, mergeKey);
}

void StridedEditor::refresh()
{
    const StridedSourceSpec& spec = m_document->scenario().strided;
    const QString format = QString::fromStdString(spec.format);
    if (m_format->currentText().trimmed() != format) {
        const QSignalBlocker block(m_format);
        const int index = m_format->findText(format);
        if (index >= 0)
            m_format->setCurrentIndex(index);
        m_format->setEditText(format);
    }
    const auto setSpin = [](QSpinBox* box, qint64 value) {
        const int clamped = int(std::clamp<qint64>(value, box->minimum(), box->maximum()));
        if (box->value() != clamped) {
            const QSignalBlocker block(box);
            box->setValue(clamped);
        }
    };
    const auto setCheck = [](QCheckBox* box, bool on) {
        if (box->isChecked() != on) {
            const QSignalBlocker block(box);
            box->setChecked(on);
        }
    };
    setSpin(m_offset, spec.offset.value_or(m_offset->minimum()));
    setCheck(m_memoryAutomatic, !spec.memory.has_value());
    m_memory->setEnabled(spec.memory.has_value());
    if (spec.memory)
        setSpin(m_memory, *spec.memory);
    else if (const auto automatic = automaticMemorySize())
        setSpin(m_memory, qint64(std::min<ByteCount>(*automatic, ByteCount(m_memory->maximum()))));
    setCheck(m_readonly, spec.readonly);
    setCheck(m_indirect, spec.indirect);
    const int fill = m_fill->findData(int(spec.fill));
    if (fill >= 0 && fill != m_fill->currentIndex()) {
        const QSignalBlocker block(m_fill);
        m_fill->setCurrentIndex(fill);
    }
    updateFormatNote();
    updateAxisButtons();
}

std::optional<ByteCount> StridedEditor::automaticMemorySize() const
{
    StridedSourceSpec spec = m_document->scenario().strided;
    spec.memory.reset();
    try {
        return StridedBufferStorage::resolve(spec, SourceLimits{}).memorySize;
    } catch (const SourceError&) {
        return std::nullopt; // a refused layout has no automatic size
    }
}

void StridedEditor::updateFormatNote()
{
    std::string error;
    const auto format = ItemFormat::parse(m_document->scenario().strided.format, &error);
    QString note;
    if (!format) {
        note = QStringLiteral("<span style='color:#c0392b'>%1</span>")
                   .arg(QString::fromStdString(error).toHtmlEscaped());
    } else {
        QString meaning;
        for (const FormatChoice& f : kFormats)
            if (format->text() == f.code)
                meaning = QStringLiteral(": %1").arg(QString::fromLatin1(f.meaning));
        note = tr("itemsize %1%2").arg(format->itemSize()).arg(meaning.toHtmlEscaped());
    }
    m_formatNote->setText(note);
}

void StridedEditor::fitAxisTable()
{
    // As tall as its axes (two to eight rows shown), so the fields below stay in view.
    const int rows = std::clamp(m_axes->rowCount(), 2, 8);
    const int height = m_axisTable->horizontalHeader()->sizeHint().height() +
                       rows * m_axisTable->verticalHeader()->defaultSectionSize() +
                       2 * m_axisTable->frameWidth();
    m_axisTable->setFixedHeight(height);
}

void StridedEditor::updateAxisButtons()
{
    fitAxisTable();
    const int axes = m_axes->rowCount();
    const int current = m_axisTable->currentIndex().isValid() ? m_axisTable->currentIndex().row() : -1;
    m_removeAxis->setEnabled(axes > 0);
    m_axisUp->setEnabled(current > 0);
    m_axisDown->setEnabled(current >= 0 && current < axes - 1);
}

} // namespace stridescope
