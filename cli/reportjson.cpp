#include "reportjson.h"

#include "comparisonjson.h"

#include "core/conformancecheck.h"
#include "gui/scenario/scenariofile.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace stridescope {

namespace {

QJsonValue intArray(const std::optional<std::vector<std::int64_t>>& v)
{
    if (!v)
        return QJsonValue::Null;
    QJsonArray a;
    for (auto x : *v)
        a.append(double(x));
    return a;
}

QJsonValue text(const std::string& s)
{
    return QString::fromStdString(s);
}

QJsonObject verdictObject(const ContiguityVerdict& v)
{
    QJsonObject o;
    o["contiguous"] = v.contiguous;
    o["explanation"] = text(v.explanation);
    o["breaking_axis"] = v.breakingAxis >= 0 ? QJsonValue(v.breakingAxis) : QJsonValue::Null;
    o["needed_stride"] = v.breakingAxis >= 0 ? QJsonValue(double(v.neededStride)) : QJsonValue::Null;
    return o;
}

QJsonObject errorObject(const std::string& type, const std::string& message,
                        const std::string& traceback = {})
{
    QJsonObject o;
    o["type"] = text(type);
    o["message"] = text(message);
    if (!traceback.empty())
        o["traceback"] = text(traceback);
    return o;
}

} // namespace

QJsonObject ReportJson::bufferObject(const ExportedBuffer& b)
{
    QJsonObject o;
    o["buf"] = double(b.buf);
    o["len"] = double(b.len);
    o["itemsize"] = double(b.itemSize);
    o["readonly"] = b.readonly;
    o["ndim"] = b.ndim;
    o["format"] = b.format ? QJsonValue(text(*b.format)) : QJsonValue::Null;
    o["shape"] = intArray(b.shape);
    o["strides"] = intArray(b.strides);
    o["suboffsets"] = intArray(b.suboffsets);
    return o;
}

namespace {

QJsonObject contiguityObject(const BufferContiguity& b)
{
    QJsonObject o;
    o["C"] = b.c;
    o["F"] = b.f;
    o["A"] = b.any;
    return o;
}

} // namespace

namespace {

// Whether the source is contiguous in each order, and why (only a source that gave a buffer has one).
void addSourceContiguity(const InspectionReport& r, QJsonObject& source)
{
    if (r.sourceBuffer) {
        source["c_contiguous"] = r.cVerdict.contiguous;
        source["f_contiguous"] = r.fVerdict.contiguous;
        source["buffer_is_contiguous"] = r.sourceBufferIsContiguous
                                             ? QJsonValue(contiguityObject(*r.sourceBufferIsContiguous))
                                             : QJsonValue::Null;
        source["explanation"] = text(r.orderVerdict.explanation);
        QJsonObject contiguity;
        contiguity["C"] = verdictObject(r.cVerdict);
        contiguity["F"] = verdictObject(r.fVerdict);
        contiguity["requested"] = verdictObject(r.orderVerdict);
        source["contiguity"] = contiguity;
    } else {
        source["buffer_is_contiguous"] = QJsonValue::Null;
        source["c_contiguous"] = QJsonValue::Null;
        source["f_contiguous"] = QJsonValue::Null;
        source["explanation"] = text(r.prediction.rule);
    }
}

QJsonValue memoryviewFlagsValue(const InspectionReport& r)
{
    if (!r.sourceMemoryviewFlags)
        return QJsonValue::Null;
    QJsonObject flags;
    flags["c_contiguous"] = r.sourceMemoryviewFlags->cContiguous;
    flags["f_contiguous"] = r.sourceMemoryviewFlags->fContiguous;
    flags["contiguous"] = r.sourceMemoryviewFlags->contiguous();
    return flags;
}

// The memory block behind the source (only present when it was found).
QJsonObject memoryObject(const InspectionReport& r)
{
    QJsonObject memory;
    memory["base"] = double(r.memory->base);
    memory["size"] = double(r.memory->size);
    memory["owner"] = text(r.memory->owner);
    memory["buf_offset"] = double(r.sourceLayout.bufOffset());
    memory["overreach"] = r.memory->overreach.empty() ? QJsonValue::Null : text(r.memory->overreach);
    // An indirect buffer's rows that live apart from that block, found through its pointers.
    QJsonArray rowBlocks;
    for (const RowBlock& b : r.rowBlocks) {
        QJsonObject block;
        block["base"] = double(b.block.base);
        block["size"] = double(b.block.size);
        block["owner"] = text(b.block.owner);
        block["offset"] = double(b.bytes.start);
        rowBlocks.append(block);
    }
    memory["row_blocks"] = rowBlocks;
    return memory;
}

QJsonValue selfOverlapValue(const InspectionReport& r)
{
    if (!r.selfOverlap)
        return QJsonValue::Null;
    QJsonObject overlap;
    overlap["first"] = intArray(r.selfOverlap->first);
    overlap["second"] = intArray(r.selfOverlap->second);
    return overlap;
}

// The object inspected: its type, the buffer it exported, its contiguity, its memory.
QJsonObject sourceObject(const InspectionReport& r)
{
    QJsonObject source;
    source["type"] = text(r.sourceType);
    source["is_memoryview"] = r.sourceIsMemoryview;
    source["supports_buffer"] = r.sourceSupportsBuffer;
    source["buffer"] =
        r.sourceBuffer ? QJsonValue(ReportJson::bufferObject(*r.sourceBuffer)) : QJsonValue::Null;
    source["export_error"] = r.exportFailure
                                 ? QJsonValue(errorObject(r.exportFailure->first, r.exportFailure->second))
                                 : QJsonValue::Null;
    addSourceContiguity(r, source);
    source["memoryview_flags"] = memoryviewFlagsValue(r);
    source["contiguity_note"] =
        r.sourceContiguityNote.empty() ? QJsonValue::Null : text(r.sourceContiguityNote);
    if (r.memory)
        source["memory"] = memoryObject(r);
    source["outside_memory"] = r.outsideMemory ? text(*r.outsideMemory) : QJsonValue::Null;
    source["self_overlap"] = selfOverlapValue(r);
    source["format_note"] = r.formatNote.empty() ? QJsonValue::Null : text(r.formatNote);
    source["values_decodable"] = r.valuesDecodable;
    source["output"] = text(r.output);
    source["output_truncated"] = r.outputTruncated;
    return source;
}

// The call made. `scenario` holds the same request as the scenario file that was run, but it is
// null where no scenario describes the object (the Python package's in-process reports).
QJsonObject requestObject(const InspectionReport& r)
{
    QJsonObject request;
    request["buffertype"] = text(r.request().bufferTypeName());
    request["order"] = QString(QChar::fromLatin1(r.request().order));
    request["call"] = text(r.request().callText());
    return request;
}

QJsonObject predictionObject(const ConversionPrediction& p)
{
    QJsonObject prediction;
    prediction["outcome"] = text(ConversionPrediction::outcomeName(p.outcome));
    prediction["error_type"] = p.errorType.empty() ? QJsonValue::Null : text(p.errorType);
    prediction["error_message"] = p.errorMessage.empty() ? QJsonValue::Null : text(p.errorMessage);
    prediction["rule"] = text(p.rule);
    if (p.resultLayout) {
        QJsonObject layout;
        layout["shape"] = intArray(p.resultLayout->shape());
        layout["strides"] = intArray(p.resultLayout->strides());
        layout["len"] = double(p.resultLength);
        layout["readonly"] = p.resultReadonly;
        prediction["result"] = layout;
        prediction["copy_method"] = text(ConversionPrediction::copyMethodName(p.copyMethod));
        prediction["copy_method_reason"] = text(p.copyMethodReason);
    } else {
        prediction["result"] = QJsonValue::Null;
    }
    return prediction;
}

QJsonObject resultObject(const ConversionResult& res)
{
    QJsonObject result;
    result["outcome"] = text(ConversionPrediction::outcomeName(res.outcome));
    result["is_memoryview"] = res.isMemoryview;
    result["base"] = res.error ? QJsonValue::Null : text(ConversionPrediction::baseKindName(res.baseKind));
    result["base_type"] = res.baseType.empty() ? QJsonValue::Null : text(res.baseType);
    result["buffer"] = res.buffer ? QJsonValue(ReportJson::bufferObject(*res.buffer)) : QJsonValue::Null;
    result["c_contiguous"] = res.buffer ? QJsonValue(res.cContiguous) : QJsonValue::Null;
    result["f_contiguous"] = res.buffer ? QJsonValue(res.fContiguous) : QJsonValue::Null;
    result["buffer_is_contiguous"] =
        res.buffer ? QJsonValue(contiguityObject(res.bufferIsContiguous)) : QJsonValue::Null;
    result["contiguity_note"] = res.contiguityNote.empty() ? QJsonValue::Null : text(res.contiguityNote);
    result["shares_memory"] = res.sharesMemory;
    QJsonValue tolist = QJsonValue::Null;
    if (res.tolistJson)
        tolist =
            QJsonDocument::fromJson(QByteArray::fromStdString("[" + *res.tolistJson + "]")).array().at(0);
    result["tolist"] = tolist;
    result["tolist_omitted"] = res.tolistOmitted;
    result["tolist_error"] = res.tolistError.empty() ? QJsonValue::Null : text(res.tolistError);
    result["error"] = res.error
                          ? QJsonValue(errorObject(res.error->type, res.error->message, res.error->traceback))
                          : QJsonValue::Null;
    result["seconds"] = res.seconds;
    result["bytes_verified"] = double(res.bytesVerified);
    result["verify_note"] = res.verifyNote.empty() ? QJsonValue::Null : text(res.verifyNote);
    return result;
}

QJsonObject interpreterObject(const InspectionReport& r)
{
    QJsonObject interpreter;
    interpreter["worker_pid"] = double(r.workerPid);
    interpreter["fresh"] = r.interpreterUse == InspectionReport::InterpreterUse::Fresh;
    return interpreter;
}

// The request matrix's verdicts counted (only when the requests were checked).
QJsonObject conformanceObject(const InspectionReport& r)
{
    QJsonObject conformance;
    int failed = 0, undecided = 0, passed = 0;
    for (const RequestOutcome& req : r.requests)
        for (const ConformanceVerdict& v : req.verdicts)
            (v.result == ConformanceVerdict::Result::Fail        ? failed
             : v.result == ConformanceVerdict::Result::Undecided ? undecided
                                                                 : passed)++;
    conformance["conforms"] = ConformanceCheck::conforms(r.requests);
    conformance["failed"] = failed;
    conformance["undecided"] = undecided;
    conformance["passed"] = passed;
    conformance["memory"] = r.requestsMemory ? QJsonValue(text(r.requestsMemory->owner)) : QJsonValue::Null;
    return conformance;
}

} // namespace

QJsonObject ReportJson::toObject(const InspectionReport& r)
{
    QJsonObject o;
    o["stridescope"] = QStringLiteral(STRIDESCOPE_VERSION);
    o["python"] = text(r.pythonVersion);
    o["interpreter"] = interpreterObject(r);
    o["scenario"] = ScenarioFile::toObject(r.scenario);
    o["source"] = sourceObject(r);
    o["request"] = requestObject(r);
    o["prediction"] = predictionObject(r.prediction);
    o["result"] =
        r.callMade ? QJsonValue(resultObject(r.result)) : QJsonValue::Null; // `requests` makes no call
    o["agrees"] = r.callMade ? QJsonValue(r.agrees) : QJsonValue::Null;
    QJsonArray disagreements;
    for (const auto& d : r.disagreements)
        disagreements.append(text(d));
    o["disagreements"] = disagreements;
    if (r.requestsChecked) {
        o["requests"] = requestsArray(r);
        o["conformance"] = conformanceObject(r);
    }
    if (r.comparison)
        o["comparison"] = ComparisonJson::toObject(*r.comparison);
    return o;
}

QJsonArray ReportJson::requestsArray(const InspectionReport& r)
{
    const RequestOutcome* reference = nullptr;
    for (const RequestOutcome& req : r.requests)
        if (req.request.name == BufferRequest::referenceName)
            reference = &req;
    QJsonArray requests;
    for (const RequestOutcome& req : r.requests) {
        QJsonObject o;
        o["request"] = text(req.request.name);
        o["flags"] = req.request.flags;
        o["outcome"] = req.raised() ? QStringLiteral("error") : QStringLiteral("view");
        if (req.view) {
            QJsonObject view = bufferObject(*req.view);
            view["buf_offset"] = req.bufOffset ? QJsonValue(double(*req.bufOffset)) : QJsonValue::Null;
            view["internal"] = req.internalSet;
            QJsonObject obj;
            obj["kind"] = req.obj == RequestOutcome::ObjKind::Exporter ? QStringLiteral("exporter")
                          : req.obj == RequestOutcome::ObjKind::Null   ? QStringLiteral("null")
                                                                       : QStringLiteral("other");
            obj["type"] = req.objType.empty() ? QJsonValue::Null : text(req.objType);
            view["obj"] = obj;
            QJsonArray unreadable;
            for (const std::string& f : req.unreadable)
                unreadable.append(text(f));
            view["unreadable"] = unreadable;
            o["view"] = view;
            o["error"] = QJsonValue::Null;
        } else {
            o["view"] = QJsonValue::Null;
            QJsonObject error = errorObject(req.errorType, req.errorMessage);
            error["is_buffer_error"] = req.errorIsBufferError;
            error["without_exception"] = req.errorReturnedWithoutException;
            error["view_obj_cleared"] = req.objClearedOnError;
            o["error"] = error;
        }
        QJsonObject refcount;
        refcount["before"] = double(req.refcountBefore);
        refcount["held"] = req.view ? QJsonValue(double(req.refcountHeld)) : QJsonValue::Null;
        refcount["after"] = double(req.refcountAfter);
        o["refcount"] = refcount;
        QJsonArray differences;
        if (reference && reference != &req)
            for (const std::string& f : req.differencesFrom(*reference))
                differences.append(text(f));
        o["differs_from_full_ro"] = differences;
        QJsonArray verdicts;
        for (const ConformanceVerdict& v : req.verdicts) {
            QJsonObject verdict;
            verdict["rule"] = text(v.rule);
            verdict["verdict"] = text(ConformanceVerdict::resultName(v.result));
            verdict["quote"] = text(v.quote);
            verdict["detail"] = text(v.detail);
            verdicts.append(verdict);
        }
        o["verdicts"] = verdicts;
        requests.append(o);
    }
    return requests;
}

} // namespace stridescope
