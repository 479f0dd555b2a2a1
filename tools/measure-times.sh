#!/usr/bin/env bash
# Measure the times "How this book is built" reports, from a fresh clone of
# this repository in a temporary folder, on this machine. Prints Markdown.
#   tools/measure-times.sh [--no-test]
# Repeated runs go through hyperfine (Debian: apt-get install hyperfine), which
# reports their minimum and median.
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
git clone -q "$src" "$dir/book"
cd "$dir/book"
export NO_MKDOCS_2_WARNING=1
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install -y hyperfine" >&2; exit 1; }
h() { hyperfine --style none --export-json "$dir/h.json" "$@" >/dev/null 2>&1
      python3 -c "import json,statistics; r=json.load(open('$dir/h.json'))['results'][0]; print(f\"{min(r['times']):.1f} | {statistics.median(r['times']):.1f} | {len(r['times'])}\")"; }
s=$(date +%s.%N); make setup >/dev/null 2>&1; e=$(date +%s.%N)
setup=$(awk "BEGIN { printf \"%.0f\", $e - $s }")
cold=$(h --runs 3 --prepare 'rm -rf .cache/downhill .cache/mkdocs-jupyter site' 'make build')
warm=$(h --runs 5 --warmup 1 'make build')
away_cold=$(h --runs 2 --prepare 'rm -rf .cache/downhill build/offline dist' 'make offline pdf')
away_warm=$(h --runs 3 'make offline pdf')
echo "| step | command | min (s) | median (s) | runs |"
echo "| --- | --- | ---: | ---: | ---: |"
echo "| set-up on a fresh clone (virtual environment, packages, KaTeX) | \`make setup\` | $setup | | 1 |"
echo "| cold build (every snippet runs) | \`make build\` | $cold |"
echo "| full build again, nothing changed | \`make build\` | $warm |"
echo "| the offline edition and the PDF, cold (every snippet runs) | \`make offline pdf\` | $away_cold |"
echo "| the offline edition and the PDF again, nothing changed | \`make offline pdf\` | $away_warm |"
echo
.venv/bin/python tools/time-rebuilds.py 5
echo
echo "The ten slowest snippets of the last build:"
echo
.venv/bin/python -m bookbuild times
if [ "${1:-}" != "--no-test" ]; then
    make test > "$dir/test.log" 2>&1 || { tail -40 "$dir/test.log"; exit 1; }
    echo
    grep -E "^=+ .*(passed|failed).* in [0-9.]+s" "$dir/test.log" | tail -1
fi
rm -rf "$dir"
