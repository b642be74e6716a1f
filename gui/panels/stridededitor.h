#pragma once

#include "pyhost/stridedsourcespec.h"

#include <QWidget>

#include <functional>
#include <optional>

class QCheckBox;
class QComboBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QSpinBox;
class QTableView;
class QToolButton;

namespace stridescope {

class AxisTableModel;
class ScenarioDocument;

// The fields of a hand-made buffer (StridedSourceSpec): item format, axes with extents and strides,
// offset, memory size, read-only, indirect, fill. Every change is an undoable document edit;
// typing in one field merges into one undo step.
class StridedEditor final : public QWidget
{
    Q_OBJECT

public:
    // FromMemory uses only the block (size, read-only, fill): the other fields are hidden. A
    // snapshot's layout is shown but cannot be edited (its captured bytes belong to it), and it has
    // no fill.
    enum class Mode
    {
        FullLayout,
        MemoryBlockOnly,
        CapturedLayout
    };

    explicit StridedEditor(ScenarioDocument* document, QWidget* parent = nullptr);

    void setMode(Mode mode);
    AxisTableModel* axisModel() const { return m_axes; }
    QTableView* axisTable() const { return m_axisTable; }
    QComboBox* formatBox() const { return m_format; }

private:
    // The rows of the form under the axes that are layouts, not fields.
    struct BlockRows
    {
        QHBoxLayout* memory = nullptr;
        QHBoxLayout* flags = nullptr;
    };
    // The constructor's steps.
    void createFormatField();
    void createAxesBox();
    BlockRows createBlockFields();
    void layOut(const BlockRows& rows);
    void connectEdits();

    void refresh();
    void editSpec(const QString& description, const QString& mergeKey,
                  const std::function<void(StridedSourceSpec&)>& change);
    void updateFormatNote();
    // The smallest block that holds every element, as the exporter works it out; none when refused.
    std::optional<ByteCount> automaticMemorySize() const;
    void updateAxisButtons();
    void fitAxisTable();

    ScenarioDocument* m_document = nullptr;
    AxisTableModel* m_axes = nullptr;
    QFormLayout* m_form = nullptr;
    QComboBox* m_format = nullptr;
    QLabel* m_formatNote = nullptr;
    QWidget* m_axesBox = nullptr;
    QTableView* m_axisTable = nullptr;
    QToolButton* m_addAxis = nullptr;
    QToolButton* m_removeAxis = nullptr;
    QToolButton* m_axisUp = nullptr;
    QToolButton* m_axisDown = nullptr;
    QSpinBox* m_offset = nullptr;
    QCheckBox* m_memoryAutomatic = nullptr;
    QSpinBox* m_memory = nullptr;
    QCheckBox* m_readonly = nullptr;
    QCheckBox* m_indirect = nullptr;
    QComboBox* m_fill = nullptr;
    Mode m_mode = Mode::FullLayout;
};

} // namespace stridescope
