"""The `stridescope` package as its users run it: imported by Debian's /usr/bin/python3 in a process
of its own (pytest), next to numpy and their own extensions. CTest runs it with PYTHONPATH naming the
build tree's package (build/python), STRIDESCOPE_BINARY the stridescope program,
STRIDESCOPE_TEST_EXPORTERS_DIR the test build's extension modules (tests/exporters) and
STRIDESCOPE_BUILD_DIR the build tree (for `cmake --install`)."""

import array
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import stridescope

BINARY = os.environ["STRIDESCOPE_BINARY"]
EXPORTERS = os.environ["STRIDESCOPE_TEST_EXPORTERS_DIR"]
BUILD = os.environ["STRIDESCOPE_BUILD_DIR"]
sys.path.insert(0, EXPORTERS)

import misbehaving_exporters  # noqa: E402
import pybind_matrix  # noqa: E402

try:
    import _testbuffer
except ImportError:  # Debian's libpython3.X-testsuite is not installed
    _testbuffer = None


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=120, **kwargs)


# ---- the extension module itself -------------------------------------------------------------------


def test_no_second_libpython_in_the_process():
    # Debian's python3 has libpython linked in; an extension that links libpython3.X.so would bring
    # a second interpreter into the process, and the first call into it crashes.
    with open("/proc/self/maps") as maps:
        mapped = maps.read()
    assert stridescope._native.__file__ in mapped
    assert "libpython3" not in mapped


# ---- StridedBuffer ----------------------------------------------------------------------------------

LAYOUTS = [
    # format, shape, keyword arguments
    ("B", (12,), {}),
    ("h", (3, 4), {}),
    ("<i", (3, 4), {"strides": (4, 12)}),  # Fortran order
    ("d", (3, 2), {"strides": (32, 8)}),  # every other column
    ("h", (4,), {"strides": (-2,)}),  # reversed: buf at the top of the block
    ("b", (3, 4), {"strides": (0, 1)}),  # broadcast rows
    ("q", (2, 3), {"offset": 8, "memory": 64}),  # buf inside a larger block
    ("f", (), {}),  # 0-d
    ("H", (3, 0), {}),  # empty
]


@pytest.mark.parametrize("format, shape, kwargs", LAYOUTS)
def test_strided_buffer_is_the_layout_numpy_and_memoryview_see(format, shape, kwargs):
    b = stridescope.StridedBuffer(format, shape, **kwargs)
    a = np.asarray(b)
    view = memoryview(b)
    itemsize = np.dtype(format).itemsize
    strides = kwargs.get("strides")
    if strides is None:  # C order: each axis steps over the items of the axes after it
        strides = tuple(itemsize * int(np.prod(shape[axis + 1:])) for axis in range(len(shape)))
    for seen in (a, view):
        assert seen.shape == shape
        assert seen.strides == strides
    assert (b.shape, b.strides, b.itemsize) == (shape, strides, itemsize)
    assert view.format == format and not view.readonly and a.flags.writeable
    # fill="index": the element at C-order position k holds k (later elements win where they overlap).
    expected = np.arange(int(np.prod(shape)), dtype=format).reshape(shape)
    if strides == (0, 1):
        expected[:] = expected[-1]
    assert a.tolist() == expected.tolist()
    assert view.tobytes() == expected.tobytes()
    # numpy reads the exporter's own memory: buf is the block's address plus the offset.
    assert a.__array_interface__["data"][0] == b.address + b.offset


def test_strided_buffer_fill_readonly_and_indirect():
    b = stridescope.StridedBuffer("B", (2, 3), strides=(4, 1), fill="bytes", readonly=True)
    assert b.memory_bytes() == bytes(range(7))  # byte i holds i: rows at 0..2 and 4..6
    a = np.asarray(b)
    assert a.tolist() == [[0, 1, 2], [4, 5, 6]]
    assert not a.flags.writeable and memoryview(b).readonly
    writable = next(r for r in stridescope.check_exporter(b).requests if r["request"] == "PyBUF_WRITABLE")
    assert writable["error"]["type"] == "BufferError" and "read-only" in writable["error"]["message"]
    # PIL-style: axis 0 through a table of pointers; numpy refuses suboffsets, memoryview follows them.
    pil = stridescope.StridedBuffer("h", (3, 4), indirect=True)
    assert memoryview(pil).suboffsets == (0, -1)
    assert memoryview(pil).tolist() == np.arange(12).reshape(3, 4).tolist()
    assert memoryview(pil).tobytes() == np.arange(12, dtype="h").tobytes()
    # Positional arguments in the documented order: format, shape, strides, offset, readonly, indirect, fill.
    p = stridescope.StridedBuffer("B", (4,), None, None, True, False, "zero")
    assert (p.readonly, p.indirect, p.fill, p.memory_bytes()) == (True, False, "zero", bytes(4))


def test_strided_buffer_type_is_the_package_s():
    b = stridescope.StridedBuffer("h", (3,))
    assert type(b).__module__ == "stridescope" and type(b).__name__ == "StridedBuffer"
    assert repr(b) == "StridedBuffer(format='h', shape=(3,), strides=(2,), offset=0, memory=6, fill='index')"


BAD_ARGUMENTS = [
    # call, exception
    ("StridedBuffer('h', (-1,))", ValueError),
    ("StridedBuffer('h', (2, 3), strides=(2,))", ValueError),
    ("StridedBuffer('h', (4,), offset=0, strides=(-2,))", ValueError),
    ("StridedBuffer('h', (4,), memory=4)", ValueError),
    ("StridedBuffer('Zq', (4,))", ValueError),
    ("StridedBuffer('O', (4,))", ValueError),
    ("StridedBuffer('h', (4,), fill='noise')", ValueError),
    ("StridedBuffer('h', range(100))", ValueError),
    ("StridedBuffer('h', indirect=True)", ValueError),
    ("StridedBuffer('h', 'ab')", TypeError),
    ("StridedBuffer('h', (1.5,))", TypeError),
    ("StridedBuffer('h', (2,), offset='a')", TypeError),
]


@pytest.mark.parametrize("call, exception", BAD_ARGUMENTS)
def test_bad_arguments_name_the_problem_in_the_app_s_words(call, exception):
    with pytest.raises(exception) as raised:
        eval(call, {"StridedBuffer": stridescope.StridedBuffer})
    message = str(raised.value)
    assert message and "\n" not in message
    # The app's own exporter (in its worker), built by the same call, fails with the same line.
    app = run([BINARY, "inspect", "--expr", f"import _stridescope\n_stridescope.{call}"])
    assert app.returncode == 1, app.stderr
    assert f"{exception.__name__}: {message}" in app.stderr


# ---- inspect() -------------------------------------------------------------------------------------


def test_inspect_c_array_is_an_alias():
    a = np.arange(12, dtype=np.int16).reshape(3, 4)
    r = stridescope.inspect(a)
    assert r["source"]["type"] == "numpy.ndarray"
    assert r["request"] == {"buffertype": "read", "order": "C", "call": "PyMemoryView_GetContiguous(obj, PyBUF_READ, 'C')"}
    assert r["prediction"]["outcome"] == "alias" and r["result"]["outcome"] == "alias"
    assert r["result"]["base"] == "source" and r["result"]["shares_memory"]
    assert r["result"]["buffer"]["buf"] == a.ctypes.data
    assert r["agrees"] and r["disagreements"] == []
    assert r["scenario"] is None and r["interpreter"]["worker_pid"] == os.getpid()


def test_inspect_transpose_is_a_copy_in_c_order():
    a = np.arange(12, dtype=np.int32).reshape(3, 4).T
    r = stridescope.inspect(a)
    assert r["source"]["c_contiguous"] is False
    assert r["prediction"]["outcome"] == "copy" and r["result"]["outcome"] == "copy"
    assert r["result"]["base"] == "new_bytes" and not r["result"]["shares_memory"]
    assert r["result"]["buffer"]["shape"] == [4, 3] and r["result"]["buffer"]["strides"] == [12, 4]
    assert r["result"]["tolist"] == a.tolist()
    # Every byte of the copy was checked against the source through the copy map.
    assert r["result"]["bytes_verified"] == a.nbytes
    assert r["agrees"]
    f = stridescope.inspect(a, order="F")  # a transpose of a C array is Fortran-contiguous
    assert f["result"]["outcome"] == "alias"


def test_inspect_readonly_for_write_is_an_error():
    a = np.arange(6.0)
    a.flags.writeable = False
    r = stridescope.inspect(a, "write")
    assert r["request"]["call"] == "PyMemoryView_GetContiguous(obj, PyBUF_WRITE, 'C')"
    assert r["prediction"]["outcome"] == "error" and r["result"]["outcome"] == "error"
    assert r["result"]["error"]["type"] == "BufferError"
    assert r["agrees"]
    assert stridescope.inspect(b"abc", buffertype="write")["result"]["error"]["type"] == "BufferError"


@pytest.mark.parametrize("make, outcome, base", [
    (lambda: b"abcdef", "alias", "source"),
    (lambda: bytearray(b"abcdef"), "alias", "source"),
    (lambda: array.array("i", range(5)), "alias", "source"),
    (lambda: memoryview(b"abcdef")[1:4], "alias", "underlying"),
    (lambda: memoryview(b"abcdef")[::2], "copy", "new_bytes"),
    (lambda: memoryview(np.arange(12, dtype=np.int16).reshape(3, 4)[:, 1]), "copy", "new_bytes"),
    (lambda: stridescope.StridedBuffer("h", (3, 2), strides=(8, 2)), "copy", "new_bytes"),
])
def test_inspect_everyday_exporters(make, outcome, base):
    obj = make()
    r = stridescope.inspect(obj)
    assert (r["result"]["outcome"], r["result"]["base"]) == (outcome, base)
    assert r["result"]["tolist"] == memoryview(obj).tolist()
    assert r["agrees"], r["disagreements"]


def test_inspect_of_no_buffer_reports_the_typeerror():
    r = stridescope.inspect(5)
    assert r["source"]["supports_buffer"] is False
    assert r["result"]["error"]["type"] == "TypeError"


@pytest.mark.parametrize("kwargs, exception, message", [
    ({"buffertype": "rw"}, ValueError, "buffertype must be \"read\" or \"write\", not 'rw'"),
    ({"order": "K"}, ValueError, "order must be \"C\", \"F\" or \"A\", not 'K'"),
    ({"order": "CF"}, ValueError, "order must be \"C\", \"F\" or \"A\", not 'CF'"),
    ({"buffertype": 1}, TypeError, "buffertype must be a str, not int"),
    ({"order": b"C"}, TypeError, "order must be a str, not bytes"),
])
def test_inspect_bad_request(kwargs, exception, message):
    with pytest.raises(exception) as raised:
        stridescope.inspect(b"abc", **kwargs)
    assert str(raised.value) == message


# What legitimately differs between the app's report and the in-process one: the scenario (none
# describes the caller's object), the process it ran in, the time of the call, and addresses.
DIFFERING = {
    ("scenario",), ("interpreter", "worker_pid"), ("interpreter", "fresh"), ("result", "seconds"),
    ("source", "buffer", "buf"), ("result", "buffer", "buf"), ("source", "memory", "base"),
}


def without_differing(report, path=()):
    if isinstance(report, dict):
        return {k: without_differing(v, path + (k,)) for k, v in report.items() if path + (k,) not in DIFFERING}
    return report


def app_report(args):
    app = run([BINARY, *args, "--json"])
    assert app.returncode in (0, 3), app.stderr
    return json.loads(app.stdout)


@pytest.mark.parametrize("code, request_", [
    ("np.arange(12, dtype=np.int16).reshape(3, 4)", ("read", "C")),
    ("np.arange(12, dtype=np.int16).reshape(3, 4).T", ("read", "C")),
    ("np.arange(12, dtype=np.int16).reshape(3, 4)[:, ::2]", ("write", "F")),
    ("np.arange(24.0).reshape(2, 3, 4)[::-1, :, 1:3]", ("read", "A")),
    ("a = np.arange(6.0)\na.flags.writeable = False\na", ("write", "C")),
    ("memoryview(b'abcdefgh')[::3]", ("read", "C")),
    ("import array\narray.array('d', range(4))", ("write", "F")),
    ("np.zeros((2, 3), dtype=[('x', '<i4'), ('y', '<f8')])", ("read", "C")),
])
def test_inspect_is_the_app_s_inspect_json(code, request_):
    buffertype, order = request_
    scope = {"np": np}
    *statements, last = code.split("\n")
    exec("\n".join(statements), scope)
    mine = stridescope.inspect(eval(last, scope), buffertype, order)
    app = app_report(["inspect", "--expr", code, "--request", buffertype, "--order", order])
    assert app["scenario"]["source"]["kind"] == "python" and mine["scenario"] is None
    assert mine["stridescope"] == app["stridescope"] and mine["python"] == app["python"]
    assert without_differing(mine) == without_differing(app)


def test_inspect_of_a_strided_buffer_is_the_app_s(tmp_path):
    # The app's own strided source (a scenario file) and the package's StridedBuffer: the same
    # exporter, and the same report, but for the type's module.
    scenario = {"stridescope_scenario": 1,
                "source": {"kind": "strided", "format": "<h", "shape": [3, 4], "strides": [16, 2], "fill": "index"},
                "request": {"buffertype": "read", "order": "F"}}
    path = tmp_path / "case.json"
    path.write_text(json.dumps(scenario))
    app = app_report(["inspect", str(path)])
    mine = stridescope.inspect(stridescope.StridedBuffer("<h", (3, 4), strides=(16, 2)), order="F")
    assert app["source"]["type"] == "_stridescope.StridedBuffer"
    assert mine["source"]["type"] == "stridescope.StridedBuffer"
    app["source"]["type"] = mine["source"]["type"]
    assert mine["result"]["outcome"] == "copy" and mine["result"]["bytes_verified"] == 24
    assert without_differing(mine) == without_differing(app)


# ---- check_exporter() ------------------------------------------------------------------------------

GOOD = [
    ("numpy 1-D", lambda: np.arange(6, dtype=np.int16)),
    ("numpy row of a 2-D array", lambda: np.arange(12, dtype=np.int16).reshape(3, 4)[1]),
    ("bytes", lambda: b"abcdef"),
    ("bytearray", lambda: bytearray(b"abcdef")),
    ("array.array", lambda: array.array("i", range(5))),
    ("memoryview 2-D", lambda: memoryview(np.arange(12, dtype=np.int16).reshape(3, 4))),
    ("memoryview, every other row", lambda: memoryview(np.arange(12, dtype=np.int16).reshape(3, 4))[::2]),
    ("StridedBuffer C", lambda: stridescope.StridedBuffer("h", (3, 4))),
    ("StridedBuffer every other column", lambda: stridescope.StridedBuffer("h", (3, 2), strides=(8, 4))),
    ("StridedBuffer read-only", lambda: stridescope.StridedBuffer("h", (3, 2), readonly=True)),
    ("StridedBuffer indirect", lambda: stridescope.StridedBuffer("h", (3, 4), indirect=True)),
]
if _testbuffer:
    GOOD += [
        ("_testbuffer C", lambda: _testbuffer.ndarray(list(range(12)), shape=[3, 4], format="h")),
        ("_testbuffer Fortran", lambda: _testbuffer.ndarray(list(range(12)), shape=[3, 4], format="h",
                                                            flags=_testbuffer.ND_FORTRAN)),
        ("_testbuffer PIL", lambda: _testbuffer.ndarray(list(range(12)), shape=[3, 4], format="h",
                                                        flags=_testbuffer.ND_PIL)),
    ]


@pytest.mark.parametrize("name, make", GOOD, ids=[name for name, _ in GOOD])
def test_good_exporters_conform(name, make):
    check = stridescope.check_exporter(make())
    assert check, str(check)
    assert check.ok and check.failures == []
    assert len(check.requests) == 17
    # Undecided only where the facts cannot decide: the memory rule, when the exporter's memory is
    # known only from its own views.
    assert {u["rule"] for u in check.undecided} <= {"memory"}
    if name.startswith("StridedBuffer") and "indirect" not in name:
        assert check.undecided == []  # its memory block is known
    for r in check.requests:
        assert r["refcount"]["after"] == r["refcount"]["before"]
        assert r["error"] is None or r["error"]["is_buffer_error"]
    assert repr(check).startswith(f"<ExporterCheck of {check.type}: no rule broken;")


def failures(check):
    return {f"{f['request']} {f['rule']}" for f in check.failures}


def test_numpy_refuses_with_valueerror():
    # numpy/numpy#3634: numpy refuses with ValueError where the documentation demands BufferError.
    check = stridescope.check_exporter(np.arange(12, dtype=np.int16).reshape(3, 4))
    assert not check
    assert failures(check) == {"PyBUF_F_CONTIGUOUS refusal"}
    assert "it MUST raise PyExc_BufferError" in check.failures[0]["quote"]


def test_pybind11_def_buffer_ignores_contiguity_requests():
    check = stridescope.check_exporter(pybind_matrix.Matrix(3, 4, transposed=True))
    assert check.type == "pybind_matrix.Matrix" and not check.ok and not check
    assert failures(check) == {
        "PyBUF_C_CONTIGUOUS contiguity", "PyBUF_ND shape", "PyBUF_CONTIG shape", "PyBUF_CONTIG_RO shape",
        "PyBUF_SIMPLE elements", "PyBUF_WRITABLE elements", "PyBUF_FORMAT elements", "PyBUF_ND elements",
        "PyBUF_CONTIG elements", "PyBUF_CONTIG_RO elements"}
    c = next(r for r in check.requests if r["request"] == "PyBUF_C_CONTIGUOUS")
    assert c["outcome"] == "view" and c["view"]["strides"] == [4, 16]
    # repr: one line naming every broken rule; str: one line per failure, with the rule quoted.
    assert "\n" not in repr(check)
    assert repr(check).startswith("<ExporterCheck of pybind_matrix.Matrix: 10 rules broken: ")
    for rule in ("contiguity (PyBUF_C_CONTIGUOUS)", "shape (PyBUF_ND, PyBUF_CONTIG, PyBUF_CONTIG_RO)"):
        assert rule in repr(check)
    lines = str(check).split("\n")
    assert lines[0] == repr(check) and len(lines) == 11
    assert "  PyBUF_C_CONTIGUOUS contiguity: the view is not C-contiguous" in str(check)
    # A C-ordered matrix too: the Fortran request gets C strides, PyBUF_ND no shape.
    assert failures(stridescope.check_exporter(pybind_matrix.Matrix(3, 4))) == {
        "PyBUF_F_CONTIGUOUS contiguity", "PyBUF_ND shape", "PyBUF_CONTIG shape", "PyBUF_CONTIG_RO shape"}


def test_format_set_without_pybuf_format():
    check = stridescope.check_exporter(misbehaving_exporters.FormatAlways())
    asked = {"PyBUF_FORMAT", "PyBUF_RECORDS", "PyBUF_RECORDS_RO", "PyBUF_FULL", "PyBUF_FULL_RO"}
    assert failures(check) == {f"{r['request']} format" for r in check.requests if r["request"] not in asked}
    assert len(check.failures) == 12
    strides = next(f for f in check.failures if f["request"] == "PyBUF_STRIDES")
    assert strides["detail"] == "format is 'h' though PyBUF_FORMAT was not requested"


def test_leaked_reference():
    check = stridescope.check_exporter(misbehaving_exporters.LeakyRef())
    assert failures(check) == {f"{r['request']} release" for r in check.requests} and len(check.failures) == 17
    assert all(f["detail"].endswith("1 reference leaked") for f in check.failures)
    assert all(r["refcount"]["after"] == r["refcount"]["before"] + 1 for r in check.requests)


@pytest.mark.parametrize("ndim, expected", [
    (1, {"PyBUF_CONTIG shape", "PyBUF_CONTIG_RO shape", "PyBUF_FORMAT format", "PyBUF_ND shape"}),
    (65, {"PyBUF_CONTIG ndim", "PyBUF_CONTIG_RO ndim", "PyBUF_FORMAT format", "PyBUF_FORMAT ndim",
          "PyBUF_ND ndim", "PyBUF_SIMPLE ndim", "PyBUF_WRITABLE ndim"}),
])
def test_wild_pointers_are_reported_not_read(ndim, expected):
    # Pointers to unmapped memory and an ndim past 64, read in place, would crash this process.
    check = stridescope.check_exporter(misbehaving_exporters.WildPointers(ndim))
    assert failures(check) == expected
    nd = next(r for r in check.requests if r["request"] == "PyBUF_ND")
    assert nd["view"]["ndim"] == ndim and nd["view"]["shape"] is None and nd["view"]["unreadable"] == ["shape"]


# The PyBUF_* bits that ask for each field (Include/pybuffer.h).
ASKS = {"format": 0x0004, "shape": 0x0008, "strides": 0x0018, "suboffsets": 0x0118}


@pytest.mark.parametrize("field", sorted(ASKS))
def test_wild_pointers_in_every_answer(field):
    # The lie is in PyBUF_FULL_RO's answer too, so the probe cannot read that view (`stridescope
    # requests` stops there with exit code 1); every request is still asked and checked.
    check = stridescope.check_exporter(misbehaving_exporters.WildPointers(2, always=field))
    asking = {r["request"] for r in check.requests if r["flags"] & ASKS[field] == ASKS[field]}
    assert failures(check) == {f"{name} {field}" for name in asking}
    assert {r["request"] for r in check.requests if field in r["view"]["unreadable"]} == asking
    assert check.report["probe_error"] == (f"the exporter's Py_buffer.{field} points to unreadable memory (0x10) "
                                           "in its answer to PyBUF_FULL_RO")


def test_wild_pointers_in_the_full_view_make_inspect_raise():
    with pytest.raises(ValueError, match="unreadable memory"):
        stridescope.inspect(misbehaving_exporters.WildPointers(1, always="format"))


@pytest.mark.parametrize("code", [
    "import pybind_matrix\npybind_matrix.Matrix(3, 4, transposed=True)",
    "import misbehaving_exporters\nmisbehaving_exporters.LeakyRef()",
    "np.arange(12, dtype=np.int16).reshape(3, 4)[:, ::2]",
])
def test_requests_are_the_app_s_requests_json(code):
    def comparable(requests):
        requests = json.loads(json.dumps(requests))
        for r in requests:
            r.pop("refcount")  # this process holds references of its own, and the verdicts quote them
            for v in r["verdicts"]:
                if v["rule"] in ("obj", "release"):
                    v["detail"] = re.sub(r"\d+", "N", v["detail"])
            if r["view"]:
                r["view"].pop("buf")  # an address; buf_offset is compared
        return requests

    scope = {"np": np}
    *statements, last = code.split("\n")
    exec("\n".join(statements), scope)
    check = stridescope.check_exporter(eval(last, scope))
    app = app_report(["requests", "--expr", f"import sys\nsys.path.insert(0, {EXPORTERS!r})\n{code}"])
    assert check.ok == app["conformance"]["conforms"]
    assert {k: v for k, v in check.report["conformance"].items()} == app["conformance"]
    assert comparable(check.requests) == comparable(app["requests"])


def test_check_exporter_of_no_buffer():
    with pytest.raises(TypeError) as raised:
        stridescope.check_exporter(3.5)
    assert str(raised.value) == "a float does not support the buffer protocol: there is nothing to request"


def test_a_failed_assert_in_pytest_names_the_broken_rules(tmp_path):
    test = tmp_path / "test_user.py"
    test.write_text(textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {EXPORTERS!r})
        import pybind_matrix, stridescope

        def test_matrix():
            assert stridescope.check_exporter(pybind_matrix.Matrix(3, 4, transposed=True))
    """))
    out = run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", str(test)], cwd=tmp_path)
    assert out.returncode == 1, out.stdout + out.stderr
    assert ("assert <ExporterCheck of pybind_matrix.Matrix: 10 rules broken: elements (PyBUF_SIMPLE, "
            in out.stdout), out.stdout


# ---- python3 -m stridescope -------------------------------------------------------------------------


def module(args, env=None, pythonpath=None):
    environment = dict(os.environ if env is None else env)
    if pythonpath:
        environment["PYTHONPATH"] = pythonpath
    return run([sys.executable, "-m", "stridescope", *args], env=environment)


def test_main_without_a_file():
    out = module([])
    assert out.returncode == 2
    assert out.stderr == "usage: python3 -m stridescope FILE (opens Stridescope's window on FILE)\n"


def test_main_runs_the_program_and_passes_its_exit_code():
    assert module(["--version"]).stdout == run([BINARY, "--version"]).stdout
    out = module(["no-such-command"])
    assert out.returncode == 2 and "stridescope: unknown command 'no-such-command'" in out.stderr


def test_main_opens_the_window_on_the_file(tmp_path):
    picture = tmp_path / "window.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = module(["--screenshot", str(picture), preset_file()], env=env)
    assert out.returncode == 0, out.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def preset_file():
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "resources", "presets", "c_2d.json")


def package_copy(tmp_path, program):
    """The package as installed elsewhere, its program recorded as `program`."""
    copy = tmp_path / "site" / "stridescope"
    shutil.copytree(os.path.dirname(stridescope.__file__), copy)
    (copy / "_location.py").write_text(f"PROGRAM = {program!r}\n")
    return str(copy.parent)


def test_main_without_the_program(tmp_path):
    empty = tmp_path / "bin"
    empty.mkdir()
    env = dict(os.environ, PATH=str(empty))
    out = module(["case.stridescope"], env=env, pythonpath=package_copy(tmp_path, "/nonexistent/bin/stridescope"))
    assert out.returncode == 127
    assert out.stderr == ("stridescope: the stridescope program is not installed at /nonexistent/bin/stridescope "
                          "and not on PATH\n")


def test_main_finds_the_program_on_path(tmp_path):
    env = dict(os.environ, PATH=os.path.dirname(BINARY))
    out = module(["--version"], env=env, pythonpath=package_copy(tmp_path, "/nonexistent/bin/stridescope"))
    assert out.returncode == 0 and out.stdout.startswith("stridescope ")


# ---- installed -------------------------------------------------------------------------------------


def test_cmake_install_puts_the_package_on_debian_s_path(tmp_path):
    prefix = tmp_path / "prefix"
    out = run(["cmake", "--install", BUILD, "--prefix", str(prefix)])
    assert out.returncode == 0, out.stderr
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    site = prefix / "lib" / version / "dist-packages"
    assert sorted(p.name for p in (site / "stridescope").iterdir() if not p.name.startswith("__pycache__")) == \
        sorted(["__init__.py", "__main__.py", "_location.py", os.path.basename(stridescope._native.__file__)])
    # Debian's site adds /usr/local/lib/python3.X/dist-packages: the same layout under the prefix.
    assert f"/usr/local/lib/{version}/dist-packages" in run(
        [sys.executable, "-c", "import site; print(site.getsitepackages())"]).stdout
    env = dict(os.environ, PATH="/usr/bin:/bin")
    out = run([sys.executable, "-c", "import stridescope, numpy as np\n"
               "print(stridescope.__file__)\n"
               "assert stridescope.check_exporter(np.arange(3))\n"
               "print(stridescope.inspect(stridescope.StridedBuffer('h', (2, 2)))['result']['outcome'])"],
              env=dict(env, PYTHONPATH=str(site)), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"{site}/stridescope/__init__.py\nalias\n"
    # The installed module runs the installed program.
    out = module(["--version"], env=env, pythonpath=str(site))
    assert out.returncode == 0 and out.stdout.startswith("stridescope ")
    assert (site / "stridescope" / "_location.py").read_text().endswith(f"PROGRAM = '{prefix}/bin/stridescope'\n")


# ---- save(): a snapshot a bug report carries ----------------------------------------------------


def app_inspect_file(path, *args):
    """`stridescope inspect FILE --json` in the app's own worker, which cannot import the test exporters."""
    app = run([BINARY, "inspect", str(path), "--json", *args])
    assert app.returncode == 0, app.stderr
    return json.loads(app.stdout)


@pytest.mark.parametrize("make, request_", [
    (lambda: pybind_matrix.Matrix(3, 4, transposed=True), ("read", "C")),
    (lambda: np.arange(24, dtype=">i4").reshape(2, 3, 4)[:, ::-1, 1:3], ("read", "F")),
    (lambda: np.zeros(3, dtype=[("x", "<i2"), ("y", "<f8")]), ("write", "C")),
    (lambda: memoryview(bytearray(range(16)))[1::3], ("read", "A")),
])
def test_save_writes_a_snapshot_the_app_shows_without_the_extension(tmp_path, make, request_):
    obj = make()
    buffertype, order = request_
    path = tmp_path / "case.stridescope"
    assert stridescope.save(obj, path, buffertype, order) == str(path)
    saved = json.loads(path.read_text())
    assert saved["source"]["kind"] == "snapshot"
    assert saved["source"]["captured_from"] == f"{type(obj).__module__}.{type(obj).__qualname__}".replace(
        "builtins.", "")
    assert saved["request"] == {"buffertype": buffertype, "order": order}
    app = app_inspect_file(path)
    mine = stridescope.inspect(obj, buffertype, order)
    for side in ("source", "result"):
        for field in ("format", "itemsize", "shape", "strides", "suboffsets", "readonly"):
            if mine[side]["buffer"] is None:
                assert app[side]["buffer"] is None
                continue
            assert app[side]["buffer"][field] == mine[side]["buffer"][field], (side, field)
    assert app["result"]["outcome"] == mine["result"]["outcome"]
    assert app["result"]["tolist"] == mine["result"]["tolist"]
    assert app["prediction"] == mine["prediction"]


def test_save_refuses_what_it_cannot_capture(tmp_path):
    path = tmp_path / "refused.stridescope"
    path.write_text("left whole")
    with pytest.raises(TypeError, match="^a int does not support the buffer protocol"):
        stridescope.save(7, path)
    with pytest.raises(ValueError, match="8 MiB"):
        stridescope.save(bytearray(9 << 20), path)
    with pytest.raises(ValueError) as wild:
        stridescope.save(misbehaving_exporters.WildPointers(2, always="shape"), path)
    assert "\n" not in str(wild.value) and "unreadable memory" in str(wild.value)
    with pytest.raises(ValueError, match='order must be "C", "F" or "A"'):
        stridescope.save(b"abc", path, "read", "K")
    assert path.read_text() == "left whole"
    with pytest.raises(OSError, match="cannot write"):
        stridescope.save(b"abc", tmp_path / "no-such-folder" / "case.stridescope")


def test_the_window_opens_a_saved_snapshot(tmp_path):
    path = tmp_path / "matrix.stridescope"
    stridescope.save(pybind_matrix.Matrix(2, 3, transposed=True), path)
    picture = tmp_path / "window.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = module(["--screenshot", str(picture), str(path)], env=env)
    assert out.returncode == 0, out.stderr
    assert picture.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
