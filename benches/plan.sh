#!/usr/bin/env bash
# Benchmark `residency check --terraform` on large generated plans: wall
# time, CPU and peak RSS. Usage: benches/plan.sh [N ...] (default 1000 20000).
# BIN=path/to/residency uses that binary instead of a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 20000)
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; BIN=target/release/residency; fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores; binary: $BIN"
printf "%8s %9s %9s %9s %10s %9s %9s\n" N plan_MiB wall_s user_s peak_MiB linked unlisted
for n in "${sizes[@]}"; do
    d="$work/n$n"; python3 benches/plan.py "$n" "$d"
    /usr/bin/time -f "%e %U %M" -o "$d/time" "$BIN" check "$d/inventory" --offline --terraform "$d/plan.json" \
        --format json --fail-on never > "$d/report.json" 2>/dev/null
    read -r wall user rss < "$d/time"
    read -r linked unlisted < <(python3 -c "
import json,sys; r=json.load(open('$d/report.json'))
print(sum(1 for x in r['terraform']['resources'] if x['entities']), sum(1 for f in r['findings'] if f['rule']=='unlisted-storage'))")
    printf "%8s %9.1f %9s %9s %10s %9s %9s\n" "$n" "$(echo "$(stat -c %s "$d/plan.json") / 1048576" | bc -l)" "$wall" "$user" "$((rss / 1024))" "$linked" "$unlisted"
done
