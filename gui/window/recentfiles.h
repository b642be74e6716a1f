#pragma once

#include <QObject>
#include <QStringList>

class QMenu;

namespace stridescope {

// The recently opened and saved scenario files, newest first, kept in QSettings, shown as a menu.
class RecentFiles final : public QObject
{
    Q_OBJECT

public:
    static constexpr int maximum = 8;

    explicit RecentFiles(QMenu* menu, QObject* parent = nullptr);

    QStringList files() const;
    void add(const QString& path);
    void remove(const QString& path);

signals:
    void openRequested(const QString& path);

private:
    void store(const QStringList& files);
    void rebuildMenu();

    QMenu* m_menu = nullptr;
};

} // namespace stridescope
