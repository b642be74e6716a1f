#include "requestspanel.h"

#include "core/conformancecheck.h"
#include "gui/model/inspectionstate.h"
#include "gui/model/requesttablemodel.h"
#include "gui/model/requestviewreport.h"
#include "gui/painting/pythontext.h"
#include "gui/painting/reportdata.h"
#include "gui/style/theme.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QScrollBar>
#include <QSplitter>
#include <QTableView>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace stridescope {

namespace {

QString esc(const std::string& text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

} // namespace

RequestsPanel::RequestsPanel(InspectionState* state, QWidget* parent)
    : QWidget(parent), m_state(state), m_model(new RequestTableModel(this)),
      m_error(QColor(0xc6, 0x28, 0x28).name())
{
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("requestsSummary"));
    m_summary->setWordWrap(true);
    m_table = new QTableView(this);
    m_table->setObjectName(QStringLiteral("requestsTable"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(false); // the difference colour must stand out alone
    m_detail = new QTextBrowser(this);
    m_detail->setObjectName(QStringLiteral("requestDetail"));
    m_detail->setOpenLinks(false);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->setChildrenCollapsible(false);
    split->addWidget(m_table);
    split->addWidget(m_detail);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addWidget(m_summary);
    layout->addWidget(split, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { rowChosen(current.isValid() ? current.row() : -1); });
    connect(m_state, &InspectionState::changed, this, &RequestsPanel::stateChanged);
    stateChanged();
}

void RequestsPanel::setTheme(const Theme& theme)
{
    m_error = theme.errorAccent().name();
    m_model->setColours(theme.isDark() ? QColor(255, 196, 0, 80) : QColor(255, 196, 0, 110),
                        theme.errorAccent());
    rowChosen(m_table->currentIndex().isValid() ? m_table->currentIndex().row() : -1);
}

int RequestsPanel::tableWidth() const
{
    return m_table->horizontalHeader()->length() + m_table->frameWidth() * 2 +
           m_table->verticalScrollBar()->sizeHint().width();
}

bool RequestsPanel::selectRequest(const QString& name)
{
    for (int row = 0; row < m_model->rowCount(); ++row)
        if (m_model->index(row, RequestTableModel::RequestColumn).data().toString() == name) {
            m_table->selectRow(row);
            m_table->setCurrentIndex(m_model->index(row, RequestTableModel::RequestColumn));
            return true;
        }
    return false;
}

void RequestsPanel::stateChanged()
{
    const auto report = m_state->failure() ? nullptr : m_state->report();
    if (report == m_model->sharedReport())
        return; // a row chosen here drew another view: the matrix is the same
    m_model->setReport(report);
    m_detail->clear();
    if (m_state->failure()) {
        m_summary->setText(tr("No matrix: %1").arg(m_state->failure()->message));
    } else if (!report) {
        m_summary->clear();
    } else if (!report->requestsChecked || report->requests.empty()) {
        m_summary->setText(report->sourceSupportsBuffer
                               ? tr("The request matrix was not made.")
                               : tr("A %1 does not support the buffer protocol: there is "
                                    "nothing to request.")
                                     .arg(QString::fromStdString(report->sourceType)));
    } else {
        int failed = 0, undecided = 0, broken = 0;
        for (const RequestOutcome& o : report->requests) {
            broken += o.broken();
            for (const ConformanceVerdict& v : o.verdicts) {
                failed += v.result == ConformanceVerdict::Result::Fail;
                undecided += v.result == ConformanceVerdict::Result::Undecided;
            }
        }
        const QString head = failed ? tr("<b style='color:%1'>%2 rules broken in %3 requests</b>")
                                          .arg(m_error)
                                          .arg(failed)
                                          .arg(broken)
                                    : tr("<b>No rule broken</b>");
        m_summary->setText(
            tr("%1 (%2 undecided) by %3. Shaded: differs from the PyBUF_FULL_RO view. Choose a row "
               "to draw its view.")
                .arg(head)
                .arg(undecided)
                .arg(esc(report->sourceType)));
    }
}

void RequestsPanel::rowChosen(int row)
{
    const auto report = m_model->sharedReport();
    if (!report || row < 0 || row >= int(report->requests.size())) {
        m_detail->clear();
        return;
    }
    QString whyNot;
    const auto drawn = RequestViewReport::make(report, std::size_t(row), &whyNot);
    // The inspection's own layout (or none) draws the inspection's ReportData again.
    m_state->setDrawnData(drawn && drawn != report ? ReportData::forWindow(drawn) : nullptr);
    showDetail(
        row, drawn ? tr("The Logical and Memory views draw this view%1.")
                         .arg(drawn == report ? tr(" (the PyBUF_FULL_RO view's layout)") : QString())
                   : tr("Not drawn: %1; the views show the PyBUF_FULL_RO view.").arg(whyNot.toHtmlEscaped()));
}

void RequestsPanel::showDetail(int row, const QString& drawing)
{
    const RequestOutcome& o = m_model->report()->requests[std::size_t(row)];
    QString html = QStringLiteral("<h4 style='margin:0'>%1 (flags 0x%2)</h4><p style='margin-top:2px'>%3</p>")
                       .arg(esc(o.request.name))
                       .arg(o.request.flags, 0, 16)
                       .arg(drawing);
    html += QStringLiteral("<table cellspacing=0 cellpadding=1>");
    const auto row2 = [&html](const QString& name, const QString& value) {
        html +=
            QStringLiteral("<tr><td><tt>%1</tt>&nbsp;&nbsp;</td><td><tt>%2</tt></td></tr>").arg(name, value);
    };
    if (o.raised()) {
        row2(tr("raised"), o.errorReturnedWithoutException
                               ? tr("-1 with no exception set")
                               : esc(o.errorType) + QStringLiteral(": ") + esc(o.errorMessage));
        row2(QStringLiteral("obj"), o.objClearedOnError ? QStringLiteral("NULL") : tr("left set"));
    } else {
        const ExportedBuffer& v = *o.view;
        const auto unreadable = [&o](const char* f) {
            return std::find(o.unreadable.begin(), o.unreadable.end(), f) != o.unreadable.end();
        };
        row2(QStringLiteral("buf"),
             QStringLiteral("0x%1%2")
                 .arg(v.buf, 0, 16)
                 .arg(o.bufOffset ? tr(" (memory + %1)").arg(*o.bufOffset) : QString()));
        row2(QStringLiteral("obj"), o.obj == RequestOutcome::ObjKind::Exporter ? tr("the exporter")
                                    : o.obj == RequestOutcome::ObjKind::Null   ? QStringLiteral("NULL")
                                                                               : esc(o.objType));
        row2(QStringLiteral("len"), QString::number(v.len));
        row2(QStringLiteral("itemsize"), QString::number(v.itemSize));
        row2(QStringLiteral("readonly"), v.readonly ? QStringLiteral("1") : QStringLiteral("0"));
        row2(QStringLiteral("ndim"), QString::number(v.ndim));
        row2(QStringLiteral("format"), unreadable("format") ? tr("unreadable")
                                       : v.format           ? QStringLiteral("'%1'").arg(esc(*v.format))
                                                            : QStringLiteral("NULL"));
        for (const auto& [name, array] : {std::pair{"shape", &v.shape}, std::pair{"strides", &v.strides},
                                          std::pair{"suboffsets", &v.suboffsets}})
            row2(QString::fromLatin1(name), unreadable(name) ? tr("unreadable") : PythonText::tuple(*array));
        row2(QStringLiteral("internal"), o.internalSet ? tr("set") : QStringLiteral("NULL"));
    }
    row2(tr("refcount"), o.raised() ? tr("%1 before, %2 after").arg(o.refcountBefore).arg(o.refcountAfter)
                                    : tr("%1 before, %2 held, %3 after release")
                                          .arg(o.refcountBefore)
                                          .arg(o.refcountHeld)
                                          .arg(o.refcountAfter));
    html += QStringLiteral("</table>");
    // Broken rules first, with the documentation's words; then undecided; then what passed.
    for (const auto result : {ConformanceVerdict::Result::Fail, ConformanceVerdict::Result::Undecided,
                              ConformanceVerdict::Result::Pass})
        for (const ConformanceVerdict& v : o.verdicts) {
            if (v.result != result)
                continue;
            const QString colour = result == ConformanceVerdict::Result::Fail ? m_error : QString();
            html += QStringLiteral("<p style='margin:4px 0 0 0%1'><b>%2 %3</b>: %4")
                        .arg(colour.isEmpty() ? QString() : QStringLiteral("; color:") + colour,
                             QString::fromStdString(ConformanceVerdict::resultName(v.result)).toUpper(),
                             esc(v.rule), esc(v.detail));
            if (result != ConformanceVerdict::Result::Pass)
                html += QStringLiteral("<br><i>\u201c%1\u201d</i>").arg(esc(v.quote));
            html += QStringLiteral("</p>");
        }
    m_detail->setHtml(html);
}

} // namespace stridescope
