// stridescope._native: the native half of the `stridescope` package (python/stridescope), loaded by
// the user's own python3 into its running interpreter. It holds Stridescope's own exporter
// (StridedBuffer) and makes the app's inspection and request matrix in process, on the caller's
// object; the reports are the app's JSON (ReportJson), handed over through json.loads so that every
// key and value is exactly what `stridescope inspect --json` / `requests --json` print.
//
// It links no libpython: the python3 that loads it has its own interpreter (Debian's is linked
// statically), and a second one in the process would crash it.
#include "cli/reportjson.h"
#include "core/conformancecheck.h"
#include "gui/scenario/scenariofile.h"
#include "pyhost/objectinspector.h"
#include "pyhost/requestarguments.h"
#include "pyhost/requestmatrix.h"
#include "pyhost/snapshotcapture.h"
#include "pyhost/stridedbuffertype.h"

#include <QJsonDocument>
#include <QSaveFile>

#include <pybind11/pybind11.h>

#include <unistd.h>

namespace py = pybind11;
using namespace stridescope;

namespace {

// The report as Python data, through the JSON text the command line prints.
py::object toPython(const QJsonObject& object)
{
    const QByteArray text = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return py::module_::import("json").attr("loads")(py::bytes(text.constData(), py::size_t(text.size())));
}

// What differs from a report of the app, which ran the inspection in its worker from a scenario: the
// inspection ran here, in the caller's process, on an object that no scenario describes.
QJsonObject inProcessJson(InspectionReport& report)
{
    report.workerPid = ::getpid();
    QJsonObject json = ReportJson::toObject(report);
    json[QStringLiteral("scenario")] = QJsonValue::Null;
    return json;
}

py::object inspect(py::handle object, py::handle buffertype, py::handle order)
{
    const ConversionRequest request = requestArguments(buffertype, order);
    Inspector::Options options;
    options.probe.snapshotLimit = 0; // as `inspect --json`: the report carries no bytes
    InspectionReport report;
    try {
        report = ObjectInspector::run(object, request, options);
    } catch (const SourceError& e) {
        throw py::value_error(e.what());
    }
    return toPython(inProcessJson(report));
}

// TypeError unless `object` supports the buffer protocol; `consequence` says what that leaves undone.
void requireBuffer(py::handle object, const char* consequence)
{
    if (!PyObject_CheckBuffer(object.ptr()))
        throw py::type_error(std::string("a ") + Py_TYPE(object.ptr())->tp_name +
                             " does not support the buffer protocol: " + consequence);
}

py::object checkExporter(py::handle object)
{
    requireBuffer(object, "there is nothing to request");
    Inspector::Options options; // as `stridescope requests`: the matrix, no conversion call
    options.probe.snapshotLimit = 0;
    options.probe.requestMatrix = true;
    options.probe.conversionCall = false;
    InspectionReport report;
    std::string probeError;
    try {
        report = ObjectInspector::run(object, {}, options);
    } catch (const SourceError& e) {
        probeError = e.what();
        // The PyBUF_FULL_RO view itself cannot be read (a lying exporter): the probe stops there, but
        // every request can still be asked and checked, with the exporter's memory unknown.
        report = InspectionReport();
        report.sourceType = Py_TYPE(object.ptr())->tp_name;
        report.sourceSupportsBuffer = true;
        report.callMade = false;
        report.requestsChecked = true;
        report.requests = RequestMatrix::run(object.ptr(), std::nullopt);
        ConformanceCheck::check(report.requests, std::nullopt);
    }
    QJsonObject json = inProcessJson(report);
    // Where `stridescope requests` would have stopped with this message (exit code 1).
    if (!probeError.empty())
        json[QStringLiteral("probe_error")] = QString::fromStdString(probeError);
    return toPython(json);
}

// A snapshot scenario of the object (its layout and the bytes of its block, SnapshotCapture) with the
// request given, written to `file` whole or not at all (QSaveFile). Returns the path written.
py::str save(py::handle object, py::handle file, py::handle buffertype, py::handle order)
{
    const ConversionRequest request = requestArguments(buffertype, order);
    const std::string path = py::module_::import("os").attr("fspath")(file).cast<std::string>();
    requireBuffer(object, "there is no layout to save");
    Scenario scenario;
    try {
        scenario = SnapshotCapture::capture(object.ptr());
    } catch (const SourceError& e) {
        throw py::value_error(e.what());
    }
    scenario.request = request;
    ScenarioNotes notes;
    notes.title =
        QStringLiteral("A snapshot of a %1").arg(QString::fromStdString(scenario.captured.capturedFrom));
    notes.summary =
        QStringLiteral("Saved by stridescope.save(): the exporter's layout and the bytes of its memory, "
                       "exported again by Stridescope's own exporter.");
    const QByteArray content = ScenarioFile::toJson(scenario, notes);
    QSaveFile out(QString::fromStdString(path));
    if (!out.open(QIODevice::WriteOnly) || out.write(content) != content.size() || !out.commit()) {
        PyErr_Format(PyExc_OSError, "cannot write %s: %s", path.c_str(), qPrintable(out.errorString()));
        throw py::error_already_set();
    }
    return py::str(path);
}

} // namespace

PYBIND11_MODULE(_native, m)
{
    m.doc() = "The native half of the stridescope package: StridedBuffer, inspect and check_exporter.";
    StridedBufferType::addTo(m, "stridescope.StridedBuffer");
    m.attr("__version__") = STRIDESCOPE_VERSION;
    m.def("inspect", &inspect, py::arg("obj"), py::arg("buffertype") = "read", py::arg("order") = "C",
          "inspect(obj, buffertype='read', order='C') -> dict\n\n"
          "Calls PyMemoryView_GetContiguous(obj, buffertype, order) here, in this process, next to\n"
          "Stridescope's prediction; returns the report of `stridescope inspect --json` (scenario None).");
    m.def("check_exporter", &checkExporter, py::arg("obj"),
          "check_exporter(obj) -> dict\n\n"
          "Asks obj for every standard buffer request and checks each answer against the buffer\n"
          "protocol's rules; returns the report of `stridescope requests --json` (scenario None).");
    m.def("save", &save, py::arg("obj"), py::arg("file"), py::arg("buffertype") = "read",
          py::arg("order") = "C",
          "save(obj, file, buffertype='read', order='C') -> str\n\n"
          "Writes a scenario file that holds obj's layout and the bytes of its memory (a snapshot):\n"
          "the window and `stridescope inspect FILE` show it without obj's extension.");
}
