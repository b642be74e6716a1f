#pragma once

#include "gui/scenario/scenariofile.h"

#include <QDateTime>
#include <QLockFile>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace stridescope {

// Unsaved work as the autosave keeps it: the scenario, the file it belongs to, and Python code
// typed in the editor but not yet run.
struct AutosavedWork
{
    Scenario scenario;
    ScenarioNotes notes;
    QString filePath;                 // empty: untitled
    std::optional<QString> typedCode; // the editor's text, when it differs from the scenario's code
    QDateTime savedAt;

    QByteArray toJson() const;
    static std::optional<AutosavedWork> fromJson(const QByteArray& json, QString* error);
};

// The window's work survives a crash: what is unsaved is written to autosave.json in a private
// directory (default <AppDataLocation>/autosave, mode 0700), debounced, atomically (QSaveFile).
// A clean exit removes it. A Stridescope that starts and finds autosave.json with no live owner
// (the lock file autosave.lock belongs to a dead process) moves it to recovered.json and offers it;
// it stays there until the user restores or discards it. One running Stridescope autosaves at a
// time: a second one that finds the lock held neither writes nor offers.
class Autosave final : public QObject
{
    Q_OBJECT

public:
    static constexpr int delayMs = 1000;            // after the last edit
    static constexpr qint64 maximumBytes = 1 << 26; // a recovered file larger than this is not read

    explicit Autosave(QString directory = defaultDirectory(), QObject* parent = nullptr);
    ~Autosave() override;
    static QString defaultDirectory();
    QString directory() const { return m_directory; }
    QString autosavePath() const;
    QString recoveredPath() const;

    // Becomes the autosave of this process; false when another running Stridescope is (or the
    // directory is not private: `error` says why).
    bool claim(QString* error = nullptr);
    bool isClaimed() const { return m_lock && m_lock->isLocked(); }

    // Work a Stridescope that did not exit cleanly left behind; nullopt when there is none.
    std::optional<AutosavedWork> recovered(QString* error = nullptr) const;
    void dropRecovered();

    // What is unsaved now (nullopt: nothing, and the autosave file is removed).
    using WorkSource = std::function<std::optional<AutosavedWork>()>;
    void setSource(WorkSource source) { m_source = std::move(source); }
    // Writes delayMs after the last call; writeNow() at once.
    void schedule();
    bool writeNow();
    // A clean exit: nothing to recover from this process.
    void removeOwn();

signals:
    void written(const QString& path);

private:
    QString m_directory;
    std::unique_ptr<QLockFile> m_lock;
    QTimer m_timer;
    WorkSource m_source;
};

} // namespace stridescope
