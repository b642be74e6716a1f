#pragma once

#include "gui/scenario/scenariofile.h"

#include <QByteArray>

namespace stridescope {

// What one undo step restores: the scenario, its notes, and the scenario the notes were written for
// (so the inspector can say when the user has changed a preset since its explanation was written).
struct DocumentState
{
    Scenario scenario;
    ScenarioNotes notes;
    QByteArray notesDescribe; // ScenarioFile::toJson of the scenario the notes explain; empty: any

    // Two states are equal when their files would be equal: Scenario has no operator==, and the
    // file is the one place where every field that matters is written out.
    static QByteArray key(const Scenario& scenario) { return ScenarioFile::toJson(scenario); }
    bool sameAs(const DocumentState& other) const
    {
        return key(scenario) == key(other.scenario) && notes.title == other.notes.title &&
               notes.summary == other.notes.summary && notes.explanation == other.notes.explanation &&
               notesDescribe == other.notesDescribe;
    }
    bool notesDescribeScenario() const { return notesDescribe.isEmpty() || notesDescribe == key(scenario); }
};

} // namespace stridescope
