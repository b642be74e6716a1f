"""python3 -m stridescope FILE: opens Stridescope's window on FILE, by running the stridescope
program installed with this package (else the one on PATH) with the arguments given."""

import os
import shutil
import sys

from . import _location


def program():
    """The stridescope program: the one installed with this package, else the one on PATH, else None."""
    if os.access(_location.PROGRAM, os.X_OK):
        return _location.PROGRAM
    return shutil.which("stridescope")


def main(arguments):
    if not arguments:
        print("usage: python3 -m stridescope FILE (opens Stridescope's window on FILE)", file=sys.stderr)
        return 2
    found = program()
    if not found:
        print(f"stridescope: the stridescope program is not installed at {_location.PROGRAM} and not on PATH",
              file=sys.stderr)
        return 127
    sys.stdout.flush()
    sys.stderr.flush()
    # This process becomes the program: its exit code (and its signals) are the caller's.
    os.execv(found, [found, *arguments])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
