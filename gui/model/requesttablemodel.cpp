#include "requesttablemodel.h"

#include "gui/painting/pythontext.h"

#include <algorithm>

namespace stridescope {

RequestTableModel::RequestTableModel(QObject* parent)
    : QAbstractTableModel(parent), m_difference(255, 196, 0, 110), m_error(0xc6, 0x28, 0x28)
{
}

void RequestTableModel::setReport(std::shared_ptr<const InspectionReport> report)
{
    beginResetModel();
    m_report = std::move(report);
    m_differences.clear();
    if (m_report) {
        const RequestOutcome* full = reference();
        for (const RequestOutcome& o : m_report->requests)
            m_differences.push_back(full && full != &o ? o.differencesFrom(*full)
                                                       : std::vector<std::string>{});
    }
    endResetModel();
}

void RequestTableModel::setColours(const QColor& difference, const QColor& error)
{
    m_difference = difference;
    m_error = error;
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

const RequestOutcome* RequestTableModel::reference() const
{
    for (const RequestOutcome& o : m_report->requests)
        if (o.request.name == BufferRequest::referenceName)
            return &o;
    return nullptr;
}

int RequestTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !m_report ? 0 : int(m_report->requests.size());
}

int RequestTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

const char* RequestTableModel::fieldOf(int column)
{
    switch (column) {
    case AnswerColumn:
        return "outcome";
    case ReadonlyColumn:
        return "readonly";
    case NdimColumn:
        return "ndim";
    case FormatColumn:
        return "format";
    case ShapeColumn:
        return "shape";
    case StridesColumn:
        return "strides";
    case SuboffsetsColumn:
        return "suboffsets";
    case LenColumn:
        return "len";
    case BufColumn:
        return "buf";
    default:
        return "";
    }
}

ConformanceVerdict::Result RequestTableModel::verdictOf(const RequestOutcome& o)
{
    return o.broken()      ? ConformanceVerdict::Result::Fail
           : o.undecided() ? ConformanceVerdict::Result::Undecided
                           : ConformanceVerdict::Result::Pass;
}

QString RequestTableModel::text(const RequestOutcome& o, int column) const
{
    const auto unreadable = [&o](const char* field) {
        return std::find(o.unreadable.begin(), o.unreadable.end(), field) != o.unreadable.end();
    };
    const auto array = [&](const char* field, const std::optional<std::vector<std::int64_t>>& values) {
        return unreadable(field) ? tr("unreadable") : PythonText::tuple(values);
    };
    switch (column) {
    case RequestColumn:
        return QString::fromStdString(o.request.name);
    case AnswerColumn:
        if (!o.raised())
            return tr("view");
        if (o.errorReturnedWithoutException)
            return tr("-1, no exception");
        // The type only: the table stays narrow enough for the dock; the message is in the
        // tooltip and the detail pane.
        return QString::fromStdString(o.errorType);
    case RefcountColumn:
        return o.raised() ? QStringLiteral("%1 \u2192 %2").arg(o.refcountBefore).arg(o.refcountAfter)
                          : QStringLiteral("%1 \u2192 %2 \u2192 %3")
                                .arg(o.refcountBefore)
                                .arg(o.refcountHeld)
                                .arg(o.refcountAfter);
    case VerdictColumn: {
        QStringList failed;
        int undecided = 0;
        for (const ConformanceVerdict& v : o.verdicts) {
            if (v.result == ConformanceVerdict::Result::Fail)
                failed << QString::fromStdString(v.rule);
            undecided += v.result == ConformanceVerdict::Result::Undecided;
        }
        QString out =
            failed.isEmpty() ? tr("conforms") : tr("FAIL %1").arg(failed.join(QStringLiteral(", ")));
        if (undecided)
            out += tr("; %n undecided", nullptr, undecided);
        return out;
    }
    default:
        break;
    }
    if (o.raised())
        return {};
    const ExportedBuffer& v = *o.view;
    switch (column) {
    case ReadonlyColumn:
        return v.readonly ? tr("read-only") : tr("writable");
    case NdimColumn:
        return QString::number(v.ndim);
    case FormatColumn:
        return unreadable("format") ? tr("unreadable")
               : v.format ? QLatin1Char('\'') + QString::fromStdString(*v.format) + QLatin1Char('\'')
                          : QStringLiteral("NULL");
    case ShapeColumn:
        return array("shape", v.shape);
    case StridesColumn:
        return array("strides", v.strides);
    case SuboffsetsColumn:
        return array("suboffsets", v.suboffsets);
    case LenColumn:
        return QString::number(v.len);
    case BufColumn:
        return o.bufOffset ? QStringLiteral("+%1").arg(*o.bufOffset)
                           : QStringLiteral("0x%1").arg(v.buf, 0, 16);
    default:
        return {};
    }
}

QVariant RequestTableModel::data(const QModelIndex& index, int role) const
{
    if (!m_report || !index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const RequestOutcome& o = m_report->requests[std::size_t(index.row())];
    const std::vector<std::string>& differs = m_differences[std::size_t(index.row())];
    const char* field = fieldOf(index.column());
    const bool differsHere =
        *field && std::find(differs.begin(), differs.end(), std::string(field)) != differs.end();
    const ConformanceVerdict::Result verdict = verdictOf(o);
    switch (role) {
    case Qt::DisplayRole:
        return text(o, index.column());
    case DiffersRole:
        return differsHere;
    case VerdictRole:
        return int(verdict);
    case Qt::BackgroundRole:
        return differsHere ? QVariant(m_difference) : QVariant();
    case Qt::ForegroundRole:
        if (verdict == ConformanceVerdict::Result::Fail &&
            (index.column() == VerdictColumn || index.column() == RequestColumn))
            return m_error;
        return {};
    case Qt::ToolTipRole: {
        if (index.column() == VerdictColumn) {
            QStringList lines;
            for (const ConformanceVerdict& v : o.verdicts)
                if (v.result != ConformanceVerdict::Result::Pass)
                    lines << QStringLiteral("%1 %2: %3\n\u201c%4\u201d")
                                 .arg(QString::fromStdString(ConformanceVerdict::resultName(v.result))
                                          .toUpper(),
                                      QString::fromStdString(v.rule), QString::fromStdString(v.detail),
                                      QString::fromStdString(v.quote));
            return lines.isEmpty() ? tr("Every rule checked holds.") : lines.join(QStringLiteral("\n\n"));
        }
        if (index.column() == AnswerColumn && o.raised() && !o.errorMessage.empty())
            return QString::fromStdString(o.errorType + ": " + o.errorMessage);
        if (differsHere)
            return tr("Differs from the PyBUF_FULL_RO view");
        return {};
    }
    default:
        return {};
    }
}

QVariant RequestTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole || orientation != Qt::Horizontal)
        return QAbstractTableModel::headerData(section, orientation, role);
    static const char* const names[ColumnCount] = {"request", "answer", "readonly", "ndim",
                                                   "format",  "shape",  "strides",  "suboffsets",
                                                   "len",     "buf",    "refs",     "verdict"};
    return section >= 0 && section < ColumnCount ? QString::fromLatin1(names[section]) : QVariant();
}

} // namespace stridescope
