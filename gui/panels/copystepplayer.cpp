#include "copystepplayer.h"

#include "gui/model/inspectionstate.h"
#include "gui/painting/highlightmodel.h"
#include "gui/painting/reporttext.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSlider>
#include <QStyle>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace stridescope {

namespace {

// The slider has at most this many positions; past it a position stands for a run of steps.
constexpr int sliderPositions = 100000;

QToolButton* makeButton(QWidget* parent, QStyle::StandardPixmap icon, const QString& name, const QString& tip)
{
    auto* button = new QToolButton(parent);
    button->setObjectName(name);
    button->setIcon(parent->style()->standardIcon(icon));
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

} // namespace

CopyStepPlayer::CopyStepPlayer(InspectionState* state, HighlightModel* highlight, QWidget* parent)
    : QWidget(parent), m_state(state), m_highlight(highlight)
{
    setObjectName(QStringLiteral("copyStepPlayer"));
    m_first =
        makeButton(this, QStyle::SP_MediaSkipBackward, QStringLiteral("stepFirstButton"), tr("First step"));
    m_previous = makeButton(this, QStyle::SP_MediaSeekBackward, QStringLiteral("stepPreviousButton"),
                            tr("Previous step"));
    m_playPause =
        makeButton(this, QStyle::SP_MediaPlay, QStringLiteral("stepPlayButton"), tr("Play the copy"));
    m_next = makeButton(this, QStyle::SP_MediaSeekForward, QStringLiteral("stepNextButton"), tr("Next step"));
    m_slider = new QSlider(Qt::Horizontal, this);
    m_slider->setObjectName(QStringLiteral("stepSlider"));
    m_slider->setToolTip(tr("The elements in the order CPython copies them"));
    m_slider->setMinimumWidth(80);
    m_speed = new QComboBox(this);
    m_speed->setObjectName(QStringLiteral("stepSpeed"));
    for (int speed : {1, 2, 5, 10, 25, 100})
        m_speed->addItem(tr("%1 / s").arg(speed), speed);
    m_speed->setCurrentIndex(1);
    m_speed->setToolTip(tr("Steps a second while playing"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("stepStatus"));
    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("stepCaption"));
    m_caption->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_timer = new QTimer(this);
    setSpeed(2);

    // The controls and "step 3 of 12" on one row; the element and its offsets under them only
    // while a step is shown, so a copy not being stepped through costs the views one row.
    auto* controls = new QHBoxLayout;
    controls->setContentsMargins(0, 0, 0, 0);
    controls->setSpacing(2);
    for (QWidget* w : std::initializer_list<QWidget*>{m_first, m_previous, m_playPause, m_next})
        controls->addWidget(w);
    controls->addWidget(m_slider, 1);
    controls->addWidget(m_speed);
    controls->addSpacing(6);
    controls->addWidget(m_status);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 1, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(controls);
    layout->addWidget(m_caption);

    connect(m_first, &QToolButton::clicked, this, [this] {
        pause();
        showStep(0);
    });
    connect(m_previous, &QToolButton::clicked, this, [this] {
        pause();
        showStep(std::max<ElementIndex>(0, m_current - 1));
    });
    connect(m_next, &QToolButton::clicked, this, [this] {
        pause();
        showStep(m_current + 1);
    });
    connect(m_playPause, &QToolButton::clicked, this, [this] { isPlaying() ? pause() : play(); });
    connect(m_slider, &QSlider::valueChanged, this, [this](int position) {
        const ElementIndex count = m_steps.count();
        const int top = m_slider->maximum();
        if (count == 0 || top <= 0)
            return showStep(0);
        // A position stands for the first step of its run; the step shown keeps its position.
        const auto step = ElementIndex(__int128(position) * (count - 1) / top);
        const auto back = int(__int128(m_current) * top / std::max<ElementIndex>(1, count - 1));
        if (m_current < 0 || back != position)
            showStep(step);
    });
    connect(m_speed, &QComboBox::activated, this, [this] { setSpeed(m_speed->currentData().toInt()); });
    connect(m_timer, &QTimer::timeout, this, &CopyStepPlayer::advance);
    connect(m_state, &InspectionState::changed, this, &CopyStepPlayer::reportChanged);
    reportChanged();
}

bool CopyStepPlayer::isPlaying() const
{
    return m_timer->isActive();
}

QString CopyStepPlayer::captionText() const
{
    return m_text;
}

void CopyStepPlayer::showStep(ElementIndex k)
{
    const ElementIndex count = m_steps.count();
    if (count == 0)
        return;
    k = std::clamp<ElementIndex>(k, 0, count - 1);
    m_current = k;
    m_highlight->pin({k, HighlightModel::Region::None, -1});
    updateControls();
}

void CopyStepPlayer::play()
{
    if (m_steps.isEmpty())
        return;
    if (m_current < 0 || m_current >= m_steps.count() - 1)
        showStep(0); // from the start, as a player does at its end
    m_timer->start();
    updateControls();
}

void CopyStepPlayer::pause()
{
    m_timer->stop();
    updateControls();
}

void CopyStepPlayer::setSpeed(int stepsPerSecond)
{
    stepsPerSecond = std::max(1, stepsPerSecond);
    m_timer->setInterval(1000 / stepsPerSecond);
    const int at = m_speed->findData(stepsPerSecond);
    if (at >= 0)
        m_speed->setCurrentIndex(at);
}

void CopyStepPlayer::advance()
{
    if (m_current + 1 >= m_steps.count())
        return pause();
    showStep(m_current + 1);
    if (m_current + 1 >= m_steps.count())
        pause();
}

void CopyStepPlayer::reportChanged()
{
    // A new report is a new copy: start over, and give back the element this player pinned.
    m_timer->stop();
    if (m_current >= 0 &&
        m_highlight->pinned() == HighlightModel::Target{m_current, HighlightModel::Region::None, -1})
        m_highlight->pin({});
    m_current = -1;
    m_steps = CopySteps();
    const auto report = m_state->drawnReport();
    if (report && report->result.outcome == ConversionPrediction::Outcome::Copy && report->result.layout)
        m_steps = CopySteps(report->sourceLayout, *report->result.layout);
    updateControls();
}

void CopyStepPlayer::updateControls()
{
    const ElementIndex count = m_steps.count();
    const bool copies = count > 0;
    for (QWidget* w :
         std::initializer_list<QWidget*>{m_first, m_previous, m_playPause, m_next, m_slider, m_speed})
        w->setEnabled(copies);
    m_playPause->setIcon(style()->standardIcon(isPlaying() ? QStyle::SP_MediaPause : QStyle::SP_MediaPlay));
    m_playPause->setToolTip(isPlaying() ? tr("Pause") : tr("Play the copy"));
    {
        const QSignalBlocker block(m_slider);
        m_slider->setRange(0, int(std::clamp<ElementIndex>(count - 1, 0, sliderPositions - 1)));
        const int top = m_slider->maximum();
        m_slider->setValue(m_current <= 0 || top == 0
                               ? 0
                               : int(__int128(m_current) * top / std::max<ElementIndex>(1, count - 1)));
    }

    const auto report = m_state->drawnReport();
    QString text;
    if (!report) {
        text.clear();
    } else if (report->result.outcome == ConversionPrediction::Outcome::Alias) {
        text = tr("Nothing is copied: the result aliases the source.");
    } else if (report->result.outcome == ConversionPrediction::Outcome::Error) {
        text = report->result.error ? tr("Nothing is copied: the call raised %1.")
                                          .arg(QString::fromStdString(report->result.error->type))
                                    : tr("Nothing is copied: the call raised an error.");
    } else if (!copies) {
        text = tr("Nothing is copied: the source has no elements.");
    } else if (m_current < 0) {
        text = (count == 1 ? tr("1 element copied")
                           : tr("%1 elements copied").arg(QLocale().toString(qlonglong(count)))) +
               tr(": step or play to follow them");
    } else {
        text = ReportText::stepCaption(m_steps.at(m_current), count);
    }
    m_text = text;
    m_slider->setVisible(copies);
    m_speed->setVisible(copies);
    const bool stepping = copies && m_current >= 0;
    m_status->setText(stepping ? text.section(QStringLiteral(" · "), 0, 0) : text);
    m_caption->setText(stepping ? text.section(QStringLiteral(" · "), 1) : QString());
    m_caption->setVisible(stepping);
}

} // namespace stridescope
