#pragma once

#include "core/units.h"

#include <QAbstractTableModel>

#include <vector>

namespace stridescope {

class ScenarioDocument;

// The axes of a strided source as a table (one row per axis: extent, stride in bytes) over the
// document: reading shows the scenario, writing makes an undoable edit. Strides the scenario leaves
// to their default (C order) are shown in their computed values, marked as defaults.
class AxisTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        ExtentColumn,
        StrideColumn,
        ColumnCount
    };
    enum Role
    {
        IsDefaultStrideRole = Qt::UserRole + 1
    };

    explicit AxisTableModel(ScenarioDocument* document, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;

    // Axis edits, each one undoable step.
    void addAxis();
    void removeAxis(int axis);
    // Moves an axis with its stride (a transpose: the elements keep their bytes).
    void moveAxis(int axis, int delta);
    void setCStrides();
    void setFortranStrides();

    // The strides the source will have: the scenario's, or the defaults its exporter fills in.
    std::vector<ByteOffset> effectiveStrides() const;
    ByteCount itemSize() const;

private:
    void setOrderedStrides(char order);
    void documentChanged();

    ScenarioDocument* m_document = nullptr;
    int m_rows = 0;
};

} // namespace stridescope
