#pragma once

#include "core/stridedlayout.h"

#include <QString>

namespace stridescope {

// Where an element lives, as the sum a learner would write: "offset = 0 + 2·8 + 1·2 = 18".
// Shown in the status bar while the user hovers an element.
class OffsetFormula
{
public:
    OffsetFormula() = delete;

    // "[2, 1]"
    static QString indexText(const std::vector<Extent>& index);
    // The formula for the element at C-order position `element`; empty when it has no offset.
    static QString forElement(const StridedLayout& layout, ElementIndex element);
    // Which elements (C-order positions) reach byte `byte`, at most `limit` of them.
    static std::vector<ElementIndex> elementsAtByte(const StridedLayout& layout, ByteOffset byte,
                                                    std::size_t limit = 8);
};

} // namespace stridescope
