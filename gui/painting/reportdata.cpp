#include "reportdata.h"

namespace stridescope {

ReportData::ReportData(std::shared_ptr<const InspectionReport> report) : m_report(std::move(report)) {}

} // namespace stridescope
