#pragma once

#include "gui/style/theme.h"
#include "reportdata.h"

#include <QStringList>

class QPainter;

namespace stridescope {

// A compact table of the Py_buffer fields of the source and of the result, for exported pictures
// (the window has its own inspector dock). Addresses are shown relative to the memory block, so the
// picture is the same on every run.
class InspectorPainter
{
public:
    InspectorPainter(const ReportData& data, const Theme& theme);

    QSizeF size() const { return m_size; }
    void paint(QPainter& painter) const;

private:
    struct Row
    {
        QString field;
        QString source;
        QString result;
    };
    // The steps of the constructor: the rows of the object, buf and base; of the Py_buffer fields;
    // of the contiguity flags; then the cells clipped and the columns sized.
    void addIdentityRows(const ReportData& data);
    void addFieldRows(const InspectionReport& r);
    template <class Get> void addFieldRow(const QString& name, const InspectionReport& r, Get get);
    void addContiguityRows(const InspectionReport& r);
    void measure(const Theme& theme);

    std::vector<Row> m_rows;
    Theme m_theme;
    qreal m_columns[3] = {0, 0, 0};
    qreal m_line = 16;
    QSizeF m_size;
};

} // namespace stridescope
