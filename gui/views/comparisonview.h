#pragma once

#include "gui/style/theme.h"

#include <QPointer>
#include <QWidget>

#include <memory>

namespace stridescope {

class ComparisonPicture;
class InspectionState;
struct InspectionReport;

// The window's side-by-side view of a comparison scenario: ComparisonPicture of the inspection's
// report (both objects over one memory strip, each one's logical grid and result in its colour),
// fitted to the widget. Built once per report from its plain data; painting never calls Python.
class ComparisonView : public QWidget
{
    Q_OBJECT

public:
    ComparisonView(InspectionState* state, QWidget* parent = nullptr);
    ~ComparisonView() override;

    void setTheme(const Theme& theme);
    // The report on screen is a comparison (there is something to draw).
    bool hasComparison() const { return m_picture != nullptr; }
    const ComparisonPicture* picture() const { return m_picture.get(); }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void rebuild();

    QPointer<InspectionState> m_state;
    Theme m_theme = Theme::light();
    std::shared_ptr<const InspectionReport> m_report;
    std::unique_ptr<ComparisonPicture> m_picture;
};

} // namespace stridescope
