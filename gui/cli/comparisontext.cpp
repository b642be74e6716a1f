#include "comparisontext.h"

#include "reporttext.h"

#include "gui/model/pythontext.h"
#include "pyhost/inspectionreport.h"

#include <QStringList>

namespace stridescope {

QString ComparisonText::heading(const QString& name) { return QStringLiteral("=== '%1' ===").arg(name); }

QString ComparisonText::render(const ComparisonReport& c)
{
    const QString a = QString::fromStdString(c.firstName), b = QString::fromStdString(c.secondName);
    QStringList out;
    out << "";
    if (c.second)
        out << heading(b) << ReportText::render(*c.second);
    out << QStringLiteral("Shares memory  '%1' and '%2'").arg(a, b);
    if (!c.notCompared.empty()) {
        out << "  not compared: " + QString::fromStdString(c.notCompared);
        return out.join('\n') + '\n';
    }
    switch (c.verdict) {
    case ViewPairOverlap::Verdict::Shared:
        out << QStringLiteral("  verdict   YES (np.shares_memory True): element %1 of '%2' and element %3 of '%4' share bytes")
                   .arg(PythonText::tuple(c.firstIndex), a, PythonText::tuple(c.secondIndex), b);
        break;
    case ViewPairOverlap::Verdict::Disjoint:
        out << QStringLiteral("  verdict   NO (np.shares_memory False): no byte is reached by both");
        break;
    case ViewPairOverlap::Verdict::Undecided:
        out << "  verdict   UNDECIDED: " + QString::fromStdString(c.undecided);
        break;
    }
    out << QStringLiteral("  ranges    %1 (np.may_share_memory %2)")
               .arg(c.rangesMeet ? QStringLiteral("meet") : QStringLiteral("apart"),
                    c.rangesMeet ? QStringLiteral("True") : QStringLiteral("False"));
    if (c.bothBytes)
        out << QStringLiteral("  bytes     %1 reached by both, %2 only by '%3', %4 only by '%5'")
                   .arg(*c.bothBytes)
                   .arg(*c.onlyFirstBytes)
                   .arg(a)
                   .arg(*c.onlySecondBytes)
                   .arg(b);
    else
        out << "  bytes     " + QString::fromStdString(c.notCounted);
    out << (c.sameBlock ? QStringLiteral("  memory    both point into the same block")
                        : QStringLiteral("  memory    '%1' points into another block, at memory %3 %4 of '%2'")
                              .arg(b, a, c.secondShift < 0 ? QStringLiteral("-") : QStringLiteral("+"))
                              .arg(qAbs(c.secondShift)));
    return out.join('\n') + '\n';
}

} // namespace stridescope
