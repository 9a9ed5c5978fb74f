#!/usr/bin/env bash
# Table output is linear in the length of unbroken text (issue 9, item 7):
# `check --format table` on an inventory whose waiver `reason` is one
# unbroken word of N characters, for N = 100,000 and 1,000,000 (10×).
# Prints the median of 5 runs for each and the ratio; linear means the
# ratio stays at or under 12. Before the fix the 1 MB case took ~27 s.
#
# usage: benches/table-linear.sh [BINARY]   (default: a release build)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then
    cargo build --release --locked --quiet
    bin=${CARGO_TARGET_DIR:-target}/release/residency
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

make_inventory() { # N DIR
    mkdir -p "$2"
    python3 - "$1" >"$2/inventory.yaml" <<'EOF'
import sys
n = int(sys.argv[1])
print("version: 1")
print("databases:")
print("  - {id: abroad, role: primary, hosts: [52.57.0.1], personal_data: {}}")
print("waivers:")
print("  - rule: primary-outside-ru")
print("    entity: abroad")
print("    countries: [DE]")
print("    reason_code: art6-1-2")
print("    approved_by: DPO")
print("    expires: 2027-01-31")
print("    reason: " + "x" * n)
EOF
}

median_run() { # DIR -> median wall seconds of 5 runs
    local times=()
    for _ in 1 2 3 4 5; do
        local s e
        s=$(date +%s.%N)
        SOURCE_DATE_EPOCH=1795564800 COLUMNS=120 "$bin" check "$1" --offline \
            --format table --fail-on never >/dev/null
        e=$(date +%s.%N)
        times+=("$(echo "$e - $s" | bc -l)")
    done
    printf '%s\n' "${times[@]}" | sort -g | sed -n 3p
}

printf '%-12s %12s\n' "reason chars" "median s"
declare -A t
for n in 100000 1000000; do
    make_inventory "$n" "$work/$n"
    t[$n]=$(median_run "$work/$n")
    printf '%-12s %12.3f\n' "$n" "${t[$n]}"
done
ratio=$(echo "${t[1000000]} / ${t[100000]}" | bc -l)
printf 'ratio (10x input): %.2fx  %s\n' "$ratio" \
    "$(echo "$ratio <= 12" | bc -l | sed 's/1/linear (<= 12x)/; s/0/NOT linear (> 12x)/')"
