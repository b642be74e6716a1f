#include "outcomebanner.h"

#include "core/memorybandwidth.h"
#include "gui/model/inspectionstate.h"

#include <QCoreApplication>
#include <QGridLayout>
#include <QLabel>
#include <QPointer>
#include <QProgressBar>
#include <QStyle>
#include <QThreadPool>
#include <QToolButton>

namespace stridescope {

OutcomeBanner::OutcomeBanner(InspectionState* state, QWidget* parent) : QFrame(parent), m_state(state)
{
    setObjectName(QStringLiteral("outcomeBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);

    m_badge = new QLabel(this);
    m_badge->setObjectName(QStringLiteral("outcomeBadge"));
    m_badge->setAlignment(Qt::AlignCenter);
    m_badge->setMinimumWidth(110);
    m_badge->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Expanding);
    m_headline = new QLabel(this);
    m_headline->setObjectName(QStringLiteral("outcomeHeadline"));
    m_headline->setWordWrap(true);
    QFont headlineFont = m_headline->font();
    headlineFont.setPointSizeF(headlineFont.pointSizeF() * 1.25);
    headlineFont.setBold(true);
    m_headline->setFont(headlineFont);
    m_details = new QLabel(this);
    m_details->setWordWrap(true);
    m_details->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_rule = new QLabel(this);
    m_rule->setObjectName(QStringLiteral("outcomeRule"));
    m_rule->setWordWrap(true);
    m_rule->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_warning = new QLabel(this);
    m_warning->setObjectName(QStringLiteral("outcomeWarning"));
    m_warning->setWordWrap(true);
    m_warning->setVisible(false);
    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 0); // busy, no end known
    m_progress->setMaximumWidth(140);
    m_progress->setTextVisible(false);
    m_progress->setVisible(false);
    m_stop = new QToolButton(this);
    m_stop->setObjectName(QStringLiteral("bannerStopButton"));
    m_stop->setText(tr("Stop"));
    m_stop->setIcon(style()->standardIcon(QStyle::SP_MediaStop));
    m_stop->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_stop->setToolTip(tr("Interrupt the running Python code"));
    m_stop->setVisible(false);

    auto* layout = new QGridLayout(this);
    layout->setContentsMargins(8, 6, 8, 6);
    layout->setHorizontalSpacing(12);
    layout->setVerticalSpacing(2);
    layout->addWidget(m_badge, 0, 0, 4, 1);
    layout->addWidget(m_headline, 0, 1);
    layout->addWidget(m_progress, 0, 2, Qt::AlignRight);
    layout->addWidget(m_stop, 0, 3, Qt::AlignRight);
    layout->addWidget(m_details, 1, 1, 1, 3);
    layout->addWidget(m_rule, 2, 1, 1, 3);
    layout->addWidget(m_warning, 3, 1, 1, 3);
    layout->setColumnStretch(1, 1);

    m_busyDelay.setSingleShot(true);
    m_busyDelay.setInterval(250);
    connect(&m_busyDelay, &QTimer::timeout, this, [this] { showBusy(m_state->isBusy()); });
    connect(m_stop, &QToolButton::clicked, this, &OutcomeBanner::stopRequested);
    connect(m_state, &InspectionState::changed, this, &OutcomeBanner::refresh);
    connect(m_state, &InspectionState::busyChanged, this, &OutcomeBanner::refreshBusy);
    refresh();
}

void OutcomeBanner::measureBandwidthIfNeeded()
{
    // memcpy's speed, for the sentence that puts a large copy's speed in context: measured once
    // per run (about 50 ms and 128 MiB on a pool thread), the first time such a copy is shown.
    const auto report = m_state->report();
    if (m_bandwidthRequested || m_state->failure() || !report || report->result.error ||
        report->result.outcome != ConversionPrediction::Outcome::Copy || !report->result.buffer ||
        report->result.buffer->len < OutcomeSummary::kCopySpeedMinimumBytes)
        return;
    m_bandwidthRequested = true;
    if (MemoryBandwidth::ifMeasured())
        return;
    QPointer<OutcomeBanner> self(this);
    QThreadPool::globalInstance()->start([self] {
        MemoryBandwidth::bytesPerSecond();
        QMetaObject::invokeMethod(qApp, [self] {
            if (self)
                self->refresh();
        });
    });
}

void OutcomeBanner::setTheme(const Theme& theme)
{
    m_theme = theme;
    refresh();
}

QString OutcomeBanner::badgeText() const
{
    return m_summary.badge;
}

QString OutcomeBanner::text() const
{
    QStringList lines{m_summary.badge, m_summary.headline, m_summary.details};
    if (!m_summary.rule.isEmpty())
        lines << m_summary.rule;
    lines += m_summary.disagreements;
    return lines.join(QLatin1Char('\n'));
}

void OutcomeBanner::refresh()
{
    measureBandwidthIfNeeded();
    // The newest of the state: its failure when the last inspection failed, else its report.
    if (m_state->failure())
        m_summary = OutcomeSummary::fromFailure(*m_state->failure());
    else if (m_state->report())
        m_summary = OutcomeSummary::fromReport(*m_state->report(), MemoryBandwidth::ifMeasured());
    else
        m_summary = {};
    QColor accent = palette().color(QPalette::Mid);
    switch (m_summary.kind) {
    case OutcomeSummary::Kind::Alias:
        accent = m_theme.aliasAccent();
        break;
    case OutcomeSummary::Kind::Copy:
        accent = m_theme.copyAccent();
        break;
    case OutcomeSummary::Kind::Error:
        accent = m_theme.errorAccent();
        break;
    case OutcomeSummary::Kind::SourceFailed:
        // Code that waits for consent is no error: amber, as the bar that asks for it.
        accent = m_state->failure() && m_state->failure()->notRun ? QColor(0xb0, 0x7a, 0x00)
                                                                  : m_theme.errorAccent();
        break;
    case OutcomeSummary::Kind::None:
        break;
    }
    const QColor onAccent = m_theme.textOn(accent);
    m_badge->setText(m_summary.kind == OutcomeSummary::Kind::None ? tr("…") : m_summary.badge);
    m_badge->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: %2; border-radius: 6px; padding: 6px 10px;"
                       " font-weight: bold; font-size: %3pt; }")
            .arg(accent.name(), onAccent.name())
            .arg(m_summary.badge.size() > 8 ? 11 : 16));
    // A tinted band in the outcome's colour, light enough to read text on in either theme.
    QPalette p = palette();
    QColor band = accent;
    band.setAlpha(m_theme.isDark() ? 60 : 38);
    const QColor base = m_theme.isDark() ? QColor(0x2b, 0x2b, 0x2b) : QColor(Qt::white);
    const auto mix = [](const QColor& over, const QColor& under) {
        const qreal a = over.alphaF();
        return QColor::fromRgbF(over.redF() * a + under.redF() * (1 - a),
                                over.greenF() * a + under.greenF() * (1 - a),
                                over.blueF() * a + under.blueF() * (1 - a));
    };
    p.setColor(QPalette::Window, mix(band, base));
    p.setColor(QPalette::WindowText, m_theme.isDark() ? QColor(0xee, 0xee, 0xee) : QColor(0x20, 0x20, 0x20));
    setPalette(p);

    if (m_summary.kind == OutcomeSummary::Kind::None)
        m_headline->setText(tr("Inspecting…"));
    else
        m_headline->setText(m_summary.headline);
    m_details->setText(m_summary.details);
    if (m_summary.rule.isEmpty()) {
        m_rule->setVisible(false);
    } else {
        m_rule->setVisible(true);
        m_rule->setText(tr("<b>Why:</b> %1").arg(m_summary.rule.toHtmlEscaped()));
        m_rule->setToolTip(m_summary.call);
    }
    if (m_summary.disagreements.isEmpty()) {
        m_warning->setVisible(false);
    } else {
        QString items;
        for (const QString& d : m_summary.disagreements)
            items += QStringLiteral("<li>%1</li>").arg(d.toHtmlEscaped());
        m_warning->setText(tr("<b>⚠ Stridescope's prediction disagrees with CPython</b> (CPython is right; "
                              "please report it):<ul style='margin:0'>%1</ul>")
                               .arg(items));
        m_warning->setStyleSheet(
            QStringLiteral("QLabel { background: #fff3cd; color: #5c4400; border: 1px solid #e0b000;"
                           " border-radius: 4px; padding: 4px; }"));
        m_warning->setVisible(true);
    }
    showBusy(m_showingBusy && m_state->isBusy());
}

void OutcomeBanner::refreshBusy(bool busy)
{
    if (busy) {
        if (!m_showingBusy && !m_busyDelay.isActive())
            m_busyDelay.start();
    } else {
        m_busyDelay.stop();
        showBusy(false);
    }
}

void OutcomeBanner::showBusy(bool busy)
{
    m_showingBusy = busy;
    m_progress->setVisible(busy);
    m_stop->setVisible(busy);
    if (busy)
        m_headline->setText(m_summary.kind == OutcomeSummary::Kind::None
                                ? tr("Inspecting…")
                                : tr("Inspecting… (still showing the previous result)"));
    else if (m_summary.kind != OutcomeSummary::Kind::None)
        m_headline->setText(m_summary.headline);
}

} // namespace stridescope
