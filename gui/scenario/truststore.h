#pragma once

#include <QByteArray>
#include <QString>

namespace stridescope {

// Which scenario files the user saved themselves, as Jupyter's notebook trust does it: a file's
// canonical content signed with HMAC-SHA256 under a per-user secret, the signatures kept in a small
// file next to the secret. A file whose signature is in the store was written by this user's
// Stridescope; any other file (downloaded, edited by hand since) is not.
//
// Both live in a directory of their own (default: <AppDataLocation>/trust), mode 0700, owned by
// the user; a directory or file that is a symlink, is someone else's or is open to others is
// refused, and nothing is trusted. The secret is made on first use (32 random bytes, mode 0600).
class TrustStore
{
public:
    // At most this many signatures are kept; the oldest go first (Jupyter culls the same way).
    static constexpr int maximumSignatures = 10000;

    explicit TrustStore(QString directory = defaultDirectory());
    static QString defaultDirectory();
    QString directory() const { return m_directory; }

    // HMAC-SHA256 of `content` in hex; empty when the secret cannot be had (`error` says why).
    QByteArray signature(const QByteArray& content, QString* error = nullptr) const;
    // `signature` is the signature of `content` (compared in constant time).
    bool verify(const QByteArray& content, const QByteArray& signature) const;

    // The signature store: record that the user wrote `content`, and ask whether they did.
    bool addSignature(const QByteArray& content, QString* error = nullptr) const;
    bool isSigned(const QByteArray& content) const;

private:
    int openDirectory(QString* error) const; // checked, O_NOFOLLOW; -1 on failure
    QByteArray secret(int directory, QString* error) const;
    QByteArray readSignatures(int directory) const;

    QString m_directory;
};

} // namespace stridescope
