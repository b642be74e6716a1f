#pragma once

#include "gui/scenario/scenariofile.h"

#include <optional>

namespace stridescope {

// What one undo step restores: the scenario, its notes, and the scenario the notes were written for
// (so the inspector can say when the user has changed a preset since its explanation was written).
struct DocumentState
{
    Scenario scenario;
    ScenarioNotes notes;
    std::optional<Scenario> notesDescribe; // the scenario the notes explain; nullopt: any

    bool sameAs(const DocumentState& other) const
    {
        return scenario == other.scenario && notes.title == other.notes.title &&
               notes.summary == other.notes.summary && notes.explanation == other.notes.explanation &&
               notesDescribe == other.notesDescribe;
    }
    bool notesDescribeScenario() const { return !notesDescribe || *notesDescribe == scenario; }
};

} // namespace stridescope
