#include "comparisonjson.h"

#include "reportjson.h"

#include "pyhost/inspectionreport.h"

#include <QJsonArray>

namespace stridescope {

namespace {

QJsonArray indexArray(const std::vector<Extent>& index)
{
    QJsonArray out;
    for (Extent i : index)
        out.append(double(i));
    return out;
}

QJsonValue count(const std::optional<ByteCount>& n)
{
    return n ? QJsonValue(double(*n)) : QJsonValue::Null;
}

} // namespace

QJsonObject ComparisonJson::toObject(const ComparisonReport& c)
{
    QJsonObject o;
    o["first"] = QString::fromStdString(c.firstName);
    o["second"] = QString::fromStdString(c.secondName);
    o["second_report"] = c.second ? QJsonValue(ReportJson::toObject(*c.second)) : QJsonValue::Null;
    const bool compared = c.notCompared.empty();
    o["not_compared"] = compared ? QJsonValue::Null : QJsonValue(QString::fromStdString(c.notCompared));
    // np.shares_memory: null when not compared or undecided (then `undecided` says why).
    o["shares_memory"] = !compared || c.verdict == ViewPairOverlap::Verdict::Undecided
                             ? QJsonValue::Null
                             : QJsonValue(c.verdict == ViewPairOverlap::Verdict::Shared);
    o["verdict"] = compared ? QJsonValue(QString::fromLatin1(ViewPairOverlap::verdictName(c.verdict)))
                            : QJsonValue::Null;
    o["undecided"] = c.undecided.empty() ? QJsonValue::Null : QJsonValue(QString::fromStdString(c.undecided));
    o["may_share_memory"] = compared ? QJsonValue(c.rangesMeet) : QJsonValue::Null;
    if (compared && c.verdict == ViewPairOverlap::Verdict::Shared) {
        QJsonObject witness;
        witness["first"] = indexArray(c.firstIndex);
        witness["second"] = indexArray(c.secondIndex);
        o["witness"] = witness;
    } else {
        o["witness"] = QJsonValue::Null;
    }
    QJsonObject bytes;
    bytes["both"] = count(c.bothBytes);
    bytes["only_first"] = count(c.onlyFirstBytes);
    bytes["only_second"] = count(c.onlySecondBytes);
    o["bytes"] = compared && c.bothBytes ? QJsonValue(bytes) : QJsonValue::Null;
    o["not_counted"] =
        c.notCounted.empty() ? QJsonValue::Null : QJsonValue(QString::fromStdString(c.notCounted));
    o["same_block"] = compared ? QJsonValue(c.sameBlock) : QJsonValue::Null;
    o["second_memory_offset"] = compared ? QJsonValue(double(c.secondShift)) : QJsonValue::Null;
    return o;
}

} // namespace stridescope
