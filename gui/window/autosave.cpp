#include "autosave.h"

#include "gui/scenario/privatedirectory.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStandardPaths>

namespace stridescope {

namespace {

constexpr int kFormatVersion = 1;

} // namespace

QByteArray AutosavedWork::toJson() const
{
    QJsonObject object;
    object[QStringLiteral("stridescope_autosave")] = kFormatVersion;
    object[QStringLiteral("scenario")] = ScenarioFile::toObject(scenario, notes);
    object[QStringLiteral("file")] = filePath;
    if (typedCode)
        object[QStringLiteral("typed_code")] = *typedCode;
    object[QStringLiteral("saved_at")] = savedAt.toString(Qt::ISODateWithMs);
    return QJsonDocument(object).toJson(QJsonDocument::Indented);
}

std::optional<AutosavedWork> AutosavedWork::fromJson(const QByteArray& json, QString* error)
{
    const auto fail = [error](const QString& why) -> std::optional<AutosavedWork> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    const QJsonDocument document = QJsonDocument::fromJson(json);
    const QJsonObject object = document.object();
    if (!document.isObject() ||
        object.value(QStringLiteral("stridescope_autosave")).toInt() != kFormatVersion)
        return fail(QObject::tr("not an autosave of this Stridescope"));
    AutosavedWork work;
    QString scenarioError;
    const auto scenario = ScenarioFile::fromObject(object.value(QStringLiteral("scenario")).toObject(),
                                                   &scenarioError, &work.notes);
    if (!scenario)
        return fail(QObject::tr("the autosaved scenario is damaged: %1").arg(scenarioError));
    work.scenario = *scenario;
    work.filePath = object.value(QStringLiteral("file")).toString();
    if (object.value(QStringLiteral("typed_code")).isString())
        work.typedCode = object.value(QStringLiteral("typed_code")).toString();
    work.savedAt =
        QDateTime::fromString(object.value(QStringLiteral("saved_at")).toString(), Qt::ISODateWithMs);
    return work;
}

Autosave::Autosave(QString directory, QObject* parent) : QObject(parent), m_directory(std::move(directory))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(delayMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { writeNow(); });
}

Autosave::~Autosave() = default;

QString Autosave::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/autosave");
}

QString Autosave::autosavePath() const
{
    return m_directory + QStringLiteral("/autosave.json");
}

QString Autosave::recoveredPath() const
{
    return m_directory + QStringLiteral("/recovered.json");
}

bool Autosave::claim(QString* error)
{
    if (isClaimed())
        return true;
    if (!PrivateDirectory::ensure(m_directory, error))
        return false;
    m_lock = std::make_unique<QLockFile>(m_directory + QStringLiteral("/autosave.lock"));
    // A lock whose process is gone (killed, crashed) is stale and taken over at once.
    if (!m_lock->tryLock(0)) {
        m_lock.reset();
        if (error)
            *error = tr("another Stridescope is running and autosaves its own work");
        return false;
    }
    // Whatever autosave.json is here now was left by a process that did not exit cleanly: keep it
    // out of the way of this process's own autosave until the user answers.
    if (QFile::exists(autosavePath())) {
        QFile::remove(recoveredPath());
        QFile::rename(autosavePath(), recoveredPath());
    }
    return true;
}

std::optional<AutosavedWork> Autosave::recovered(QString* error) const
{
    if (!isClaimed())
        return std::nullopt;
    QFile file(recoveredPath());
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    if (file.size() > maximumBytes) {
        if (error)
            *error = tr("%1 is larger than %2 bytes").arg(recoveredPath()).arg(maximumBytes);
        return std::nullopt;
    }
    return AutosavedWork::fromJson(file.read(maximumBytes), error);
}

void Autosave::dropRecovered()
{
    if (isClaimed())
        QFile::remove(recoveredPath());
}

void Autosave::schedule()
{
    if (isClaimed() && m_source)
        m_timer.start();
}

bool Autosave::writeNow()
{
    m_timer.stop();
    if (!isClaimed() || !m_source)
        return false;
    const std::optional<AutosavedWork> work = m_source();
    if (!work) {
        QFile::remove(autosavePath()); // nothing unsaved: nothing to recover
        return true;
    }
    // QSaveFile: written beside it and renamed over it, so a kill mid-write leaves the last one whole.
    QSaveFile file(autosavePath());
    if (!file.open(QIODevice::WriteOnly) || file.write(work->toJson()) < 0 || !file.commit())
        return false;
    emit written(autosavePath());
    return true;
}

void Autosave::removeOwn()
{
    m_timer.stop();
    if (isClaimed())
        QFile::remove(autosavePath());
}

} // namespace stridescope
