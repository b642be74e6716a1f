#pragma once

#include "pyhost/inspectionreport.h"

#include <QAbstractTableModel>
#include <QColor>

#include <memory>

namespace stridescope {

// The request matrix of a report as a table: one row per standard request (BufferRequest::standard),
// what the exporter returned (every Py_buffer field) or raised, its reference counts and the
// conformance verdict. A field that differs from the PyBUF_FULL_RO view's has the difference colour
// behind it; a request that broke a rule has its verdict in the error colour, the rules it broke
// quoted in the tooltip.
class RequestTableModel final : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        RequestColumn,
        AnswerColumn,
        ReadonlyColumn,
        NdimColumn,
        FormatColumn,
        ShapeColumn,
        StridesColumn,
        SuboffsetsColumn,
        LenColumn,
        BufColumn,
        RefcountColumn,
        VerdictColumn,
        ColumnCount
    };
    enum Role
    {
        DiffersRole = Qt::UserRole + 1, // bool: this field differs from the PyBUF_FULL_RO view's
        VerdictRole // ConformanceVerdict::Result of the row (Fail over Undecided over Pass)
    };

    explicit RequestTableModel(QObject* parent = nullptr);

    void setReport(std::shared_ptr<const InspectionReport> report);
    const InspectionReport* report() const { return m_report.get(); }
    std::shared_ptr<const InspectionReport> sharedReport() const { return m_report; }
    // The colours of differences and of broken rules (the window's theme).
    void setColours(const QColor& difference, const QColor& error);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // The name of the field a column shows, as RequestOutcome::differencesFrom names it ("" for none).
    static const char* fieldOf(int column);
    // A row's worst verdict.
    static ConformanceVerdict::Result verdictOf(const RequestOutcome& outcome);

private:
    QString text(const RequestOutcome& o, int column) const;
    const RequestOutcome* reference() const;

    std::shared_ptr<const InspectionReport> m_report;
    std::vector<std::vector<std::string>> m_differences; // per row, from differencesFrom
    QColor m_difference;
    QColor m_error;
};

} // namespace stridescope
