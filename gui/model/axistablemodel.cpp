#include "axistablemodel.h"

#include "core/itemformat.h"
#include "core/stridedlayout.h"
#include "pyhost/stridedbufferstorage.h"
#include "scenariodocument.h"

#include <QFont>

#include <limits>

namespace stridescope {

namespace {

constexpr ByteCount kPointerSize = sizeof(void*);

} // namespace

AxisTableModel::AxisTableModel(ScenarioDocument* document, QObject* parent)
    : QAbstractTableModel(parent), m_document(document),
      m_rows(int(document->scenario().strided.shape.size()))
{
    connect(m_document, &ScenarioDocument::changed, this, &AxisTableModel::documentChanged);
}

ByteCount AxisTableModel::itemSize() const
{
    const auto format = ItemFormat::parse(m_document->scenario().strided.format);
    return format ? std::max<ByteCount>(format->itemSize(), 1) : 1;
}

std::vector<ByteOffset> AxisTableModel::effectiveStrides() const
{
    const StridedSourceSpec& spec = m_document->scenario().strided;
    if (spec.strides && spec.strides->size() == spec.shape.size())
        return *spec.strides;
    return StridedBufferStorage::defaultStrides(spec.shape, itemSize(), spec.indirect);
}

int AxisTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

int AxisTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AxisTableModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const StridedSourceSpec& spec = m_document->scenario().strided;
    const auto axis = std::size_t(index.row());
    if (axis >= spec.shape.size())
        return {};
    const bool defaultStride = !spec.strides || spec.strides->size() != spec.shape.size();
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole: {
        const qlonglong value = index.column() == ExtentColumn ? spec.shape[axis] : effectiveStrides()[axis];
        // An int gets a spin box from the default delegate; huge values fall back to text.
        if (role == Qt::EditRole && value >= std::numeric_limits<int>::min() &&
            value <= std::numeric_limits<int>::max())
            return int(value);
        return value;
    }
    case Qt::TextAlignmentRole:
        return int(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::FontRole:
        if (index.column() == StrideColumn && defaultStride) {
            QFont italic;
            italic.setItalic(true);
            return italic;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == ExtentColumn)
            return tr("How many elements axis %1 has (0 makes the buffer empty)").arg(axis);
        return defaultStride
                   ? tr("Default stride (C order): edit it to set every stride explicitly")
                   : tr("Bytes from one element to the next along axis %1 (may be negative or 0)").arg(axis);
    case IsDefaultStrideRole:
        return index.column() == StrideColumn && defaultStride;
    default:
        return {};
    }
}

QVariant AxisTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return {};
    if (orientation == Qt::Vertical)
        return tr("axis %1").arg(section);
    return section == ExtentColumn ? tr("Extent") : tr("Stride (bytes)");
}

Qt::ItemFlags AxisTableModel::flags(const QModelIndex& index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable;
}

bool AxisTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (role != Qt::EditRole ||
        !checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    bool ok = false;
    const qlonglong number = value.toLongLong(&ok);
    if (!ok)
        return false;
    Scenario scenario = m_document->scenario();
    StridedSourceSpec& spec = scenario.strided;
    const auto axis = std::size_t(index.row());
    if (index.column() == ExtentColumn) {
        if (number < 0)
            return false;
        spec.shape[axis] = number;
        m_document->edit(scenario, tr("Set the extent of axis %1 to %2").arg(axis).arg(number),
                         QStringLiteral("extent:%1").arg(axis));
    } else {
        spec.strides = effectiveStrides();
        (*spec.strides)[axis] = number;
        m_document->edit(scenario, tr("Set the stride of axis %1 to %2").arg(axis).arg(number),
                         QStringLiteral("stride:%1").arg(axis));
    }
    return true;
}

void AxisTableModel::addAxis()
{
    Scenario scenario = m_document->scenario();
    StridedSourceSpec& spec = scenario.strided;
    if (spec.strides && spec.strides->size() == spec.shape.size()) {
        // A new outermost-in-memory axis: it steps over everything the others reach, so no
        // element lands on another's bytes.
        StridedLayout layout(itemSize(), spec.shape, *spec.strides);
        const auto extent = layout.extent();
        spec.strides->push_back(extent ? extent->end - extent->first : itemSize());
    } else {
        spec.strides.reset();
    }
    spec.shape.push_back(2);
    m_document->edit(scenario, tr("Add axis %1").arg(spec.shape.size() - 1));
}

void AxisTableModel::removeAxis(int axis)
{
    Scenario scenario = m_document->scenario();
    StridedSourceSpec& spec = scenario.strided;
    if (axis < 0 || std::size_t(axis) >= spec.shape.size())
        return;
    if (spec.strides && spec.strides->size() == spec.shape.size())
        spec.strides->erase(spec.strides->begin() + axis);
    else
        spec.strides.reset();
    spec.shape.erase(spec.shape.begin() + axis);
    m_document->edit(scenario, tr("Remove axis %1").arg(axis));
}

void AxisTableModel::moveAxis(int axis, int delta)
{
    Scenario scenario = m_document->scenario();
    StridedSourceSpec& spec = scenario.strided;
    const int to = axis + delta;
    if (axis < 0 || to < 0 || std::size_t(axis) >= spec.shape.size() || std::size_t(to) >= spec.shape.size())
        return;
    spec.strides = effectiveStrides();
    std::swap(spec.shape[std::size_t(axis)], spec.shape[std::size_t(to)]);
    std::swap((*spec.strides)[std::size_t(axis)], (*spec.strides)[std::size_t(to)]);
    m_document->edit(scenario, tr("Swap axes %1 and %2").arg(axis).arg(to));
}

void AxisTableModel::setCStrides()
{
    setOrderedStrides('C');
}

void AxisTableModel::setFortranStrides()
{
    setOrderedStrides('F');
}

void AxisTableModel::setOrderedStrides(char order)
{
    Scenario scenario = m_document->scenario();
    StridedSourceSpec& spec = scenario.strided;
    const auto ordered = [&](const std::vector<Extent>& shape) {
        return order == 'C' ? StridedLayout::cStrides(shape, itemSize())
                            : StridedLayout::fortranStrides(shape, itemSize());
    };
    if (spec.indirect && !spec.shape.empty()) {
        // Axis 0 steps through the pointer table; the order applies to the rows.
        const auto inner = ordered(std::vector<Extent>(spec.shape.begin() + 1, spec.shape.end()));
        spec.strides = std::vector<ByteOffset>{kPointerSize};
        spec.strides->insert(spec.strides->end(), inner.begin(), inner.end());
    } else {
        spec.strides = ordered(spec.shape);
    }
    m_document->edit(scenario, order == 'C' ? tr("C strides") : tr("Fortran strides"));
}

void AxisTableModel::documentChanged()
{
    const int rows = int(m_document->scenario().strided.shape.size());
    if (rows != m_rows) {
        // Rows appear or go: a reset is honest, and the table is tiny.
        beginResetModel();
        m_rows = rows;
        endResetModel();
        return;
    }
    // Same axes: keep the view's current cell (Tab from extent to stride keeps working).
    if (m_rows > 0)
        emit dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1));
}

} // namespace stridescope
