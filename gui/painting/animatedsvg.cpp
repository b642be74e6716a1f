#include "animatedsvg.h"

#include <QHash>
#include <QObject>

#include <algorithm>
#include <optional>
#include <vector>

namespace stridescope {

namespace {

// A QSvgGenerator document: the head (declaration, <svg>, title, <defs>, the opening of the
// painter's outer group), the groups it writes one per painter state (the parts compared between
// frames), and the tail that closes the outer group and the document.
struct Document
{
    QByteArray head;
    std::vector<QByteArray> parts;
};

constexpr char tail[] = "</g>\n</svg>\n";

std::optional<Document> split(const QByteArray& svg)
{
    const qsizetype defs = svg.indexOf("</defs>\n");
    const qsizetype outer = defs < 0 ? -1 : svg.indexOf("\n<g ", defs);
    const qsizetype bodyStart = outer < 0 ? -1 : svg.indexOf(">\n", outer);
    if (bodyStart < 0 || !svg.endsWith(tail))
        return std::nullopt;
    Document document;
    document.head = svg.left(bodyStart + 2);
    const qsizetype bodyEnd = svg.size() - qsizetype(sizeof(tail) - 1);
    qsizetype at = bodyStart + 2;
    while (at < bodyEnd) {
        // A painter state's group starts on a line of its own; text content has '<' escaped.
        qsizetype next = svg.indexOf("\n<g ", at + 1);
        if (next < 0 || next > bodyEnd)
            next = bodyEnd;
        QByteArray part = svg.mid(at, next - at);
        // A state change the painter drew nothing in is left out: it changes no pixel.
        const qsizetype opened = part.indexOf(">\n");
        if (opened < 0 || part.mid(opened + 2).trimmed() != "</g>")
            document.parts.push_back(std::move(part));
        at = next;
    }
    return document;
}

// For each of b's parts: the index of the part of a it is (an unchanged part), or -1 (drawn only in b).
// The shortest edit script (Myers 1986), in O((n + m) d) time and O(d^2) memory for d edits; past
// maxEdits every part of b counts as new, which is still exact, only larger.
std::vector<int> match(const std::vector<int>& a, const std::vector<int>& b)
{
    constexpr int maxEdits = 1024;
    const int n = int(a.size());
    const int m = int(b.size());
    std::vector<int> matched(b.size(), -1);
    const int limit = std::min(maxEdits, n + m);
    std::vector<int> v(2 * limit + 3, 0);
    const int zero = limit + 1;
    std::vector<std::vector<int>> trace; // trace[d]: v[zero - d .. zero + d] before step d
    for (int d = 0; d <= limit; ++d) {
        trace.emplace_back(v.begin() + (zero - d), v.begin() + (zero + d + 1));
        for (int k = -d; k <= d; k += 2) {
            int x = (k == -d || (k != d && v[zero + k - 1] < v[zero + k + 1])) ? v[zero + k + 1]
                                                                               : v[zero + k - 1] + 1;
            int y = x - k;
            while (x < n && y < m && a[x] == b[y])
                ++x, ++y;
            v[zero + k] = x;
            if (x < n || y < m)
                continue;
            // Walk back from (n, m), recording the diagonals (unchanged parts).
            for (int e = d; e > 0 && (x > 0 || y > 0); --e) {
                const std::vector<int>& before = trace[e]; // v before step e, indices -e .. e
                const auto at = [&](int kk) { return before[kk + e]; };
                const int kk = x - y;
                const bool down = kk == -e || (kk != e && at(kk - 1) < at(kk + 1));
                const int previousK = down ? kk + 1 : kk - 1;
                const int previousX = at(previousK);
                const int previousY = previousX - previousK;
                while (x > previousX + (down ? 0 : 1) && y > previousY + (down ? 1 : 0))
                    matched[--y] = --x;
                x = previousX;
                y = previousY;
            }
            while (x > 0 && y > 0)
                matched[--y] = --x;
            return matched;
        }
    }
    return matched;
}

QByteArray number(double value)
{
    return QByteArray::number(value, 'g', 12);
}

// The <animate> that shows a group during the frames `visible` holds and hides it otherwise, and the
// group's static visibility (frame 0's).
QByteArray openGroup(const std::vector<bool>& visible, int frameMs)
{
    const int frames = int(visible.size());
    QByteArray values;
    QByteArray keyTimes;
    for (int f = 0; f < frames; ++f) {
        if (f > 0 && visible[f] == visible[f - 1])
            continue;
        if (f > 0) {
            values += ';';
            keyTimes += ';';
        }
        values += visible[f] ? "visible" : "hidden";
        keyTimes += number(double(f) / frames);
    }
    QByteArray group = "\n<g visibility=\"";
    group += visible[0] ? "visible" : "hidden";
    group += "\">\n<animate attributeName=\"visibility\" calcMode=\"discrete\" dur=\"";
    group += QByteArray::number(qint64(frameMs) * frames) + "ms\" repeatCount=\"indefinite\" values=\"";
    group += values + "\" keyTimes=\"" + keyTimes + "\"/>";
    return group;
}

} // namespace

QByteArray AnimatedSvg::assemble(const QByteArray& base, const QList<QByteArray>& frames, int frameMs,
                                 QString* error)
{
    const auto fail = [&](const QString& why) {
        if (error)
            *error = why;
        return QByteArray();
    };
    const std::optional<Document> common = split(base);
    if (!common)
        return fail(QObject::tr("cannot animate the steps: the SVG generator wrote an unexpected document"));
    if (frames.isEmpty())
        return fail(QObject::tr("cannot animate the steps: there are no frames"));

    // Parts are compared by number: one number per distinct text.
    QHash<QByteArray, int> numbers;
    const auto numbered = [&](const std::vector<QByteArray>& parts) {
        std::vector<int> ids;
        ids.reserve(parts.size());
        for (const QByteArray& part : parts) {
            auto found = numbers.constFind(part);
            if (found == numbers.constEnd())
                found = numbers.insert(part, int(numbers.size()));
            ids.push_back(found.value());
        }
        return ids;
    };
    const std::vector<int> baseIds = numbered(common->parts);
    const std::size_t gaps = common->parts.size() + 1;
    const int count = int(frames.size());

    // baseShown[i][f]: base part i is drawn in frame f. added[g][f]: frame f's own parts drawn
    // before base part g (g == parts: after the last).
    std::vector<std::vector<bool>> baseShown(common->parts.size(), std::vector<bool>(count, false));
    std::vector<std::vector<QByteArray>> added(gaps, std::vector<QByteArray>(count));
    for (int f = 0; f < count; ++f) {
        std::optional<Document> frame = split(frames[f]);
        if (!frame)
            return fail(
                QObject::tr("cannot animate the steps: the SVG generator wrote an unexpected document"));
        if (frame->head != common->head)
            return fail(QObject::tr("cannot animate the steps: frame %1 has definitions (gradients, size or "
                                    "title) the others do not")
                            .arg(f + 1));
        const std::vector<int> matched = match(baseIds, numbered(frame->parts));
        std::size_t gap = 0; // the base part the next new part is drawn before
        for (std::size_t j = 0; j < matched.size(); ++j) {
            if (matched[j] >= 0) {
                baseShown[matched[j]][f] = true;
                gap = std::size_t(matched[j]) + 1;
            } else {
                added[gap][f] += frame->parts[j];
            }
        }
    }

    QByteArray out = common->head;
    for (std::size_t g = 0; g < gaps; ++g) {
        for (int f = 0; f < count; ++f) {
            if (added[g][f].isEmpty())
                continue;
            std::vector<bool> visible(count, false);
            visible[f] = true;
            if (count == 1) {
                out += added[g][f];
                continue;
            }
            out += openGroup(visible, frameMs) + added[g][f] + "\n</g>\n";
        }
        if (g == common->parts.size())
            break;
        const std::vector<bool>& shown = baseShown[g];
        if (std::all_of(shown.begin(), shown.end(), [](bool s) { return s; }))
            out += common->parts[g];
        else if (std::any_of(shown.begin(), shown.end(), [](bool s) { return s; }))
            out += openGroup(shown, frameMs) + common->parts[g] + "\n</g>\n";
    }
    out += tail;
    return out;
}

} // namespace stridescope
