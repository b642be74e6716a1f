#pragma once

#include "gui/supervisor/inspectionfailure.h"
#include "pyhost/inspectionreport.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace stridescope {

// The outcome of an inspection in words a learner understands, said once for every place that says
// it: the window's Outcome banner, the picture's banner (ResultPainter) and the text report's Result
// line (ReportText). Plain data, made from a report or a failure. Why the outcome is what it is is
// the prediction's rule (ConversionPrediction::rule), which all of them quote as it is.
struct OutcomeSummary
{
    enum class Kind
    {
        None,
        Alias,
        Copy,
        Error,
        SourceFailed
    };

    Kind kind = Kind::None;
    QString badge;    // "ALIAS", "COPY", "BufferError", "NO BUFFER"
    QString headline; // one sentence: what happened ("A new 12-byte bytes object, copied in C order.")
    QString sharing;  // whether writes reach the source, in one sentence (alias and copy)
    QString details;  // where the result lives, how many bytes, how long; ends with sharing
    QString call;     // PyMemoryView_GetContiguous(obj, PyBUF_READ, 'C')
    QString rule;     // the rule that decided, from Stridescope's prediction
    QStringList disagreements; // prediction vs CPython; empty when they agree

    // memcpyBytesPerSecond: this machine's memcpy bandwidth (MemoryBandwidth), when known; a
    // large copy's details then say how its speed compares, and why.
    static OutcomeSummary fromReport(const InspectionReport& report,
                                     std::optional<double> memcpyBytesPerSecond = std::nullopt);
    static OutcomeSummary fromFailure(const InspectionFailure& failure);

    // Copies below this size say nothing about speed: the call's fixed costs dominate.
    static constexpr qint64 kCopySpeedMinimumBytes = qint64(1) << 20;
    // "at 0.08 GB/s; memcpy runs at 11.2 GB/s on this machine, 140x faster. CPython copied this
    // buffer element by element, because ..."; empty for anything but a copy of at least
    // kCopySpeedMinimumBytes.
    static QString copySpeed(const InspectionReport& report, double memcpyBytesPerSecond);

    // The badge and the headline on one line: "COPY — A new 12-byte bytes object, copied in C order."
    QString verdict() const;

    static QString kindName(Kind kind); // "alias", "copy", "error", "source-failed", "none"
    // Whether the result shares the source's memory, in words: "yes", "no", or, for an empty result,
    // why there is nothing to share (an alias of zero bytes shares none).
    static QString sharesMemory(const ConversionResult& result);
    static QString duration(double seconds);
    static QString bytes(qint64 count);
    // Which interpreter ran the report: "a fresh interpreter (worker process 123)"; empty when the
    // report did not come from a worker.
    static QString interpreter(const InspectionReport& report);
};

} // namespace stridescope
