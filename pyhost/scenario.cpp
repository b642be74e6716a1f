#include "scenario.h"

namespace stridescope {

std::string Scenario::kindName(SourceKind kind)
{
    switch (kind) {
    case SourceKind::Strided: return "strided";
    case SourceKind::Python: return "python";
    case SourceKind::Memory: return "memory";
    }
    return "strided";
}

} // namespace stridescope
