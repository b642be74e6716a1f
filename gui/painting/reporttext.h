#pragma once

#include "reportdata.h"

#include "core/copysteps.h"

#include <QString>

#include <vector>

namespace stridescope {

// A prepared report in words: the numbers as the pictures write them, the offset formula of an
// element, and the status line's sentence about what the mouse points at.
class ReportText
{
public:
    explicit ReportText(const ReportData& data) : m_data(data) {}

    static QString indexText(const std::vector<Extent>& index); // "[2, 1]"
    static QString offsetText(ByteOffset offset);               // "+0x0012"
    static QString countText(qint64 count);                     // "16,777,216"
    // The caption of one step of the copy, in the player and in the exported steps: "step 3 of 12 ·
    // element [0, 2]: source offset 4 → result offset 8".
    static QString stepCaption(const CopySteps::Step& step, ElementIndex count);

    QString formatText() const; // "'h', itemsize 2"
    // "offset = 0 + 2·8 + 1·2 = 18" (bufOffset + sum of index times stride).
    QString offsetFormula(ElementIndex element) const;
    // What byte `byteInItem` of an item is, in words: "field b (d, float64) bytes 8–15",
    // "padding bytes 2–7"; empty when the item has no parts to tell apart.
    QString placeText(ByteOffset byteInItem) const;
    // One status-bar line for what the target points at.
    QString describe(const HighlightModel::Target& target) const;

private:
    const ReportData& m_data;
};

} // namespace stridescope
