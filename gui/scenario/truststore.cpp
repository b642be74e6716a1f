#include "truststore.h"

#include "privatedirectory.h"

#include <QCryptographicHash>
#include <QFile>
#include <QList>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QStandardPaths>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace stridescope {

namespace {

constexpr int kSecretBytes = 32;
constexpr int kSignatureChars = 64; // hex of SHA-256
const char* const kSecretName = "secret";
const char* const kSignaturesName = "signatures";

QString systemError()
{
    return QString::fromLocal8Bit(std::strerror(errno));
}

// Closes a descriptor when it goes out of scope.
class Descriptor
{
public:
    explicit Descriptor(int fd) : m_fd(fd) {}
    ~Descriptor()
    {
        if (m_fd >= 0)
            ::close(m_fd);
    }
    Descriptor(const Descriptor&) = delete;
    Descriptor& operator=(const Descriptor&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

// Ours alone: owned by this user and open to nobody else.
bool privateTo(const struct stat& info)
{
    return info.st_uid == ::geteuid() && (info.st_mode & 077) == 0;
}

bool writeAll(int fd, const QByteArray& data)
{
    qsizetype done = 0;
    while (done < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + done, size_t(data.size() - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += n;
    }
    return true;
}

QByteArray readAll(int fd, qint64 limit)
{
    QByteArray data;
    char chunk[8192];
    while (data.size() < limit) {
        const ssize_t n = ::read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        data.append(chunk, n);
    }
    return data.left(limit);
}

// Opens a regular file in `directory` without following a symlink, and checks it is ours alone.
int openPrivateFile(int directory, const char* name, int flags, QString* error)
{
    const int fd = ::openat(directory, name, flags | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return -1;
    struct stat info
    {
    };
    if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode) || !privateTo(info)) {
        ::close(fd);
        if (error)
            *error = QObject::tr("%1 is not a private file of this user (mode 0600)")
                         .arg(QString::fromLatin1(name));
        errno = EPERM;
        return -1;
    }
    return fd;
}

QString uniqueName(const char* stem)
{
    return QStringLiteral("%1.%2.%3")
        .arg(QString::fromLatin1(stem))
        .arg(::getpid())
        .arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
}

} // namespace

TrustStore::TrustStore(QString directory) : m_directory(std::move(directory)) {}

QString TrustStore::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/trust");
}

int TrustStore::openDirectory(QString* error) const
{
    return PrivateDirectory::open(m_directory, error);
}

QByteArray TrustStore::secret(int directory, QString* error) const
{
    int fd = openPrivateFile(directory, kSecretName, O_RDONLY, error);
    if (fd < 0 && errno == ENOENT) {
        // Written whole under a name of its own, then linked into place: another Stridescope
        // starting at the same moment sees the secret complete or not at all, and linkat never
        // replaces one that won the race.
        const QByteArray temporary = QFile::encodeName(uniqueName(kSecretName));
        QByteArray fresh(kSecretBytes, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(fresh.data()), kSecretBytes / 4);
        const int out = ::openat(directory, temporary.constData(),
                                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (out < 0) {
            if (error)
                *error = QObject::tr("cannot create the trust secret: %1").arg(systemError());
            return {};
        }
        const bool written = writeAll(out, fresh) && ::fsync(out) == 0;
        ::close(out);
        if (written && ::linkat(directory, temporary.constData(), directory, kSecretName, 0) != 0 &&
            errno != EEXIST) {
            if (error)
                *error = QObject::tr("cannot create the trust secret: %1").arg(systemError());
        }
        ::unlinkat(directory, temporary.constData(), 0);
        fd = openPrivateFile(directory, kSecretName, O_RDONLY, error);
    }
    if (fd < 0) {
        if (error && error->isEmpty())
            *error = QObject::tr("cannot read the trust secret: %1").arg(systemError());
        return {};
    }
    const Descriptor guard(fd);
    const QByteArray key = readAll(fd, kSecretBytes + 1);
    if (key.size() != kSecretBytes) {
        if (error)
            *error = QObject::tr("the trust secret in %1 is damaged (delete it to make a new one)")
                         .arg(m_directory);
        return {};
    }
    return key;
}

QByteArray TrustStore::signature(const QByteArray& content, QString* error) const
{
    const Descriptor directory(openDirectory(error));
    if (directory.get() < 0)
        return {};
    const QByteArray key = secret(directory.get(), error);
    if (key.isEmpty())
        return {};
    return QMessageAuthenticationCode::hash(content, key, QCryptographicHash::Sha256).toHex();
}

bool TrustStore::verify(const QByteArray& content, const QByteArray& signature) const
{
    const QByteArray expected = this->signature(content);
    if (expected.isEmpty() || signature.size() != expected.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < expected.size(); ++i)
        difference |= static_cast<unsigned char>(expected[i] ^ signature[i]);
    return difference == 0;
}

QByteArray TrustStore::readSignatures(int directory) const
{
    const int fd = openPrivateFile(directory, kSignaturesName, O_RDONLY, nullptr);
    if (fd < 0)
        return {};
    const Descriptor guard(fd);
    // Bounded: never more than the store keeps (plus a line being appended by another window).
    return readAll(fd, qint64(maximumSignatures + 16) * (kSignatureChars + 1));
}

bool TrustStore::isSigned(const QByteArray& content) const
{
    const Descriptor directory(openDirectory(nullptr));
    if (directory.get() < 0)
        return false;
    const QByteArray key = secret(directory.get(), nullptr);
    if (key.isEmpty())
        return false;
    const QByteArray wanted =
        QMessageAuthenticationCode::hash(content, key, QCryptographicHash::Sha256).toHex();
    const QByteArray all = readSignatures(directory.get());
    for (const QByteArray& line : all.split('\n'))
        if (line == wanted)
            return true;
    return false;
}

bool TrustStore::addSignature(const QByteArray& content, QString* error) const
{
    const Descriptor directory(openDirectory(error));
    if (directory.get() < 0)
        return false;
    const QByteArray key = secret(directory.get(), error);
    if (key.isEmpty())
        return false;
    const QByteArray added =
        QMessageAuthenticationCode::hash(content, key, QCryptographicHash::Sha256).toHex();
    QList<QByteArray> lines;
    for (const QByteArray& line : readSignatures(directory.get()).split('\n'))
        if (line.size() == kSignatureChars && line != added)
            lines.append(line);
    lines.append(added); // newest last: culling drops from the front
    if (lines.size() > maximumSignatures)
        lines = lines.mid(lines.size() - maximumSignatures * 3 / 4);
    // Rewritten whole and renamed into place: a crash leaves the old store or the new one.
    const QByteArray temporary = QFile::encodeName(uniqueName(kSignaturesName));
    const int out = ::openat(directory.get(), temporary.constData(),
                             O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    bool ok = out >= 0;
    if (ok) {
        ok = writeAll(out, lines.join('\n') + '\n') && ::fsync(out) == 0;
        ::close(out);
        ok = ok && ::renameat(directory.get(), temporary.constData(), directory.get(), kSignaturesName) == 0;
        if (!ok)
            ::unlinkat(directory.get(), temporary.constData(), 0);
    }
    if (!ok && error)
        *error = QObject::tr("cannot write the signature store in %1: %2").arg(m_directory, systemError());
    return ok;
}

} // namespace stridescope
