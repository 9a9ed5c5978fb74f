#!/usr/bin/env bash
# Plan loading scales linearly and memory stays within 3x the plan's size:
# generate plans of N and 10N resources (benches/plan.py), run
# `residency check --terraform` on each REPEAT times (default 3), and print
# the median wall time and peak RSS, peak RSS / plan size, and the 10N/N
# ratios (the target: <= 12x time and memory for 10x input).
#
# Usage: benches/terraform-scale.sh [N] (default 20000)
# BIN=path uses that binary instead of a release build; BEFORE=path also
# measures another binary (e.g. the code before a change) in the same run.
# First, plan loading alone (benches/plan_load.rs; LOAD=path uses that
# binary): its peak memory above the process's start, per byte of plan.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20000}; repeat=${REPEAT:-3}
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; BIN=${CARGO_TARGET_DIR:-target}/release/residency; fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores; repeat $repeat, medians"
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
measure() { # BIN DIR -> "wall_s peak_KiB"
    local walls=() rsss=()
    for _ in $(seq "$repeat"); do
        /usr/bin/time -f "%e %M" -o "$2/time" "$1" check "$2/inventory" --offline --terraform "$2/plan.json" \
            --format json --fail-on never > /dev/null 2>&1 || true
        read -r w r < <(tail -n 1 "$2/time"); walls+=("$w"); rsss+=("$r")
    done
    echo "$(printf '%s\n' "${walls[@]}" | median) $(printf '%s\n' "${rsss[@]}" | median)"
}
if [ -z "${LOAD:-}" ]; then
    LOAD=$(cargo bench --bench plan-load --no-run --message-format=json 2>/dev/null |
        python3 -c "import json,sys; print([j['executable'] for j in map(json.loads, sys.stdin) if j.get('executable') and 'plan_load' in j['executable']][-1])")
fi
for size in "$n" "$((n * 10))"; do
    d="$work/n$size"; [ -f "$d/plan.json" ] || python3 benches/plan.py "$size" "$d" > /dev/null
done
echo "plan loading alone (median of $repeat):"
printf "%8s %9s %8s %9s %10s\n" N plan_MiB load_s peak_MiB extra/size
declare -A LW LR
for size in "$n" "$((n * 10))"; do
    ws=(); rs=(); ratios=()
    for _ in $(seq "$repeat"); do
        IFS=$'\t' read -r _ bytes _ secs peak ratio < <("$LOAD" "$work/n$size/plan.json")
        ws+=("$secs"); rs+=("$peak"); ratios+=("$ratio")
    done
    LW[$size]=$(printf '%s\n' "${ws[@]}" | median); LR[$size]=$(printf '%s\n' "${rs[@]}" | median)
    printf "%8s %9.1f %8s %9.1f %10s\n" "$size" "$(echo "$bytes / 1048576" | bc -l)" "${LW[$size]}" \
        "$(echo "${LR[$size]} / 1024" | bc -l)" "$(printf '%s\n' "${ratios[@]}" | median)"
done
printf "loading, 10x input: %.1fx time, %.1fx peak memory\n\n" \
    "$(echo "${LW[$((n * 10))]} / ${LW[$n]}" | bc -l)" "$(echo "${LR[$((n * 10))]} / ${LR[$n]}" | bc -l)"
echo "the whole check (median of $repeat):"
printf "%-8s %8s %9s %8s %9s %10s\n" binary N plan_MiB wall_s peak_MiB peak/size
for label in after before; do
    bin=$BIN; [ $label = before ] && { [ -n "${BEFORE:-}" ] || continue; bin=$BEFORE; }
    declare -A W R
    for size in "$n" "$((n * 10))"; do
        d="$work/n$size"; [ -f "$d/plan.json" ] || python3 benches/plan.py "$size" "$d" > /dev/null
        bytes=$(stat -c %s "$d/plan.json")
        read -r wall rss < <(measure "$bin" "$d")
        W[$size]=$wall; R[$size]=$rss
        printf "%-8s %8s %9.1f %8s %9.1f %10.2f\n" "$label" "$size" "$(echo "$bytes / 1048576" | bc -l)" "$wall" \
            "$(echo "$rss / 1024" | bc -l)" "$(echo "$rss * 1024 / $bytes" | bc -l)"
    done
    printf "%-8s 10x input: %.1fx time, %.1fx peak memory\n" "$label" \
        "$(echo "${W[$((n * 10))]} / ${W[$n]}" | bc -l)" "$(echo "${R[$((n * 10))]} / ${R[$n]}" | bc -l)"
done
