#include "numpyfilepage.h"

#include "gui/model/inspectionstate.h"
#include "gui/model/scenariodocument.h"
#include "gui/scenario/numpyfilescenario.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace stridescope {

namespace {

QString shapeText(const std::vector<Extent>& shape)
{
    QStringList parts;
    for (Extent n : shape)
        parts << QString::number(n);
    return QStringLiteral("(%1%2)").arg(parts.join(QStringLiteral(", ")),
                                        shape.size() == 1 ? QStringLiteral(",") : QString());
}

} // namespace

NumpyFilePage::NumpyFilePage(ScenarioDocument* document, InspectionState* state, QWidget* parent)
    : QWidget(parent), m_document(document), m_state(state)
{
    m_file = new QLabel(this);
    m_file->setObjectName(QStringLiteral("numpyFileLabel"));
    m_file->setWordWrap(true);

    m_file->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_choose = new QPushButton(tr("Choose…"), this);
    m_member = new QComboBox(this);
    m_member->setObjectName(QStringLiteral("npzMemberBox"));
    m_array = new QLabel(this);
    m_array->setObjectName(QStringLiteral("numpyArrayLabel"));
    m_array->setWordWrap(true);
    m_storage = new QLabel(this);
    m_storage->setObjectName(QStringLiteral("numpyStorageLabel"));
    m_storage->setWordWrap(true);
    // Text from a file (a path, a dtype, a member's name): shown as written, never as markup.
    for (QLabel* label : {m_file, m_array, m_storage})
        label->setTextFormat(Qt::PlainText);

    auto* fileRow = new QWidget(this);
    auto* fileLayout = new QHBoxLayout(fileRow);
    fileLayout->setContentsMargins(0, 0, 0, 0);
    fileLayout->addWidget(m_file, 1);
    fileLayout->addWidget(m_choose, 0, Qt::AlignTop);
    m_form = new QFormLayout;
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->addRow(tr("File"), fileRow);
    m_form->addRow(tr("Member"), m_member);
    // The findings are long lines: full width under the fields, where a wrapped label gets the
    // height its width needs (a form row does not).
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(m_form);
    layout->addWidget(m_array);
    layout->addWidget(m_storage);

    connect(m_choose, &QPushButton::clicked, this, [this] {
        const QString current = QString::fromStdString(m_document->scenario().path);
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open a NumPy file"), QFileInfo(current).path(), NumpyFileScenario::fileFilter());
        if (path.isEmpty())
            return;
        QString error;
        const auto opened = NumpyFileScenario::open(path, QString(), &error);
        if (!opened) {
            m_storage->setText(error);
            return;
        }
        Scenario scenario = m_document->scenario();
        scenario.path = opened->scenario.path;
        scenario.member = opened->members.isEmpty() ? std::string() : opened->members.first().toStdString();
        m_document->edit(scenario, tr("File: %1").arg(QFileInfo(path).fileName()));
    });
    connect(m_member, &QComboBox::activated, this, [this](int index) {
        Scenario scenario = m_document->scenario();
        scenario.member = m_member->itemText(index).toStdString();
        m_document->edit(scenario, tr("Member: %1").arg(m_member->itemText(index)));
    });
    if (m_state)
        connect(m_state, &InspectionState::changed, this, &NumpyFilePage::showReport);
}

void NumpyFilePage::refresh()
{
    const Scenario& scenario = m_document->scenario();
    const QString path = QString::fromStdString(scenario.path);
    m_file->setText(path.isEmpty() ? tr("No file chosen") : QDir::toNativeSeparators(path));
    // The members are read again only when the file changes, not on every edit.
    if (path != m_listedPath) {
        m_listedPath = path;
        const QSignalBlocker block(m_member);
        m_member->clear();
        QString error;
        if (const auto opened = NumpyFileScenario::open(path, QString(), &error))
            m_member->addItems(opened->members);
    }
    m_form->setRowVisible(m_member, m_member->count() > 0);
    const int index = m_member->findText(QString::fromStdString(scenario.member));
    if (index != m_member->currentIndex()) {
        const QSignalBlocker block(m_member);
        m_member->setCurrentIndex(index);
    }
    showReport();
}

void NumpyFilePage::showReport()
{
    const Scenario& scenario = m_document->scenario();
    const auto report = m_state ? m_state->report() : nullptr;
    // Only a report of this very file and member describes it.
    const bool current = report && report->scenario.kind == Scenario::SourceKind::NumpyFile &&
                         report->scenario.path == scenario.path &&
                         report->scenario.member == scenario.member && !(m_state->failure());
    if (!current) {
        m_array->setText(m_state && m_state->failure()
                             ? tr("Array: not opened: %1").arg(m_state->failure()->message)
                             : tr("Array: not inspected yet"));
        m_storage->clear();
        return;
    }
    QString array = tr("Array: %1").arg(QString::fromStdString(report->sourceType));
    if (report->sourceBuffer)
        array += tr(", format '%1', itemsize %2, shape %3")
                     .arg(QString::fromStdString(report->sourceBuffer->format.value_or("B")))
                     .arg(report->sourceBuffer->itemSize)
                     .arg(shapeText(report->sourceBuffer->shape.value_or(std::vector<Extent>{})));
    m_array->setText(array);
    // The source names the dtype, the order and how the bytes are held, in its memory block's owner.
    m_storage->setText(report->memory ? tr("Memory: %1").arg(QString::fromStdString(report->memory->owner))
                                      : tr("Memory: none, the array is empty, so nothing is mapped"));
}

} // namespace stridescope
