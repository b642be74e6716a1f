#pragma once

#include "core/conversionrequest.h"

#include <QWidget>

class QButtonGroup;
class QToolButton;

namespace stridescope {

class ScenarioDocument;

// The call being made, with its two arguments as buttons:
//   PyMemoryView_GetContiguous(obj, [PyBUF_READ | PyBUF_WRITE], ['C' | 'F' | 'A'])
// One click changes the request (an undoable edit), and the scenario is inspected again.
class RequestBar final : public QWidget
{
    Q_OBJECT

public:
    explicit RequestBar(ScenarioDocument* document, QWidget* parent = nullptr);

    QToolButton* bufferTypeButton(ConversionRequest::BufferType type) const;
    QToolButton* orderButton(char order) const;
    // Re-colours the buttons from the application's palette (a theme change): their style sheet
    // has the colours written out.
    void followApplicationPalette();

protected:
    void changeEvent(QEvent* event) override;

private:
    void refresh();
    void setRequest(const ConversionRequest& request, const QString& description);

    ScenarioDocument* m_document = nullptr;
    QButtonGroup* m_bufferType = nullptr;
    QButtonGroup* m_order = nullptr;
};

} // namespace stridescope
