#include "scenarioeditcommand.h"

#include "scenariodocument.h"

namespace stridescope {

ScenarioEditCommand::ScenarioEditCommand(ScenarioDocument* document, DocumentState before,
                                         DocumentState after, const QString& text, QString mergeKey)
    : QUndoCommand(text), m_document(document), m_before(std::move(before)), m_after(std::move(after)),
      m_mergeKey(std::move(mergeKey))
{
}

void ScenarioEditCommand::undo()
{
    m_document->setState(m_before);
}

void ScenarioEditCommand::redo()
{
    m_document->setState(m_after);
}

bool ScenarioEditCommand::mergeWith(const QUndoCommand* other)
{
    const auto* edit = static_cast<const ScenarioEditCommand*>(other); // same id(): same class
    if (edit->m_mergeKey != m_mergeKey || edit->m_document != m_document)
        return false;
    m_after = edit->m_after;
    // Typing a value and then its old value back leaves nothing to undo.
    setObsolete(m_after.sameAs(m_before));
    return true;
}

} // namespace stridescope
