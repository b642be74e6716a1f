#include "outcomesummary.h"

#include "reporttext.h"

#include <QLocale>

namespace stridescope {

namespace {

QString s(const std::string& text)
{
    return QString::fromStdString(text);
}

QString address(Address a)
{
    return QStringLiteral("0x%1").arg(a, 0, 16);
}

// Known refusals, said the way a teacher would say them.
QString explainError(const std::string& type, const std::string& message, const ConversionRequest& request)
{
    if (type == "BufferError" && message == "underlying buffer is not writable")
        return QObject::tr("Refused: PyBUF_WRITE asks for a view you may write through, but this buffer is "
                           "read-only.");
    if (type == "BufferError" && message.rfind("writable contiguous buffer requested", 0) == 0)
        return QObject::tr(
                   "Refused: PyBUF_WRITE needs the original memory, but the elements are not laid out "
                   "in %1 order there, and writes to a copy would be lost.")
            .arg(request.order == 'A' ? QObject::tr("C or Fortran")
                                      : QString(QChar::fromLatin1(request.order)));
    if (type == "TypeError" && message.find("bytes-like object is required") != std::string::npos)
        return QObject::tr(
            "Refused: the object does not support the buffer protocol, so there is nothing to view.");
    return QObject::tr("Refused: CPython raised %1.").arg(s(type));
}

} // namespace

QString OutcomeSummary::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None:
        return QStringLiteral("none");
    case Kind::Alias:
        return QStringLiteral("alias");
    case Kind::Copy:
        return QStringLiteral("copy");
    case Kind::Error:
        return QStringLiteral("error");
    case Kind::SourceFailed:
        return QStringLiteral("source-failed");
    }
    return QStringLiteral("none");
}

QString OutcomeSummary::sharesMemory(const ConversionResult& result)
{
    if (result.buffer && result.buffer->len == 0)
        return QObject::tr("no, the result has no bytes (len 0), so there are none to share");
    return result.sharesMemory ? QObject::tr("yes") : QObject::tr("no");
}

QString OutcomeSummary::duration(double seconds)
{
    if (seconds < 1e-3)
        return QStringLiteral("%1 µs").arg(seconds * 1e6, 0, 'f', 1);
    if (seconds < 1)
        return QStringLiteral("%1 ms").arg(seconds * 1e3, 0, 'f', 2);
    return QStringLiteral("%1 s").arg(seconds, 0, 'f', 2);
}

QString OutcomeSummary::bytes(qint64 count)
{
    return count == 1 ? QObject::tr("1 byte") : QObject::tr("%1 bytes").arg(QLocale::c().toString(count));
}

QString OutcomeSummary::copySpeed(const InspectionReport& r, double memcpyBytesPerSecond)
{
    const ConversionResult& res = r.result;
    if (res.error || res.outcome != ConversionPrediction::Outcome::Copy || !res.buffer ||
        res.buffer->len < kCopySpeedMinimumBytes || res.seconds <= 0 || memcpyBytesPerSecond <= 0 ||
        r.prediction.copyMethod == ConversionPrediction::CopyMethod::None)
        return {};
    const double rate = double(res.buffer->len) / res.seconds;
    const double times = memcpyBytesPerSecond / rate;
    const auto gbps = [](double bytesPerSecond) {
        const double gb = bytesPerSecond / 1e9;
        return QStringLiteral("%1 GB/s").arg(gb, 0, 'f', gb < 1 ? 2 : 1);
    };
    const QString comparison = times >= 1.05
                                   ? QObject::tr("%1× faster").arg(times, 0, 'f', times < 10 ? 1 : 0)
                                   : QObject::tr("no faster");
    return QObject::tr(
               "at %1; memcpy runs at %2 on this machine, %3. CPython copied this buffer %4, because %5.")
        .arg(gbps(rate), gbps(memcpyBytesPerSecond), comparison,
             s(ConversionPrediction::copyMethodWords(r.prediction.copyMethod)),
             s(r.prediction.copyMethodReason));
}

OutcomeSummary OutcomeSummary::fromReport(const InspectionReport& r,
                                          std::optional<double> memcpyBytesPerSecond)
{
    OutcomeSummary o;
    const ConversionResult& res = r.result;
    o.call = s(r.request().callText());
    o.rule = s(r.prediction.rule);
    for (const std::string& d : r.disagreements)
        o.disagreements << s(d);
    if (!r.agrees && o.disagreements.isEmpty())
        o.disagreements << QObject::tr("the prediction and CPython differ");

    if (res.error) {
        o.kind = Kind::Error;
        o.badge = s(res.error->type);
        o.headline = explainError(res.error->type, res.error->message, r.request());
        o.details = QObject::tr("CPython raised %1: %2 (after %3).")
                        .arg(s(res.error->type), s(res.error->message), duration(res.seconds));
        return o;
    }
    if (res.outcome == ConversionPrediction::Outcome::Copy) {
        o.kind = Kind::Copy;
        o.badge = QStringLiteral("COPY");
        const qint64 length = res.buffer ? res.buffer->len : r.prediction.resultLength;
        const bool fortran = r.request().copyOrder() == 'F';
        o.headline =
            QObject::tr("A new %1-byte bytes object, copied in %2 order.")
                .arg(ReportText::countText(length), fortran ? QObject::tr("Fortran") : QObject::tr("C"));
        o.sharing = QObject::tr("The result does not share the source's memory: it is a read-only memoryview "
                                "whose base is the new %1.")
                        .arg(res.baseType.empty() ? QStringLiteral("bytes") : s(res.baseType));
        const QString speed = memcpyBytesPerSecond ? copySpeed(r, *memcpyBytesPerSecond) : QString();
        o.details = QObject::tr("%1 copied in %2%3 %4")
                        .arg(bytes(length), duration(res.seconds),
                             speed.isEmpty() ? QStringLiteral(".") : QStringLiteral(", ") + speed, o.sharing);
        return o;
    }
    o.kind = Kind::Alias;
    o.badge = QStringLiteral("ALIAS");
    o.headline = QObject::tr("The source's own memory: nothing was copied.");
    // Said from the result: an empty view shares no byte, and a read-only one cannot be written.
    o.sharing =
        res.buffer && res.buffer->len == 0
            ? QObject::tr("Nothing is shared: the view points into the same memory, but it has no bytes "
                          "(len 0), so no element reaches a byte of it.")
        : res.buffer && res.buffer->readonly
            ? QObject::tr("It is a view of the very same bytes, read-only like the source.")
            : QObject::tr("Writing through the result writes the source, and the other way round.");
    if (res.buffer && r.memory) {
        const qint64 relative = qint64(res.buffer->buf - r.memory->base);
        o.details =
            QObject::tr("Its buf is memory + %1 (%2); %3 in %4. %5")
                .arg(relative)
                .arg(address(res.buffer->buf), bytes(res.buffer->len), duration(res.seconds), o.sharing);
    } else {
        o.details = QObject::tr("Took %1. %2").arg(duration(res.seconds), o.sharing);
    }
    return o;
}

QString OutcomeSummary::verdict() const
{
    return badge + QStringLiteral(" \u2014 ") + headline;
}

OutcomeSummary OutcomeSummary::fromFailure(const InspectionFailure& failure)
{
    OutcomeSummary o;
    o.kind = Kind::SourceFailed;
    if (failure.notRun) {
        o.badge = QObject::tr("NOT RUN");
        o.headline = QObject::tr("Not run: this scenario's Python code waits for your permission.");
        o.details = failure.message;
        return o;
    }
    const bool interrupted =
        failure.stopped || (failure.python && failure.python->type == "KeyboardInterrupt");
    const bool crashed = failure.interpreterLost && !interrupted;
    o.badge = interrupted ? QObject::tr("STOPPED")
              : crashed   ? QObject::tr("CRASHED")
                          : QObject::tr("NO BUFFER");
    o.headline = interrupted
                     ? QObject::tr("Stopped: the Python code was interrupted before it made a buffer.")
                 : crashed ? QObject::tr("The interpreter crashed; Stridescope started a new one, and your "
                                         "scenario is unchanged.")
                           : QObject::tr("The buffer could not be built, so nothing was called.");
    o.details = failure.message;
    if (failure.python && failure.python->line > 0)
        o.details += QObject::tr(" (line %1 of the code)").arg(failure.python->line);
    return o;
}

QString OutcomeSummary::interpreter(const InspectionReport& report)
{
    if (report.workerPid == 0)
        return {};
    switch (report.interpreterUse) {
    case InspectionReport::InterpreterUse::Fresh:
        return QObject::tr("a fresh interpreter (worker process %1)").arg(report.workerPid);
    case InspectionReport::InterpreterUse::Console:
        return QObject::tr("the Console's interpreter, after the commands typed there (worker process %1)")
            .arg(report.workerPid);
    case InspectionReport::InterpreterUse::Reused:
        break;
    }
    return QObject::tr("a reused interpreter that has run only data-only scenarios (worker process %1)")
        .arg(report.workerPid);
}

} // namespace stridescope
