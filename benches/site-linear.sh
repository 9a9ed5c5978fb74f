#!/usr/bin/env bash
# Linear time of the site scan in the size of one page (issue 9 item 5):
# pages with N script tags (inline loaders and external scripts, every one
# a different host), N Content-Security-Policy sources (one <meta>), and N
# lazy-loaded images, for N and 10×N; each served on loopback and read by
# `scan-site --no-resolve`. Prints the median wall time of 3 runs per size
# and the ratio; linear means 10× input → at most ~12× time (exit 1 above 12).
#
# Usage: benches/site-linear.sh [N]   (default 2000; 10×N must fit --max-page-size 5M)
#   BIN=path/to/residency uses that binary instead of building target/release.
#   COMMENT="hello // world" replaces the Cyrillic comment of every inline
#   script (builds before issue 10 crash on it).
set -euo pipefail
n=${1:-2000}
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet
    BIN=${CARGO_TARGET_DIR:-target}/release/residency
fi
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
python3 - "$n" "$work" "${COMMENT:-привет // мир}" <<'PY'
import sys
n, work, comment = int(sys.argv[1]), sys.argv[2], sys.argv[3]
for size in (n, 10 * n):
    scripts = "".join(
        f'<script>var s=document.createElement("script");s.src="https://s{i}.loader{i}.example-cdn.com/a.js";'
        f'ym({i},"init"); // {comment}</script>\n<script src="https://x{i}.ext{i}.example.net/b.js"></script>\n'
        for i in range(size))
    open(f"{work}/scripts-{size}.html", "w").write(f"<!doctype html><html><head>{scripts}</head><body></body></html>")
    csp = " ".join(f"https://c{i}.csp{i}.example.org" for i in range(size))
    open(f"{work}/csp-{size}.html", "w").write(
        f'<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="script-src \'self\' {csp}; report-uri https://r.example.org/r">'
        f"</head><body></body></html>")
    imgs = "".join(f'<img data-original="https://i{i}.img{i}.example.com/p.jpg" alt="">' for i in range(size))
    open(f"{work}/lazy-{size}.html", "w").write(f"<!doctype html><html><body>{imgs}</body></html>")
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$work" "$port" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done
echo "binary: $BIN"
printf "%-8s %8s %10s %8s %10s %7s\n" case N wall_s "10N" wall_s ratio
status=0
for case in scripts csp lazy; do
    declare -A med=()
    for size in "$n" $((10 * n)); do
        ls -l "$work/$case-$size.html" >/dev/null
        times=()
        for _ in 1 2 3; do
            /usr/bin/time -f "%e" -o "$work/t" "$BIN" scan-site "http://127.0.0.1:$port/$case-$size.html" \
                --max-pages 1 --no-resolve --format json > "$work/out.json"
            times+=("$(cat "$work/t")")
        done
        med[$size]=$(printf "%s\n" "${times[@]}" | sort -n | sed -n 2p)
    done
    ratio=$(python3 -c "a,b=${med[$n]},${med[$((10 * n))]}; print(f'{b/max(a,0.01):.1f}')")
    printf "%-8s %8d %10s %8d %10s %7s\n" "$case" "$n" "${med[$n]}" $((10 * n)) "${med[$((10 * n))]}" "$ratio"
    python3 -c "import sys; sys.exit(0 if $ratio <= 12 else 1)" || status=1
done
exit $status
