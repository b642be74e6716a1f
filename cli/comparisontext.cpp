#include "comparisontext.h"

#include "textreport.h"

#include "gui/painting/comparisonsummary.h"
#include "pyhost/inspectionreport.h"

#include <QStringList>

namespace stridescope {

QString ComparisonText::heading(const QString& name)
{
    return QStringLiteral("=== '%1' ===").arg(name);
}

QString ComparisonText::render(const ComparisonReport& c)
{
    const QString a = QString::fromStdString(c.firstName), b = QString::fromStdString(c.secondName);
    QStringList out;
    out << "";
    if (c.second)
        out << heading(b) << TextReport::render(*c.second);
    out << QStringLiteral("Shares memory  '%1' and '%2'").arg(a, b);
    if (!c.notCompared.empty()) {
        out << "  " + ComparisonSummary::verdict(c);
        return out.join('\n') + '\n';
    }
    out << "  verdict   " + ComparisonSummary::verdict(c);
    out << "  ranges    " + ComparisonSummary::ranges(c);
    out << "  bytes     " + ComparisonSummary::bytes(c);
    out << "  memory    " + ComparisonSummary::memory(c);
    return out.join('\n') + '\n';
}

} // namespace stridescope
