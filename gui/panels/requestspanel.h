#pragma once

#include <QWidget>

class QLabel;
class QTableView;
class QTextBrowser;

namespace stridescope {

class InspectionState;
class RequestTableModel;
class Theme;

// The Requests tab of the Inspector: the request matrix of the current source, one row per standard
// request (RequestTableModel), and below it the chosen request's every field and verdict with the
// documentation's words. Choosing a row draws that request's view in the Logical and Memory views
// (InspectionState::setDrawnData with a RequestViewReport); nothing here calls Python.
class RequestsPanel final : public QWidget
{
    Q_OBJECT

public:
    RequestsPanel(InspectionState* state, QWidget* parent = nullptr);

    QTableView* table() const { return m_table; }
    RequestTableModel* model() const { return m_model; }
    QTextBrowser* detail() const { return m_detail; }
    void setTheme(const Theme& theme);
    // Chooses the row of the request named `name` ("PyBUF_SIMPLE"); false when there is none.
    bool selectRequest(const QString& name);
    // The width the table needs to show every column whole.
    int tableWidth() const;

private:
    void stateChanged();
    void rowChosen(int row);
    void showDetail(int row, const QString& drawing);

    InspectionState* m_state = nullptr;
    RequestTableModel* m_model = nullptr;
    QLabel* m_summary = nullptr;
    QTableView* m_table = nullptr;
    QTextBrowser* m_detail = nullptr;
    QString m_error;
};

} // namespace stridescope
