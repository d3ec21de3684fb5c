#!/usr/bin/env bash
# clang-format for the project's C and C++ (BPF programs, shared headers, the addon).
set -euo pipefail
cd "$(dirname "$0")/../.."
fmt=$(command -v clang-format-19 || true)
[ -n "$fmt" ] || { echo "check-c-format: clang-format not installed (apt-get install clang-format-19)" >&2; exit 1; }
files=$(git ls-files '*.c' '*.h' '*.cc' | grep -v '^test-kernel/.work/' || true)
if [ "${1:-}" = --fix ]; then "$fmt" -i $files; else "$fmt" --dry-run --Werror $files; fi
