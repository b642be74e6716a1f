#include "requestoutcome.h"

namespace stridescope {

std::vector<std::string> RequestOutcome::differencesFrom(const RequestOutcome& reference) const
{
    if (raised() != reference.raised())
        return {"outcome"};
    if (raised())
        return {};
    const ExportedBuffer& a = *view;
    const ExportedBuffer& b = *reference.view;
    std::vector<std::string> fields;
    const auto differs = [&fields](bool d, const char* name) {
        if (d)
            fields.emplace_back(name);
    };
    differs(a.buf != b.buf, "buf");
    differs(a.len != b.len, "len");
    differs(a.itemSize != b.itemSize, "itemsize");
    differs(a.readonly != b.readonly, "readonly");
    differs(a.ndim != b.ndim, "ndim");
    differs(a.format != b.format, "format");
    differs(a.shape != b.shape, "shape");
    differs(a.strides != b.strides, "strides");
    differs(a.suboffsets != b.suboffsets, "suboffsets");
    differs(obj != reference.obj || objType != reference.objType, "obj");
    return fields;
}

bool RequestOutcome::broken() const
{
    for (const ConformanceVerdict& v : verdicts)
        if (v.result == ConformanceVerdict::Result::Fail)
            return true;
    return false;
}

bool RequestOutcome::undecided() const
{
    for (const ConformanceVerdict& v : verdicts)
        if (v.result == ConformanceVerdict::Result::Undecided)
            return true;
    return false;
}

} // namespace stridescope
