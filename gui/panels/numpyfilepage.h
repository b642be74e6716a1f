#pragma once

#include <QStringList>
#include <QWidget>

class QComboBox;
class QFormLayout;
class QLabel;
class QPushButton;

namespace stridescope {

class InspectionState;
class ScenarioDocument;

// The Buffer dock's page for a .npy or .npz file: which file, which member of an .npz (every
// member can be chosen; the list is read from the zip directory), and what the last inspection
// found: dtype, shape, order, and whether the array is memory-mapped read-only from the file or was
// decompressed into memory.
class NumpyFilePage final : public QWidget
{
    Q_OBJECT

public:
    NumpyFilePage(ScenarioDocument* document, InspectionState* state, QWidget* parent = nullptr);

    QComboBox* memberBox() const { return m_member; }
    QLabel* fileLabel() const { return m_file; }
    QLabel* arrayLabel() const { return m_array; }
    QLabel* storageLabel() const { return m_storage; }

    void refresh();

private:
    void showReport();

    ScenarioDocument* m_document = nullptr;
    InspectionState* m_state = nullptr;
    QFormLayout* m_form = nullptr;
    QLabel* m_file = nullptr;
    QPushButton* m_choose = nullptr;
    QComboBox* m_member = nullptr;
    QLabel* m_array = nullptr;
    QLabel* m_storage = nullptr;
    QString m_listedPath; // the file whose members m_member lists
};

} // namespace stridescope
