#!/usr/bin/env bash
# Measure the times "How this book is built" reports, from a fresh clone of
# this repository in a temporary folder. Prints a Markdown table.
#   tools/measure-times.sh [--no-test]
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
git clone -q "$src" "$dir/book"
cd "$dir/book"
export NO_MKDOCS_2_WARNING=1
t() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); awk "BEGIN { print $e - $s }"; }
setup=$(t make setup)
setup_again=$(t make setup)
cold=$(t make build)
warm=$(t make build)
echo "<!-- edited -->" >> docs/part-1/03-gradient-descent.md
edit_chapter=$(t make build)
echo "# edited" >> lessonlib/plotting.py
edit_lib=$(t make build)
git checkout -q docs lessonlib
tests="not run"
[ "${1:-}" = "--no-test" ] || tests=$(t make test)
printf '| step | command | seconds |\n| --- | --- | ---: |\n'
printf '| set-up on a fresh clone (virtual environment, packages, KaTeX) | `make setup` | %.0f |\n' "$setup"
printf '| set-up again, nothing changed | `make setup` | %.1f |\n' "$setup_again"
printf '| cold build (every snippet runs) | `make build` | %.1f |\n' "$cold"
printf '| rebuild, nothing changed | `make build` | %.1f |\n' "$warm"
printf '| rebuild after editing one chapter | `make build` | %.1f |\n' "$edit_chapter"
printf '| rebuild after editing lessonlib (every snippet reruns) | `make build` | %.1f |\n' "$edit_lib"
printf '| full test run (set-up already done) | `make test` | %s |\n' "$tests"
rm -rf "$dir"
