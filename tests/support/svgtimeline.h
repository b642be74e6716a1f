#pragma once

// What a browser shows of an SVG animated by SMIL at a given time, read independently of the writer
// (gui/window/animatedsvg.*): each <animate attributeName="visibility" calcMode="discrete"> is
// evaluated at `ms` (dur in ms or s, repeatCount="indefinite" loops, keyTimes pick the value) and
// sets its parent's visibility; the animations are dropped. Shared by tst_cli and tst_stepsexporter.
#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>
#include <QXmlStreamReader>
#include <QXmlStreamWriter>

#include <cmath>
#include <map>
#include <vector>

namespace stridescope::testsvg {

struct Animation
{
    QString attribute, calcMode, repeatCount;
    double durationMs = 0;
    QStringList values;
    std::vector<double> keyTimes;
};

// Every <animate> in document order; `problem` names the first one a browser would not loop as
// discrete frames.
inline std::vector<Animation> animations(const QByteArray& svg, QString* problem = nullptr)
{
    std::vector<Animation> all;
    QXmlStreamReader xml(svg);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement || xml.name() != QLatin1String("animate"))
            continue;
        const QXmlStreamAttributes a = xml.attributes();
        Animation animation;
        animation.attribute = a.value("attributeName").toString();
        animation.calcMode = a.value("calcMode").toString();
        animation.repeatCount = a.value("repeatCount").toString();
        const QString dur = a.value("dur").toString();
        bool ok = false;
        if (dur.endsWith(QLatin1String("ms")))
            animation.durationMs = dur.chopped(2).toDouble(&ok);
        else if (dur.endsWith(QLatin1Char('s')))
            animation.durationMs = dur.chopped(1).toDouble(&ok) * 1000;
        animation.values = a.value("values").toString().split(QLatin1Char(';'));
        for (const QString& t : a.value("keyTimes").toString().split(QLatin1Char(';'), Qt::SkipEmptyParts))
            animation.keyTimes.push_back(t.toDouble());
        if (problem && problem->isEmpty()) {
            if (!ok || animation.durationMs <= 0)
                *problem = QStringLiteral("dur '%1'").arg(dur);
            else if (animation.keyTimes.size() != std::size_t(animation.values.size()) ||
                     animation.keyTimes.empty() || animation.keyTimes.front() != 0)
                *problem = QStringLiteral("keyTimes do not match values");
        }
        all.push_back(animation);
    }
    return all;
}

inline QString valueAt(const Animation& animation, double ms)
{
    const double local = std::fmod(ms, animation.durationMs) / animation.durationMs;
    if (animation.repeatCount != QLatin1String("indefinite") && ms >= animation.durationMs)
        return QString(); // ended: the static value holds again
    int at = 0;
    for (std::size_t i = 0; i < animation.keyTimes.size(); ++i)
        if (animation.keyTimes[i] <= local)
            at = int(i);
    return animation.values.value(at);
}

// The document at time `ms`, with no animation left: what a static renderer must show.
inline QByteArray frameAt(const QByteArray& svg, double ms)
{
    // Pass 1: the element (by start-element count) each animation sets, and the value it sets.
    std::map<qint64, QString> visibility;
    {
        QXmlStreamReader xml(svg);
        std::vector<qint64> open;
        qint64 count = 0;
        const std::vector<Animation> all = animations(svg);
        std::size_t next = 0;
        while (!xml.atEnd()) {
            const auto token = xml.readNext();
            if (token == QXmlStreamReader::StartElement) {
                if (xml.name() == QLatin1String("animate") && next < all.size() && !open.empty()) {
                    const QString value = valueAt(all[next++], ms);
                    if (!value.isEmpty() && all[next - 1].attribute == QLatin1String("visibility"))
                        visibility[open.back()] = value;
                }
                open.push_back(count++);
            } else if (token == QXmlStreamReader::EndElement) {
                open.pop_back();
            }
        }
    }
    // Pass 2: the same document with those visibilities and no <animate>.
    QByteArray out;
    QXmlStreamReader xml(svg);
    QXmlStreamWriter writer(&out);
    qint64 count = 0;
    int skipping = 0;
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const qint64 index = count++;
            if (skipping || xml.name() == QLatin1String("animate")) {
                ++skipping;
                continue;
            }
            writer.writeStartElement(xml.qualifiedName().toString());
            for (const auto& declaration : xml.namespaceDeclarations()) {
                if (declaration.prefix().isEmpty())
                    writer.writeDefaultNamespace(declaration.namespaceUri().toString());
                else
                    writer.writeNamespace(declaration.namespaceUri().toString(),
                                          declaration.prefix().toString());
            }
            QXmlStreamAttributes attributes = xml.attributes();
            if (auto it = visibility.find(index); it != visibility.end()) {
                QXmlStreamAttributes changed;
                for (const auto& attribute : attributes)
                    if (attribute.name() != QLatin1String("visibility"))
                        changed.append(attribute);
                changed.append(QStringLiteral("visibility"), it->second);
                attributes = changed;
            }
            writer.writeAttributes(attributes);
        } else if (token == QXmlStreamReader::EndElement) {
            if (skipping) {
                --skipping;
                continue;
            }
            writer.writeEndElement();
        } else if (!skipping && token == QXmlStreamReader::Characters) {
            writer.writeCharacters(xml.text().toString());
        }
    }
    return out;
}

// The visible <text>s of a static document in document order (visibility is inherited).
inline QStringList visibleTexts(const QByteArray& svg)
{
    QStringList texts;
    QXmlStreamReader xml(svg);
    std::vector<bool> visible{true};
    QString text;
    while (!xml.atEnd()) {
        const auto token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            const auto v = xml.attributes().value("visibility");
            visible.push_back(v.isEmpty() ? visible.back() : v == QLatin1String("visible"));
            if (xml.name() == QLatin1String("text"))
                text.clear();
        } else if (token == QXmlStreamReader::Characters) {
            text += xml.text();
        } else if (token == QXmlStreamReader::EndElement) {
            if (xml.name() == QLatin1String("text") && visible.back())
                texts << text;
            visible.pop_back();
        }
    }
    return texts;
}

} // namespace stridescope::testsvg
