#pragma once

#include "gui/painting/outcomesummary.h"
#include "gui/style/theme.h"

#include <QFrame>
#include <QTimer>

class QLabel;
class QProgressBar;
class QToolButton;

namespace stridescope {

class InspectionState;

// The answer first: ALIAS, COPY or the exception, in words, with the rule that decided it and a
// warning when Stridescope's prediction and CPython disagree. While an inspection runs it says so
// and offers Stop. The badge carries the outcome in words, its colour only repeats it.
class OutcomeBanner final : public QFrame
{
    Q_OBJECT

public:
    explicit OutcomeBanner(InspectionState* state, QWidget* parent = nullptr);

    void setTheme(const Theme& theme);
    const OutcomeSummary& summary() const { return m_summary; }
    QString badgeText() const;
    QString text() const; // everything the banner says, for tests and the clipboard
    bool isShowingBusy() const { return m_showingBusy; }

signals:
    void stopRequested();

private:
    void refresh();
    void refreshBusy(bool busy);
    void showBusy(bool busy);
    void measureBandwidthIfNeeded();

    InspectionState* m_state = nullptr;
    Theme m_theme = Theme::light();
    OutcomeSummary m_summary;
    QLabel* m_badge = nullptr;
    QLabel* m_headline = nullptr;
    QLabel* m_details = nullptr;
    QLabel* m_rule = nullptr;
    QLabel* m_warning = nullptr;
    QProgressBar* m_progress = nullptr;
    QToolButton* m_stop = nullptr;
    // Most inspections take milliseconds: the busy look waits a moment so edits do not flicker.
    QTimer m_busyDelay;
    bool m_showingBusy = false;
    bool m_bandwidthRequested = false; // memcpy's speed has been asked for (once per banner)
};

} // namespace stridescope
