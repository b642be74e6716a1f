#include "inspectorpanel.h"

#include "gui/painting/pythontext.h"

#include "gui/model/inspectionstate.h"
#include "gui/model/scenariodocument.h"
#include "gui/painting/outcomesummary.h"
#include "gui/painting/reporttext.h"
#include "gui/scenario/snippetgenerator.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

namespace stridescope {

namespace {

// An exporter's format may be megabytes long (a numpy record of thousands of fields): the table
// shows its start and says how long it is, as laying it all out would freeze the panel.
std::string shownFormat(const std::string& format)
{
    constexpr std::size_t shown = 200;
    if (format.size() <= shown)
        return format;
    return format.substr(0, shown) + "... (" + std::to_string(format.size()) + " characters)";
}

QString pyBool(bool b)
{
    return b ? QStringLiteral("True") : QStringLiteral("False");
}

QString esc(const std::string& text)
{
    return QString::fromStdString(text).toHtmlEscaped();
}

QString hex(Address a)
{
    return QStringLiteral("0x%1").arg(a, 0, 16);
}

// One Py_buffer as the rows of the fields table; `where` names the block buf points into.
QStringList bufferRows(const ExportedBuffer& b, const QString& obj, const QString& where, Address base)
{
    return {
        obj,
        QStringLiteral("%1 + %2<br><small>%3</small>").arg(where).arg(qint64(b.buf - base)).arg(hex(b.buf)),
        QString::number(b.len),
        QString::number(b.itemSize),
        b.readonly ? QObject::tr("1 (read-only)") : QObject::tr("0 (writable)"),
        QString::number(b.ndim),
        b.format ? QStringLiteral("'%1'").arg(esc(shownFormat(*b.format))) : QStringLiteral("NULL"),
        PythonText::tuple(b.shape),
        PythonText::tuple(b.strides),
        PythonText::tuple(b.suboffsets)};
}

const QStringList kFieldNames{QStringLiteral("obj"),      QStringLiteral("buf"),
                              QStringLiteral("len"),      QStringLiteral("itemsize"),
                              QStringLiteral("readonly"), QStringLiteral("ndim"),
                              QStringLiteral("format"),   QStringLiteral("shape"),
                              QStringLiteral("strides"),  QStringLiteral("suboffsets")};

QString baseMeaning(ConversionPrediction::BaseKind kind)
{
    switch (kind) {
    case ConversionPrediction::BaseKind::Source:
        return QObject::tr("the object passed in: the result aliases its memory");
    case ConversionPrediction::BaseKind::Underlying:
        return QObject::tr(
            "the object behind the memoryview passed in (a memoryview of a memoryview registers "
            "with the original exporter)");
    case ConversionPrediction::BaseKind::NewBytes:
        return QObject::tr("the new bytes object that holds the copy");
    case ConversionPrediction::BaseKind::Null:
        return QObject::tr("NULL: no Python object owns the memory (PyMemoryView_FromMemory / FromBuffer)");
    case ConversionPrediction::BaseKind::None:
    case ConversionPrediction::BaseKind::Other:
        break;
    }
    return QObject::tr("another object");
}

QString section(const QString& title)
{
    return QStringLiteral("<h4 style='margin-top:10px; margin-bottom:2px'>%1</h4>").arg(title);
}

QString notesHtml(const ScenarioDocument& document)
{
    const ScenarioNotes& notes = document.notes();
    if (notes.title.isEmpty() && notes.summary.isEmpty() && notes.explanation.isEmpty())
        return {};
    // Capped here too: notes also come from the session and from edits, not only from files.
    const auto shown = [](const QString& text) { return ScenarioNotes::capped(text).toHtmlEscaped(); };
    QString html = QStringLiteral("<h3 style='margin-bottom:2px'>%1</h3>").arg(shown(notes.title));
    if (!notes.summary.isEmpty())
        html += QStringLiteral("<p style='margin-top:0'><i>%1</i></p>").arg(shown(notes.summary));
    if (!notes.explanation.isEmpty())
        html += QStringLiteral("<p>%1</p>").arg(shown(notes.explanation));
    if (!document.notesDescribeScenario())
        html += QObject::tr("<p style='color:#a06000'><b>Note:</b> you have changed the scenario since; this "
                            "explanation describes it as it was.</p>");
    return html;
}

// "Py_buffer fields": the source's and the result's Py_buffer side by side, then the memory blocks.
QString fieldsHtml(const InspectionReport& r)
{
    const ConversionResult& res = r.result;
    const Address base = r.memory ? r.memory->base : (r.sourceBuffer ? r.sourceBuffer->buf : 0);
    QStringList source;
    if (r.sourceBuffer)
        source = bufferRows(*r.sourceBuffer, esc(r.sourceType), QObject::tr("memory"), base);
    QStringList result;
    if (res.buffer) {
        const bool copy = res.outcome == ConversionPrediction::Outcome::Copy;
        result = bufferRows(*res.buffer, res.baseType.empty() ? QStringLiteral("NULL") : esc(res.baseType),
                            copy ? QObject::tr("new bytes") : QObject::tr("memory"),
                            copy ? res.buffer->buf : base);
    }
    QString html = section(QObject::tr("Py_buffer fields"));
    html +=
        QStringLiteral(
            "<table cellspacing='0' cellpadding='3' border='1' style='border-collapse:collapse' width='100%'>"
            "<tr><th align='left'>%1</th><th align='left'>%2</th><th align='left'>%3</th></tr>")
            .arg(QObject::tr("field"), QObject::tr("source (obj)"), QObject::tr("result"));
    for (int i = 0; i < kFieldNames.size(); ++i) {
        const QString s = source.value(i, QStringLiteral("—"));
        const QString t = result.value(i, QStringLiteral("—"));
        // A field that changed is what the learner should look at.
        const bool differs = !source.isEmpty() && !result.isEmpty() && s != t && i != 1;
        html += QStringLiteral("<tr><td><tt>%1</tt></td><td><tt>%2</tt></td><td><tt>%3%4%5</tt></td></tr>")
                    .arg(kFieldNames[i], s, differs ? QStringLiteral("<b>") : QString(), t,
                         differs ? QStringLiteral("</b>") : QString());
    }
    html += QStringLiteral("</table>");
    if (r.memory)
        html += QObject::tr("<p style='margin-top:4px'>memory: %1 at %2 (%3)</p>")
                    .arg(OutcomeSummary::bytes(r.memory->size), hex(r.memory->base), esc(r.memory->owner));
    for (const RowBlock& b : r.rowBlocks) // an indirect buffer's rows that live apart from it
        html += QObject::tr("<p style='margin-top:0px'>rows: %1 at %2 (%3)</p>")
                    .arg(OutcomeSummary::bytes(b.block.size), hex(b.block.base), esc(b.block.owner));
    return html;
}

// The view CPython returned: its check, base, contiguity and values.
QString returnedViewHtml(const ConversionResult& res)
{
    QString html =
        QStringLiteral("<p><tt>PyMemoryView_Check(result)</tt> = %1<br>").arg(res.isMemoryview ? 1 : 0);
    html += QObject::tr("<tt>PyMemoryView_GET_BASE(result)</tt> = <b>%1</b> (%2): %3<br>")
                .arg(res.baseType.empty() ? QStringLiteral("NULL") : esc(res.baseType),
                     esc(ConversionPrediction::baseKindName(res.baseKind)), baseMeaning(res.baseKind));
    html += QObject::tr("<tt>result.c_contiguous</tt> = %1, <tt>f_contiguous</tt> = %2 (what Python code "
                        "sees); <tt>PyBuffer_IsContiguous</tt>: C %3, F %4, A %5; shares the source's "
                        "memory: %6</p>")
                .arg(pyBool(res.cContiguous), pyBool(res.fContiguous),
                     QString::number(res.bufferIsContiguous.c), QString::number(res.bufferIsContiguous.f),
                     QString::number(res.bufferIsContiguous.any), OutcomeSummary::sharesMemory(res));
    if (!res.contiguityNote.empty())
        html += QObject::tr("<p><b>Why the two differ:</b> %1</p>").arg(esc(res.contiguityNote));
    if (res.tolistJson)
        html += QStringLiteral("<p><tt>result.tolist()</tt> = <tt>%1</tt></p>")
                    .arg(QString::fromStdString(res.tolistJson->size() > 600
                                                    ? res.tolistJson->substr(0, 600) + " …"
                                                    : *res.tolistJson)
                             .toHtmlEscaped());
    else if (!res.tolistError.empty())
        html += QObject::tr("<p><tt>result.tolist()</tt> fails: %1</p>").arg(esc(res.tolistError));
    return html;
}

// "The result": the error CPython raised, or the view it returned.
QString resultHtml(const ConversionResult& res)
{
    QString html = section(QObject::tr("The result"));
    if (res.error) {
        html += QObject::tr("<p>No result: CPython raised <b>%1</b>: %2</p>")
                    .arg(esc(res.error->type), esc(res.error->message));
        if (!res.error->traceback.empty())
            html += QStringLiteral("<pre>%1</pre>").arg(esc(res.error->traceback));
    } else {
        html += returnedViewHtml(res);
    }
    return html;
}

// "Contiguity of the source": the verdicts, the memoryview's own flags, and what else stands out.
QString sourceContiguityHtml(const InspectionReport& r)
{
    QString html = section(QObject::tr("Contiguity of the source"));
    html += QStringLiteral("<p><b>C:</b> %1<br><b>Fortran:</b> %2")
                .arg(esc(r.cVerdict.explanation), esc(r.fVerdict.explanation));
    if (r.request().order == 'A')
        html += QObject::tr("<br><b>Requested ('A'):</b> %1").arg(esc(r.orderVerdict.explanation));
    html += QStringLiteral("</p>");
    if (r.sourceMemoryviewFlags)
        html +=
            QObject::tr(
                "<p>The source memoryview's own <tt>c_contiguous</tt> = %1, <tt>f_contiguous</tt> = %2</p>")
                .arg(pyBool(r.sourceMemoryviewFlags->cContiguous),
                     pyBool(r.sourceMemoryviewFlags->fContiguous));
    if (!r.sourceContiguityNote.empty())
        html += QObject::tr("<p><b>Why they differ from PyBuffer_IsContiguous:</b> %1</p>")
                    .arg(esc(r.sourceContiguityNote));
    if (r.selfOverlap)
        html += QObject::tr("<p><b>Self-overlap:</b> elements %1 and %2 share bytes.</p>")
                    .arg(ReportText::indexText(r.selfOverlap->first),
                         ReportText::indexText(r.selfOverlap->second));
    if (r.outsideMemory)
        html += QObject::tr("<p style='color:#c0392b'><b>Outside the memory:</b> %1</p>")
                    .arg(esc(*r.outsideMemory));
    if (!r.formatNote.empty())
        html += QObject::tr("<p><b>Values:</b> %1</p>").arg(esc(r.formatNote));
    if (r.exportFailure)
        html += QObject::tr("<p><b>The exporter refused PyBUF_FULL_RO:</b> %1: %2</p>")
                    .arg(esc(r.exportFailure->first), esc(r.exportFailure->second));
    return html;
}

// The copy check's note and the interpreter that ran the scenario, in grey.
QString footerHtml(const InspectionReport& r)
{
    QString html;
    if (!r.result.verifyNote.empty())
        html += QObject::tr("<p><b>Copy check:</b> %1</p>").arg(esc(r.result.verifyNote));
    const QString interpreter = OutcomeSummary::interpreter(r);
    html += QObject::tr("<p style='color:gray'>Python %1%2</p>")
                .arg(esc(r.pythonVersion), interpreter.isEmpty()
                                               ? QString()
                                               : QObject::tr(", ran in %1").arg(interpreter.toHtmlEscaped()));
    return html;
}

QString reportHtml(const InspectionReport& r)
{
    return fieldsHtml(r) + resultHtml(r.result) + sourceContiguityHtml(r) + footerHtml(r);
}

QPlainTextEdit* codeView(QWidget* parent, const QString& name)
{
    auto* view = new QPlainTextEdit(parent);
    view->setObjectName(name);
    view->setReadOnly(true);
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return view;
}

QWidget* snippetBox(const QString& title, QPlainTextEdit* view, QWidget* parent)
{
    auto* box = new QWidget(parent);
    auto* copy = new QPushButton(QObject::tr("Copy"), box);
    copy->setObjectName(view->objectName() + QStringLiteral("Copy"));
    QObject::connect(copy, &QPushButton::clicked, view,
                     [view] { QGuiApplication::clipboard()->setText(view->toPlainText()); });
    auto* header = new QHBoxLayout;
    header->setContentsMargins(0, 0, 0, 0);
    auto* caption = new QLabel(title, box);
    caption->setWordWrap(true); // the dock may be narrow
    header->addWidget(caption, 1);
    header->addWidget(copy);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(header);
    layout->addWidget(view, 1);
    return box;
}

} // namespace

InspectorPanel::InspectorPanel(ScenarioDocument* document, InspectionState* state, QWidget* parent)
    : QWidget(parent), m_document(document), m_state(state)
{
    m_fields = new QTextBrowser(this);
    m_fields->setObjectName(QStringLiteral("inspectorFields"));
    m_fields->setOpenLinks(false);
    m_c = codeView(this, QStringLiteral("cSnippet"));
    m_python = codeView(this, QStringLiteral("pythonSnippet"));
    auto* snippets = new QSplitter(Qt::Vertical, this);
    snippets->addWidget(snippetBox(tr("C: an embedding program that makes the call"), m_c, snippets));
    snippets->addWidget(snippetBox(tr("Python: the same call through ctypes"), m_python, snippets));
    m_tabs = new QTabWidget(this);
    m_tabs->addTab(m_fields, tr("Buffer"));
    m_tabs->addTab(snippets, tr("Reproduce"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);

    connect(m_document, &ScenarioDocument::changed, this, [this] {
        refreshFields();
        refreshSnippets();
    });
    connect(m_state, &InspectionState::changed, this, &InspectorPanel::refreshFields);
    refreshFields();
    refreshSnippets();
}

QString InspectorPanel::cSnippet() const
{
    return m_c->toPlainText();
}

QString InspectorPanel::pythonSnippet() const
{
    return m_python->toPlainText();
}

void InspectorPanel::refreshFields()
{
    QString html = notesHtml(*m_document);
    if (const auto& failure = m_state->failure()) {
        // The banner's own headline (not run, stopped, crashed, no buffer), then the details.
        html += section(OutcomeSummary::fromFailure(*failure).headline.toHtmlEscaped());
        html += QStringLiteral("<p>%1</p>").arg(failure->message.toHtmlEscaped());
        if (!failure->notRun)
            html += tr("<p>See the Output dock for the traceback and what the code printed.</p>");
    } else if (const auto report = m_state->report()) {
        html += reportHtml(*report);
    }
    const int scroll = m_fields->verticalScrollBar() ? m_fields->verticalScrollBar()->value() : 0;
    m_fields->setHtml(html);
    m_fields->verticalScrollBar()->setValue(scroll); // an edit should not throw the reader to the top
}

void InspectorPanel::refreshSnippets()
{
    const Scenario& scenario = m_document->scenario();
    m_c->setPlainText(SnippetGenerator::c(scenario));
    m_python->setPlainText(SnippetGenerator::python(scenario));
}

} // namespace stridescope
