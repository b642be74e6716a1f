#pragma once

#include "core/copysteps.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QSlider;
class QTimer;
class QToolButton;

namespace stridescope {

class HighlightModel;
class InspectionState;

// Steps through a copy in the order CPython's copy visits the elements (core/CopySteps): step k
// pins the k-th element copied, so the Logical view marks it, the Memory view its source bytes and
// the Result view the bytes it lands on; the caption names the element and both offsets. Play steps
// on a timer at the chosen speed. For an alias or an error nothing is copied: the controls are off
// and the caption says why. Reads only the drawn report: never calls Python.
class CopyStepPlayer : public QWidget
{
    Q_OBJECT

public:
    CopyStepPlayer(InspectionState* state, HighlightModel* highlight, QWidget* parent = nullptr);

    const CopySteps& steps() const { return m_steps; }
    // The step shown, -1 before the first.
    ElementIndex currentStep() const { return m_current; }
    QString captionText() const;
    bool isPlaying() const;

    // Shows step k (clamped to the copy); pins its element.
    void showStep(ElementIndex k);
    void play();
    void pause();
    // Steps a second while playing.
    void setSpeed(int stepsPerSecond);

private:
    void reportChanged();
    void advance();
    void updateControls();

    InspectionState* m_state;
    HighlightModel* m_highlight;
    CopySteps m_steps;
    ElementIndex m_current = -1;
    QToolButton* m_first = nullptr;
    QToolButton* m_previous = nullptr;
    QToolButton* m_playPause = nullptr;
    QToolButton* m_next = nullptr;
    QSlider* m_slider = nullptr;
    QComboBox* m_speed = nullptr;
    QLabel* m_status = nullptr;  // "step 3 of 12", or why nothing is copied
    QLabel* m_caption = nullptr; // the step's element and offsets
    QString m_text;              // the whole caption
    QTimer* m_timer = nullptr;
};

} // namespace stridescope
