#!/usr/bin/env bash
# Every report format at 10,000 and 100,000 entities, offline.
#
# Usage: benches/scale.sh [BINARY]   (default: target/release/residency)
# Env:   SIZES="10000 100000"  RUNS=3 (median of RUNS)  LIMIT=300 (s per run)
#        FORMATS="json table …" (default: every format, table and html also in ru)
#
# Generates (scale-gen.py) ONE YAML file of N databases holding personal
# data (IP-literal hosts, a realistic country mix, ~1.9 findings per
# database) and times `residency check --offline --format F` for every
# format, writing to a file: wall time (median), peak RSS (max), output
# size. If the loader refuses the single file, the databases are split over
# 20 files and the table says so. Then the targets: every format at the
# largest size within 15x its time at the smallest and under 300 MB peak,
# JSON at 100,000 under 2 s.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/residency}
[ -x "$bin" ] || cargo build --release --quiet
sizes=${SIZES:-"10000 100000"}
runs=${RUNS:-3}
limit=${LIMIT:-300}
export SOURCE_DATE_EPOCH=1795564800
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
formats=${FORMATS:-"json table markdown html sarif junit gitlab github table:ru html:ru"}
results="$work/results.tsv"
: > "$results"
for n in $sizes; do
    inv="$work/inv-$n"
    python3 benches/scale-gen.py "$n" "$inv" 1
    layout="one file"
    if ! "$bin" check "$inv" --offline --format json --output "$work/probe.json" 2> "$work/probe.err"; then
        if grep -q "too large\|budget\|events" "$work/probe.err"; then
            rm -rf "$inv"
            python3 benches/scale-gen.py "$n" "$inv" 20
            layout="20 files (one file refused: $(head -c 120 "$work/probe.err" | tr '\n' ' '))"
            "$bin" check "$inv" --offline --format json --output "$work/probe.json" 2> /dev/null || true
        fi
    fi
    findings=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['findings']))" "$work/probe.json")
    echo "N=$n: $layout, $findings findings" >&2
    for spec in $formats; do
        f=${spec%%:*}; lang=en; [ "$spec" != "$f" ] && lang=${spec##*:}
        times=(); rss=0; status=ok
        for _ in $(seq "$runs"); do
            out="$work/out.$f.$lang"
            code=0
            timeout "$limit" /usr/bin/time -f "%e %M" -o "$work/time" \
                "$bin" check "$inv" --offline --format "$f" --lang "$lang" --output "$out" 2>/dev/null || code=$?
            # exit 1 is the gate failing (expected); anything else is not
            if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then status="exit $code"; fi
            if [ -s "$work/time" ]; then
                read -r t m < <(tail -1 "$work/time")
                times+=("$t"); [ "$m" -gt "$rss" ] && rss=$m
            fi
            [ "$status" = ok ] || break
        done
        med=$(printf '%s\n' "${times[@]:-0}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
        size=$(stat -c %s "$work/out.$f.$lang" 2>/dev/null || echo 0)
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$f" "$lang" "$med" "$rss" "$size" "$status" "$layout" >> "$results"
    done
done
python3 - "$results" <<'PY'
import sys, collections
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
by = collections.defaultdict(dict)
sizes = sorted({int(r[0]) for r in rows})
for n, f, lang, t, rss, size, status, layout in rows:
    by[(f, lang)][int(n)] = (float(t), int(rss) / 1024, int(size), status)
print("| format | lang | " + " | ".join(f"{n:,} s | {n:,} MiB | {n:,} MiB out" for n in sizes) + " | ratio | targets |")
print("|---|---|" + "---:|---:|---:|" * len(sizes) + "---:|---|")
ok_all = True
for (f, lang), v in by.items():
    cells = []
    for n in sizes:
        t, rss, size, status = v.get(n, (0, 0, 0, "-"))
        cells += [f"{t:.2f}" + ("" if status == "ok" else f" ({status})"), f"{rss:.0f}", f"{size/2**20:.1f}"]
    lo, hi = v[sizes[0]], v[sizes[-1]]
    ratio = hi[0] / lo[0] if lo[0] > 0 else float("inf")
    ok = ratio <= 15 and hi[1] * 1.048576 < 300 and hi[3] == "ok"
    if f == "json" and sizes[-1] >= 100000:
        ok = ok and hi[0] < 2
    ok_all &= ok
    print(f"| {f} | {lang} | " + " | ".join(cells) + f" | {ratio:.1f}x | {'met' if ok else 'MISSED'} |")
layouts = sorted({(int(r[0]), r[7]) for r in rows})
for n, l in layouts:
    print(f"\nN={n:,}: {l}")
print("\nall targets met" if ok_all else "\nsome targets missed")
PY
