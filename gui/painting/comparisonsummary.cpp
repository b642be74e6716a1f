#include "comparisonsummary.h"

#include "pythontext.h"

namespace stridescope {

namespace {

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

} // namespace

QString ComparisonSummary::verdict(const ComparisonReport& c)
{
    if (!c.notCompared.empty())
        return QStringLiteral("not compared: ") + q(c.notCompared);
    switch (c.verdict) {
    case ViewPairOverlap::Verdict::Shared:
        return QStringLiteral(
                   "YES (np.shares_memory True): element %1 of '%2' and element %3 of '%4' share bytes")
            .arg(PythonText::tuple(c.firstIndex), q(c.firstName), PythonText::tuple(c.secondIndex),
                 q(c.secondName));
    case ViewPairOverlap::Verdict::Disjoint:
        return QStringLiteral("NO (np.shares_memory False): no byte is reached by both");
    case ViewPairOverlap::Verdict::Undecided:
        return QStringLiteral("UNDECIDED: ") + q(c.undecided);
    }
    return {};
}

QString ComparisonSummary::ranges(const ComparisonReport& c)
{
    return QStringLiteral("%1 (np.may_share_memory %2)")
        .arg(c.rangesMeet ? QStringLiteral("meet") : QStringLiteral("apart"),
             c.rangesMeet ? QStringLiteral("True") : QStringLiteral("False"));
}

QString ComparisonSummary::bytes(const ComparisonReport& c)
{
    if (!c.bothBytes)
        return q(c.notCounted);
    return QStringLiteral("%1 reached by both, %2 only by '%3', %4 only by '%5'")
        .arg(*c.bothBytes)
        .arg(*c.onlyFirstBytes)
        .arg(q(c.firstName))
        .arg(*c.onlySecondBytes)
        .arg(q(c.secondName));
}

QString ComparisonSummary::memory(const ComparisonReport& c)
{
    if (c.sameBlock)
        return QStringLiteral("both point into the same block");
    return QStringLiteral("'%1' points into another block, at memory %3 %4 of '%2'")
        .arg(q(c.secondName), q(c.firstName), c.secondShift < 0 ? QStringLiteral("-") : QStringLiteral("+"))
        .arg(qAbs(c.secondShift));
}

} // namespace stridescope
