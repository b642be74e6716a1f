#pragma once

#include <QWidget>

class QListWidget;
class QToolButton;

namespace stridescope {

class ScenarioDocument;

// The folders Python code imports from (Scenario::importPath), under the code editor: a list, Add
// Folder… (a folder picker) and Remove. Each change is one undoable edit. Choosing a folder is the
// user's own act: code they were allowed to run stays allowed with the new folder; code waiting for
// consent keeps waiting.
class ImportFolderEditor final : public QWidget
{
    Q_OBJECT

public:
    explicit ImportFolderEditor(ScenarioDocument* document, QWidget* parent = nullptr);

    // What Add Folder… does once a folder is chosen (an existing folder is not added twice).
    void addFolder(const QString& folder);
    // What Remove does: drops the selected folder.
    void removeSelected();
    QListWidget* list() const { return m_list; }

private:
    void refresh();
    void chooseFolder();
    void edit(std::vector<std::string> folders, const QString& description);

    ScenarioDocument* m_document = nullptr;
    QListWidget* m_list = nullptr;
    QToolButton* m_add = nullptr;
    QToolButton* m_remove = nullptr;
};

} // namespace stridescope
