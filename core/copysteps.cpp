#include "copysteps.h"

namespace stridescope {

CopySteps::CopySteps(StridedLayout source, StridedLayout result)
    : m_map(CopyMap(std::move(source), std::move(result)))
{
}

CopySteps::Step CopySteps::at(ElementIndex k) const
{
    // copy_rec's loops nest like the digits of k in the source's shape: the CopyMap's C-order
    // element k is the element copy_rec reaches at step k.
    const CopyMap::Entry entry = m_map->at(k);
    Step step;
    step.step = k;
    step.index = m_map->source().unravel(k);
    step.source = entry.source;
    step.result = entry.destination;
    step.itemSize = m_map->source().itemSize();
    return step;
}

} // namespace stridescope
