#pragma once

#include "scenario.h"

#include <Python.h>

namespace stridescope {

// Captures what any buffer exporter hands out as a snapshot scenario (Scenario::SourceKind::Snapshot):
// its PyBUF_FULL_RO answer's format, shape, strides and read-only flag, and the bytes of the
// smallest block that holds every element, so the snapshot, exported again by Stridescope's own
// exporter, shows the same elements with the same values. `stridescope.save(obj, file)` writes it.
//
// The exporter may lie: every field and every byte is read through GuardedViewReader and
// GuardedMemory, and whatever cannot be read is one line (SourceError), never a fault.
// PIL-style buffers with suboffsets on axis 0 only (the ones Stridescope's exporter models) are
// captured row by row into Stridescope's own indirect block (see StridedBufferType): the table is
// Stridescope's, the rows hold the exporter's bytes.
class SnapshotCapture
{
public:
    SnapshotCapture() = delete;

    // On the Python thread with the GIL held. The scenario's request is the default (read, 'C').
    // Throws SourceError: the object exports no buffer, its answer cannot be read, its layout is
    // one Stridescope does not model, or its block is larger than CapturedMemory::maximumSize.
    static Scenario capture(PyObject* object);
};

} // namespace stridescope
