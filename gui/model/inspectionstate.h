#pragma once

#include "gui/supervisor/inspectionfailure.h"
#include "pyhost/inspectionreport.h"

#include <QObject>

#include <memory>
#include <optional>

namespace stridescope {

class ReportData;

// The one model every view draws: the newest inspection report (immutable, shared) prepared for
// drawing, or why the source could not be built, and whether an inspection is running. Lives on
// the GUI thread.
class InspectionState : public QObject
{
    Q_OBJECT

public:
    using Failure = InspectionFailure;

    explicit InspectionState(QObject* parent = nullptr) : QObject(parent) {}

    std::shared_ptr<const InspectionReport> report() const;
    // The report with what its views draw from, made once for all of them (the window makes it on a
    // pool thread: InspectionController's preparation); nullptr without a report.
    std::shared_ptr<const ReportData> reportData() const { return m_data; }
    // The report the pictures draw: the inspection's, or the view one request of the matrix
    // returned (RequestViewReport), chosen in the Requests tab. A new report or failure draws the
    // inspection's own again.
    std::shared_ptr<const InspectionReport> drawnReport() const;
    std::shared_ptr<const ReportData> drawnData() const { return m_drawn ? m_drawn : m_data; }
    void setDrawnData(std::shared_ptr<const ReportData> drawn)
    {
        if (drawn == m_data)
            drawn = nullptr;
        if (drawn == m_drawn)
            return;
        m_drawn = std::move(drawn);
        emit changed();
    }
    const std::optional<Failure>& failure() const { return m_failure; }
    bool isBusy() const { return m_busy; }

    void setReport(std::shared_ptr<const ReportData> report)
    {
        m_data = std::move(report);
        m_drawn = nullptr;
        m_failure.reset();
        emit changed();
    }
    void setFailure(Failure failure)
    {
        m_failure = std::move(failure);
        m_drawn = nullptr;
        emit changed();
    }
    void setBusy(bool busy)
    {
        if (busy == m_busy)
            return;
        m_busy = busy;
        emit busyChanged(busy);
    }

signals:
    void changed();
    void busyChanged(bool busy);

private:
    std::shared_ptr<const ReportData> m_data;
    std::shared_ptr<const ReportData> m_drawn;
    std::optional<Failure> m_failure;
    bool m_busy = false;
};

} // namespace stridescope
