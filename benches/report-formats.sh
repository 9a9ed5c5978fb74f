#!/usr/bin/env bash
# Size and render time of every report format on the bundled example.
#
# Usage: benches/report-formats.sh [BINARY]   (default: target/release/residency)
# Needs: hyperfine, python3. Times the whole command (load, locate offline,
# evaluate, render, write to /dev/null); the table format is the baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/residency}
[ -x "$bin" ] || cargo build --release --quiet
export SOURCE_DATE_EPOCH=1795564800
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
args=()
for spec in table:en table:ru json:en markdown:en markdown:ru html:en html:ru sarif:en junit:en; do
    f=${spec%%:*}; l=${spec##*:}
    "$bin" check inventory/ --offline --format "$f" --lang "$l" > "$out/$f.$l" || true
    args+=(--command-name "$f $l" "$bin check inventory/ --offline --format $f --lang $l")
done
hyperfine --shell=none --warmup 3 --runs 30 -i --export-json "$out/h.json" "${args[@]}" > /dev/null
python3 - "$out" <<'PY'
import json, os, sys
d = sys.argv[1]
res = json.load(open(os.path.join(d, "h.json")))["results"]
print("| format | lang | size | mean | σ |")
print("|---|---|---:|---:|---:|")
for r in res:
    f, l = r["command"].split()
    size = os.path.getsize(os.path.join(d, f"{f}.{l}"))
    print(f"| {f} | {l} | {size/1024:.1f} KiB | {r['mean']*1000:.2f} ms | {r['stddev']*1000:.2f} ms |")
PY
