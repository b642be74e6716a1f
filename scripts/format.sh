#!/usr/bin/env bash
# The C++ sources in the style of .clang-format, with Debian's clang-format (installed when missing).
#   scripts/format.sh          reformat every C++ file in place
#   scripts/format.sh --check  change nothing; list the files that deviate and exit 1 (test.sh runs
#                              this first, so CI keeps the tree formatted)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh" --no-build
stridescope_install_packages clang-format
cd "$STRIDESCOPE_ROOT"
# Every C++ file git knows (generated files live in the build folders, which git ignores).
mapfile -t files < <(git ls-files -- '*.cpp' '*.h')
if [[ "${1:-}" != "--check" ]]; then
    clang-format -i "${files[@]}"
    exit 0
fi
deviating=()
for f in "${files[@]}"; do
    clang-format --dry-run --Werror "$f" >/dev/null 2>&1 || deviating+=("$f")
done
if ((${#deviating[@]})); then
    echo "stridescope: ${#deviating[@]} files are not formatted as .clang-format says (scripts/format.sh fixes them):" >&2
    printf '  %s\n' "${deviating[@]}" >&2
    exit 1
fi
echo "stridescope: all ${#files[@]} C++ files are formatted as .clang-format says"
