#include "textreport.h"

#include "comparisontext.h"

#include "gui/painting/outcomesummary.h"
#include "gui/painting/pythontext.h"

#include <QStringList>

namespace stridescope {

namespace {

QString s(const std::string& t)
{
    return QString::fromStdString(t);
}

QString bufferLine(const ExportedBuffer& b, Address memoryBase)
{
    return QStringLiteral("format %1, itemsize %2, ndim %3, shape %4, strides %5, suboffsets %6, len %7, %8, "
                          "buf = memory + %9")
        .arg(b.format ? "'" + s(*b.format) + "'" : QStringLiteral("NULL"))
        .arg(b.itemSize)
        .arg(b.ndim)
        .arg(PythonText::tuple(b.shape), PythonText::tuple(b.strides), PythonText::tuple(b.suboffsets))
        .arg(b.len)
        .arg(b.readonly ? QStringLiteral("read-only") : QStringLiteral("writable"))
        .arg(qint64(b.buf - memoryBase));
}

QString outcomeWord(ConversionPrediction::Outcome o)
{
    return s(ConversionPrediction::outcomeName(o)).toUpper();
}

// The source's buffer as exported: its fields, its memory, its contiguity and what else stands out.
void appendSourceBuffer(QStringList& out, const InspectionReport& r, Address base)
{
    out << "  buffer    " + bufferLine(*r.sourceBuffer, base);
    out << QStringLiteral("  memory    %1 bytes: %2").arg(r.memory->size).arg(s(r.memory->owner));
    for (const RowBlock& b : r.rowBlocks)
        out << QStringLiteral("  rows in   %1 bytes at memory %2%3: %4")
                   .arg(b.block.size)
                   .arg(b.bytes.start < 0 ? "- " : "+ ")
                   .arg(qAbs(b.bytes.start))
                   .arg(s(b.block.owner));
    out << QStringLiteral("  C order   %1").arg(s(r.cVerdict.explanation));
    out << QStringLiteral("  F order   %1").arg(s(r.fVerdict.explanation));
    if (r.sourceMemoryviewFlags)
        out << QStringLiteral("  flags     memoryview.c_contiguous %1, f_contiguous %2")
                   .arg(r.sourceMemoryviewFlags->cContiguous ? "True" : "False",
                        r.sourceMemoryviewFlags->fContiguous ? "True" : "False");
    if (!r.sourceContiguityNote.empty())
        out << "  note      " + s(r.sourceContiguityNote);
    if (r.selfOverlap)
        out << QStringLiteral("  overlap   elements %1 and %2 share bytes")
                   .arg(PythonText::tuple(r.selfOverlap->first), PythonText::tuple(r.selfOverlap->second));
    if (r.outsideMemory)
        out << "  outside   " + s(*r.outsideMemory);
    if (!r.formatNote.empty())
        out << "  values    " + s(r.formatNote);
}

// "Source": the object, its buffer (or why it has none) and what its code printed.
void appendSource(QStringList& out, const InspectionReport& r, Address base)
{
    if (r.comparison)
        out << ComparisonText::heading(s(r.comparison->firstName));
    out << QStringLiteral("Source      %1%2")
               .arg(s(r.sourceType), r.sourceIsMemoryview ? " (a memoryview)" : "");
    if (r.sourceBuffer) {
        appendSourceBuffer(out, r, base);
    } else if (r.exportFailure) {
        out << QStringLiteral("  export    refused: %1: %2")
                   .arg(s(r.exportFailure->first), s(r.exportFailure->second));
    } else {
        out << QStringLiteral("  buffer    none: the object does not support the buffer protocol");
    }
    if (!r.output.empty())
        out << "  output    " + s(r.output).trimmed().replace('\n', QStringLiteral("\n            ")) +
                   (r.outputTruncated ? QStringLiteral(" [truncated]") : QString());
}

// "Call" and "Predicted": the call made and what Stridescope expects of it, with the rule.
void appendCallAndPrediction(QStringList& out, const InspectionReport& r)
{
    const ConversionPrediction& p = r.prediction;
    out << QStringLiteral("Call        %1").arg(s(r.request().callText()));
    out << QStringLiteral("Predicted   %1%2")
               .arg(outcomeWord(p.outcome),
                    p.outcome == ConversionPrediction::Outcome::Error
                        ? QStringLiteral(" (%1: %2)").arg(s(p.errorType), s(p.errorMessage))
                        : QString());
    out << QStringLiteral("  because   %1").arg(s(p.rule));
}

// The memoryview CPython returned: its checks, base, buffer, contiguity and values.
void appendReturnedView(QStringList& out, const InspectionReport& r, Address base)
{
    const ConversionResult& res = r.result;
    out << "Result      " + OutcomeSummary::fromReport(r).verdict();
    out << QStringLiteral("  check     PyMemoryView_Check(result) = %1").arg(res.isMemoryview ? "1" : "0");
    out << QStringLiteral("  base      PyMemoryView_GET_BASE(result) = %1 (%2)")
               .arg(res.baseType.empty() ? QStringLiteral("NULL") : s(res.baseType),
                    s(ConversionPrediction::baseKindName(res.baseKind)));
    if (res.buffer)
        out << "  buffer    " + bufferLine(*res.buffer, res.outcome == ConversionPrediction::Outcome::Copy
                                                            ? res.buffer->buf
                                                            : base);
    out << QStringLiteral("  contig.   memoryview.c_contiguous %1, f_contiguous %2; PyBuffer_IsContiguous "
                          "C %3, F %4, A %5; shares the source's memory: %6")
               .arg(res.cContiguous ? "True" : "False", res.fContiguous ? "True" : "False",
                    res.bufferIsContiguous.c ? "1" : "0", res.bufferIsContiguous.f ? "1" : "0",
                    res.bufferIsContiguous.any ? "1" : "0", qPrintable(OutcomeSummary::sharesMemory(res)));
    if (!res.contiguityNote.empty())
        out << "  note      " + s(res.contiguityNote);
    if (res.tolistJson)
        out << "  tolist    " + (res.tolistJson->size() > 400 ? s(res.tolistJson->substr(0, 400)) + " ..."
                                                              : s(*res.tolistJson));
    else if (res.tolistOmitted)
        out << QStringLiteral("  tolist    omitted (more than 65536 elements)");
    else if (!res.tolistError.empty())
        out << "  tolist    fails: " + s(res.tolistError);
}

// What the call cost and how it was checked: time, verified bytes, copy method, interpreter.
void appendCost(QStringList& out, const InspectionReport& r)
{
    const ConversionResult& res = r.result;
    out << QStringLiteral("  took      %1%2")
               .arg(OutcomeSummary::duration(res.seconds),
                    res.bytesVerified ? QStringLiteral("; %1 copied bytes checked against the copy map")
                                            .arg(res.bytesVerified)
                                      : QString());
    if (!res.verifyNote.empty())
        out << "  check     " + s(res.verifyNote);
    if (res.outcome == ConversionPrediction::Outcome::Copy && !res.error &&
        r.prediction.copyMethod != ConversionPrediction::CopyMethod::None)
        out << QStringLiteral("  copied    %1: %2")
                   .arg(s(ConversionPrediction::copyMethodWords(r.prediction.copyMethod)),
                        s(r.prediction.copyMethodReason));
    if (r.workerPid)
        out << "  ran in    " + OutcomeSummary::interpreter(r);
}

// "Result": the error CPython raised or the view it returned, then the cost.
void appendResult(QStringList& out, const InspectionReport& r, Address base)
{
    if (r.result.error)
        out << QStringLiteral("Result      ERROR: %1").arg(s(r.result.error->oneLine()));
    else
        appendReturnedView(out, r, base);
    appendCost(out, r);
}

// "Verdict": whether the prediction and CPython agree, and each disagreement.
void appendVerdict(QStringList& out, const InspectionReport& r)
{
    if (r.agrees) {
        out << QStringLiteral("Verdict     the prediction and CPython agree.");
    } else {
        out << QStringLiteral("Verdict     DISAGREEMENT between Stridescope's prediction and CPython:");
        for (const auto& d : r.disagreements)
            out << "  - " + s(d);
    }
}

} // namespace

QString TextReport::render(const InspectionReport& r)
{
    const Address base = r.memory ? r.memory->base : 0;
    QStringList out;
    appendSource(out, r, base);
    out << "";
    appendCallAndPrediction(out, r);
    out << "";
    appendResult(out, r, base);
    out << "";
    appendVerdict(out, r);
    if (r.comparison)
        return out.join('\n') + '\n' + ComparisonText::render(*r.comparison);
    return out.join('\n') + '\n';
}

} // namespace stridescope
