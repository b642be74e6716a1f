#pragma once

#include <QString>
#include <QStringList>

#include <cstdint>
#include <optional>
#include <vector>

namespace stridescope {

// Values written the way Python prints them, for every place that shows Py_buffer fields.
class PythonText
{
public:
    // "(4, 3)", "(5,)" or "NULL" for an array the exporter left out.
    static QString tuple(const std::optional<std::vector<std::int64_t>>& values)
    {
        if (!values)
            return QStringLiteral("NULL");
        QStringList parts;
        for (auto x : *values)
            parts << QString::number(x);
        return QLatin1Char('(') + parts.join(QStringLiteral(", ")) +
               (values->size() == 1 ? QStringLiteral(",)") : QStringLiteral(")"));
    }
};

} // namespace stridescope
