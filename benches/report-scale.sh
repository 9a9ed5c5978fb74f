#!/usr/bin/env bash
# Reading an earlier report at scale: `residency report` (a history with
# one earlier run) and `check --baseline`, against `check --format json`.
#
# Usage: benches/report-scale.sh [N] [BINARY]
#        (default N=100000, BINARY target/release/residency)
# Env:   RUNS=3 (median of RUNS)  LIMIT=300 (s per run)
#
# Generates (scale-gen.py) one YAML file of N databases, writes the earlier
# report once with `check --format json`, a history of one run with
# `report`, then times, writing to files (wall time median, peak RSS max):
#   check --format json                      the reference
#   check --baseline EARLIER --format json   reads the earlier report
#   report --out HISTORY                     reads the previous run twice
#                                            (comparison, then the index),
#                                            writes html, md and json
#   report --compare EARLIER --out EMPTY     reads the given report once
# Aims (ours, set when the 100k report was found to be refused; issue 11's
# targets are those of benches/scale.sh): each reader under 300 MB peak and
# within 2x the time of `check --format json` (report writes three
# formats: its ratio is shown, the memory aim is the one it is held to).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
bin=${2:-target/release/residency}
[ -x "$bin" ] || cargo build --release --quiet
runs=${RUNS:-3}
limit=${LIMIT:-300}
export SOURCE_DATE_EPOCH=1795564800
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
inv="$work/inv"
python3 benches/scale-gen.py "$n" "$inv" 1
"$bin" check "$inv" --offline --format json --output "$work/earlier.json" || true
"$bin" report "$inv" --offline --out "$work/seed" > /dev/null || true
findings=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$work/earlier.json")
echo "N=$n: $findings findings, earlier report $(( $(stat -c %s "$work/earlier.json") / 1048576 )) MiB" >&2
results="$work/results.tsv"
: > "$results"
measure() { # NAME PREPARE COMMAND...
    local name=$1 prep=$2; shift 2
    local times=() rss=0 status=ok code t m
    for _ in $(seq "$runs"); do
        rm -rf "$work/out" "$work/out.json"
        eval "$prep"
        code=0
        timeout "$limit" /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2> "$work/err" || code=$?
        # exit 1 is the gate failing (expected); anything else is not
        if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then status="exit $code: $(grep -v '^Command exited' "$work/err" | head -c 100 | tr '\n' ' ')"; fi
        if [ -s "$work/time" ]; then
            read -r t m < <(tail -1 "$work/time")
            times+=("$t"); [ "$m" -gt "$rss" ] && rss=$m
        fi
        [ "$status" = ok ] || break
    done
    local med
    med=$(printf '%s\n' "${times[@]:-0}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    printf '%s\t%s\t%s\t%s\n' "$name" "$med" "$rss" "$status" >> "$results"
}
measure "check --format json" ":" \
    "$bin" check "$inv" --offline --format json --output "$work/out.json"
measure "check --baseline" ":" \
    "$bin" check "$inv" --offline --format json --baseline "$work/earlier.json" --output "$work/out.json"
measure "report (previous run)" "cp -r '$work/seed' '$work/out'" \
    "$bin" report "$inv" --offline --out "$work/out"
measure "report --compare" ":" \
    "$bin" report "$inv" --offline --compare "$work/earlier.json" --out "$work/out"
python3 - "$results" "$n" <<'PY'
import sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
n = int(sys.argv[2])
ref = float(rows[0][1])
print(f"| command at {n:,} | s | peak MiB | x json | aims |")
print("|---|---:|---:|---:|---|")
ok_all = True
for name, t, rss, status in rows:
    t, mib = float(t), int(rss) / 1024
    ratio = t / ref if ref > 0 else float("inf")
    ok = status == "ok" and mib * 1.048576 < 300
    if name == "check --baseline":
        ok = ok and ratio <= 2
    if name != rows[0][0]:
        ok_all &= ok
    note = "" if status == "ok" else f" ({status})"
    print(f"| {name}{note} | {t:.2f} | {mib:.0f} | {ratio:.1f} | {'-' if name == rows[0][0] else ('met' if ok else 'MISSED')} |")
print("\nall aims met" if ok_all else "\nsome aims missed")
PY
