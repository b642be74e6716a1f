#include "comparisonview.h"

#include "gui/model/inspectionstate.h"
#include "gui/painting/comparisonpicture.h"
#include "reportview.h"

#include <QPainter>

namespace stridescope {

ComparisonView::ComparisonView(InspectionState* state, QWidget* parent) : QWidget(parent), m_state(state)
{
    setObjectName(QStringLiteral("comparisonView"));
    setMinimumSize(200, 150);
    connect(state, &InspectionState::changed, this, &ComparisonView::rebuild);
    rebuild();
}

ComparisonView::~ComparisonView() = default;

void ComparisonView::setTheme(const Theme& theme)
{
    m_theme = theme;
    m_report.reset(); // the picture holds the theme: built again
    rebuild();
}

void ComparisonView::rebuild()
{
    const auto report = m_state ? m_state->report() : nullptr;
    if (report == m_report && (m_picture || !report))
        return;
    m_report = report;
    m_picture.reset();
    if (report && ComparisonPicture::applies(*report))
        m_picture = std::make_unique<ComparisonPicture>(
            report, ReportPicture::Logical | ReportPicture::Memory | ReportPicture::Result, m_theme);
    update();
}

void ComparisonView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), m_theme.background());
    if (!m_picture)
        return;
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    m_picture->paint(painter, QRectF(rect()));
    if (m_state && m_state->failure()) {
        // The newest inspection failed: what is drawn is an earlier scenario's, as ReportView says.
        QColor veil = m_theme.background();
        veil.setAlpha(170);
        painter.fillRect(rect(), veil);
        painter.setPen(m_theme.text());
        painter.setFont(m_theme.titleFont());
        painter.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignHCenter | Qt::AlignTop,
                         ReportView::staleLabel());
    }
}

} // namespace stridescope
