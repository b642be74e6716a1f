#pragma once

#include "pyhost/inspectionreport.h"

#include <memory>

namespace stridescope {

// A report prepared for drawing, built once per report and shared by every painter.
class ReportData
{
public:
    explicit ReportData(std::shared_ptr<const InspectionReport> report);

    const InspectionReport& report() const { return *m_report; }
    std::shared_ptr<const InspectionReport> sharedReport() const { return m_report; }

private:
    std::shared_ptr<const InspectionReport> m_report;
};

} // namespace stridescope
