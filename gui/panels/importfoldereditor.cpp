#include "importfoldereditor.h"

#include "gui/model/scenariodocument.h"

#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

namespace stridescope {

ImportFolderEditor::ImportFolderEditor(ScenarioDocument* document, QWidget* parent)
    : QWidget(parent), m_document(document)
{
    auto* label = new QLabel(tr("Import from"), this);
    label->setToolTip(tr("Folders put at the front of sys.path before the code runs, as PYTHONPATH does: "
                         "the build folder of an extension module under development."));
    m_add = new QToolButton(this);
    m_add->setObjectName(QStringLiteral("addImportFolderButton"));
    m_add->setText(tr("Add Folder…"));
    m_add->setToolTip(tr("Choose a folder the code can import modules from"));
    m_remove = new QToolButton(this);
    m_remove->setObjectName(QStringLiteral("removeImportFolderButton"));
    m_remove->setText(tr("Remove"));
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("importFolderList"));
    m_list->setTextElideMode(Qt::ElideMiddle); // the end of a path names the folder
    m_list->setMaximumHeight(m_list->fontMetrics().height() * 4 + 8);

    auto* buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(label);
    buttons->addStretch(1);
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(buttons);
    layout->addWidget(m_list);

    connect(m_add, &QToolButton::clicked, this, &ImportFolderEditor::chooseFolder);
    connect(m_remove, &QToolButton::clicked, this, &ImportFolderEditor::removeSelected);
    connect(m_list, &QListWidget::itemSelectionChanged, this,
            [this] { m_remove->setEnabled(!m_list->selectedItems().isEmpty()); });
    connect(m_document, &ScenarioDocument::changed, this, &ImportFolderEditor::refresh);
    refresh();
}

void ImportFolderEditor::refresh()
{
    const std::vector<std::string>& folders = m_document->scenario().importPath;
    const int selected = m_list->currentRow();
    m_list->clear();
    for (const std::string& folder : folders) {
        auto* item = new QListWidgetItem(QString::fromStdString(folder), m_list);
        item->setToolTip(item->text());
    }
    if (folders.empty()) {
        auto* item = new QListWidgetItem(tr("(none: sys.path as Python sets it)"), m_list);
        item->setFlags(Qt::NoItemFlags);
    } else if (selected >= 0) {
        m_list->setCurrentRow(std::min(selected, int(folders.size()) - 1));
    }
    m_add->setEnabled(folders.size() < Scenario::maximumImportFolders);
    m_remove->setEnabled(!folders.empty() && !m_list->selectedItems().isEmpty());
}

void ImportFolderEditor::chooseFolder()
{
    const auto& folders = m_document->scenario().importPath;
    const QString start = folders.empty() ? QDir::currentPath() : QString::fromStdString(folders.back());
    const QString folder = QFileDialog::getExistingDirectory(this, tr("Import Python Modules From"), start);
    if (!folder.isEmpty())
        addFolder(folder);
}

void ImportFolderEditor::addFolder(const QString& folder)
{
    std::vector<std::string> folders = m_document->scenario().importPath;
    const std::string path = QDir::cleanPath(QDir(folder).absolutePath()).toStdString();
    if (std::find(folders.begin(), folders.end(), path) != folders.end())
        return;
    folders.push_back(path);
    edit(std::move(folders), tr("Import from %1").arg(QDir(folder).dirName()));
}

void ImportFolderEditor::removeSelected()
{
    std::vector<std::string> folders = m_document->scenario().importPath;
    const int row = m_list->currentRow();
    if (row < 0 || row >= int(folders.size()))
        return;
    const QString name = QDir(QString::fromStdString(folders[std::size_t(row)])).dirName();
    folders.erase(folders.begin() + row);
    edit(std::move(folders), tr("No longer import from %1").arg(name));
}

void ImportFolderEditor::edit(std::vector<std::string> folders, const QString& description)
{
    if (Scenario::importPathProblem(folders))
        return; // the buttons keep within the bounds; nothing else gets here
    Scenario scenario = m_document->scenario();
    const bool allowed = m_document->mayRunCode();
    scenario.importPath = std::move(folders);
    if (allowed)
        m_document->allowCode(scenario);
    m_document->edit(scenario, description);
}

} // namespace stridescope
