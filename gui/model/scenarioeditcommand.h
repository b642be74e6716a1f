#pragma once

#include "documentstate.h"

#include <QUndoCommand>

namespace stridescope {

class ScenarioDocument;

// One scenario edit. Consecutive edits with the same non-empty merge key (typing in one field, a
// spin box stepping) become one undo step, so undo goes back to before the field was touched.
class ScenarioEditCommand final : public QUndoCommand
{
public:
    ScenarioEditCommand(ScenarioDocument* document, DocumentState before, DocumentState after,
                        const QString& text, QString mergeKey);

    void undo() override;
    void redo() override;
    int id() const override { return m_mergeKey.isEmpty() ? -1 : kMergeableId; }
    bool mergeWith(const QUndoCommand* other) override;

private:
    static constexpr int kMergeableId = 0x5c0de;

    ScenarioDocument* m_document = nullptr;
    DocumentState m_before;
    DocumentState m_after;
    QString m_mergeKey;
};

} // namespace stridescope
