"""Stridescope inside your own Python: its buffer exporter, its inspection and its buffer-protocol
conformance check, run in this process on your objects (for your tests, e.g. under pytest).

    StridedBuffer(format, shape, strides=None, offset=None, readonly=False, indirect=False,
                  fill="index", memory=None)     an exporter for any layout (as _testbuffer.ndarray)
    inspect(obj, buffertype="read", order="C")    the report of `stridescope inspect --json`, a dict
    check_exporter(obj)                           every PyBUF_* request's answer, checked: ExporterCheck
    save(obj, file, buffertype="read", order="C") a scenario file with obj's layout and bytes

`python3 -m stridescope FILE` opens Stridescope's window on FILE.
"""

from ._native import StridedBuffer, __version__
from . import _native

__all__ = ["StridedBuffer", "inspect", "check_exporter", "ExporterCheck", "save"]


def inspect(obj, buffertype="read", order="C"):
    """Calls PyMemoryView_GetContiguous(obj, buffertype, order) in this process, next to
    Stridescope's prediction, and returns the report `stridescope inspect --json` prints, as a dict.
    Its "scenario" is None (no scenario describes your object) and "interpreter" names this process.
    buffertype: "read" or "write"; order: "C", "F" or "A"; anything else raises ValueError."""
    return _native.inspect(obj, buffertype, order)


def save(obj, file, buffertype="read", order="C"):
    """Writes a scenario file (a snapshot source) that holds obj's layout -- format, shape, strides,
    read-only, PIL-style suboffsets on axis 0 -- and the bytes of the smallest block that holds its
    elements, with the request PyMemoryView_GetContiguous(obj, buffertype, order). The window
    (`python3 -m stridescope FILE`) and `stridescope inspect FILE` show it without obj's extension, so a
    bug report carries the exact layout. Returns the path written. TypeError when obj supports no
    buffer; ValueError when its layout cannot be read or saved (at most 8 MiB of memory); OSError
    when the file cannot be written (an existing file is then left whole)."""
    return _native.save(obj, file, buffertype, order)


def check_exporter(obj):
    """Asks obj for every standard buffer request (PyBUF_SIMPLE ... PyBUF_FULL_RO), checks each
    answer against the rules of the buffer protocol's documentation, and returns an ExporterCheck,
    true when no rule is broken: `assert stridescope.check_exporter(obj)`. TypeError when obj does
    not support the buffer protocol."""
    return ExporterCheck(_native.check_exporter(obj))


class ExporterCheck:
    """The conformance check of one exporter, as data.

    ok         no rule is broken (also bool(check))
    type       the exporter's type name
    requests   each request's answer and verdicts: the `requests` array of
               `stridescope requests --json`
    failures   the broken rules, one dict each: request, rule, detail, quote (the documentation's words)
    undecided  the rules the facts at hand cannot decide (never counted as passed), the same dicts
    report     the whole report of `stridescope requests --json`
    str(check) lists every broken rule on a line of its own; repr(check) sums them up on one line.
    """

    def __init__(self, report):
        self.report = report
        self.type = report["source"]["type"]
        self.requests = report["requests"]
        self.ok = report["conformance"]["conforms"]
        self.failures = self._verdicts("fail")
        self.undecided = self._verdicts("undecided")

    def _verdicts(self, result):
        return [
            {"request": r["request"], "rule": v["rule"], "detail": v["detail"], "quote": v["quote"]}
            for r in self.requests
            for v in r["verdicts"]
            if v["verdict"] == result
        ]

    def __bool__(self):
        return self.ok

    def _counts(self):
        c = self.report["conformance"]
        return f"{c['undecided']} undecided, {c['passed']} passed"

    def __repr__(self):
        if self.ok:
            return f"<ExporterCheck of {self.type}: no rule broken; {self._counts()}>"
        # One line, grouped by rule, so a failed `assert check` shows every broken rule.
        groups = {}
        for f in self.failures:
            groups.setdefault(f["rule"], []).append(f["request"])
        rules = "; ".join(f"{rule} ({', '.join(requests)})" for rule, requests in groups.items())
        n = len(self.failures)
        return f"<ExporterCheck of {self.type}: {n} rule{'s' if n != 1 else ''} broken: {rules}>"

    def __str__(self):
        lines = [repr(self)]
        lines += [f"  {f['request']} {f['rule']}: {f['detail']} (rule: \"{f['quote']}\")" for f in self.failures]
        return "\n".join(lines)
