#include "inspectionstate.h"

#include "gui/painting/reportdata.h"

namespace stridescope {

std::shared_ptr<const InspectionReport> InspectionState::report() const
{
    return m_data ? m_data->sharedReport() : nullptr;
}

std::shared_ptr<const InspectionReport> InspectionState::drawnReport() const
{
    const auto drawn = drawnData();
    return drawn ? drawn->sharedReport() : nullptr;
}

} // namespace stridescope
