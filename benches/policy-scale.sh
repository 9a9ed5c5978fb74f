#!/usr/bin/env bash
# Time of `residency policy` against the size of the policy: realistic text
# (the example policy repeated) and hostile shapes (one endless sentence,
# unclosed Markdown links, deeply nested HTML), each at 1 MiB and 4 MiB.
# Linear time means a 4 MiB / 1 MiB ratio near 4. Medians of 3 runs.
#
# Usage: benches/policy-scale.sh [BINARY]   (default: target/release/residency)
set -euo pipefail
BIN=${1:-${CARGO_TARGET_DIR:-target}/release/residency}
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
REPO=$(cd "$(dirname "$0")/.." && pwd)

gen() { # gen KIND BYTES FILE
    python3 - "$1" "$2" "$3" "$REPO/inventory/policy.md" <<'PY'
import sys
kind, size, out, example = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
if kind == "example":
    unit = open(example, encoding="utf-8").read() + "\n"
elif kind == "sentence":
    unit = "данные хранятся в Германии и передаются Google и хостинг-провайдерам и "
elif kind == "links":
    unit = "[a](b [c](d "
else:  # nested html
    unit = "<div><p>В России "
text = unit * (size // len(unit.encode()) + 1)
data = text.encode()[:size].decode("utf-8", "ignore")
open(out, "w", encoding="utf-8").write(data)
PY
}

median() { sort -n | sed -n 2p; }

time_one() { # seconds of one run
    local f=$1 s e
    s=$(date +%s.%N)
    "$BIN" policy "$f" --format json >/dev/null
    e=$(date +%s.%N)
    echo "$e - $s" | bc -l
}

printf '%-9s %10s %10s %7s\n' shape "1 MiB s" "4 MiB s" ratio
for kind in example sentence links html; do
    ext=md; [ "$kind" = html ] && ext=html
    gen "$kind" $((1 << 20)) "$DIR/small.$ext"
    gen "$kind" $((4 << 20)) "$DIR/big.$ext"
    a=$(for _ in 1 2 3; do time_one "$DIR/small.$ext"; done | median)
    b=$(for _ in 1 2 3; do time_one "$DIR/big.$ext"; done | median)
    printf '%-9s %10.3f %10.3f %7.2f\n' "$kind" "$a" "$b" "$(echo "$b / $a" | bc -l)"
done
