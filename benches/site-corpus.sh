#!/usr/bin/env bash
# The site scan on a corpus of real saved pages, served on loopback and
# crawled from its index.html (`scan-site`, then `check --site` against a
# minimal inventory for the findings). Prints: pages read and pages not read
# in full, third-party hosts found and how many the catalogue names (all, and
# on the pages whose file name starts with `r`: the Russian/CIS ones), hosts
# only mentioned, findings by rule, wall time, pages/s and peak memory
# (median of 3 runs).
#
# Usage: benches/site-corpus.sh CORPUS_DIR
#   CORPUS_DIR: a directory of .html pages with an index.html linking them all.
#   BIN=path/to/residency uses that binary instead of building target/release.
#   EXCLUDE="a.html b.html" serves the corpus without those pages (e.g. the
#   pages an older build crashes on, to measure the rest).
# The corpus is only read from CORPUS_DIR; nothing is copied into the repository.
# Hosts are not resolved by scan-site (--no-resolve); check --site is pointed
# at a closed DNS port on loopback, so every host stays unplaced (fail closed)
# and no request leaves the machine.
# Needs: python3, GNU time (/usr/bin/time; installed if missing).
set -euo pipefail
corpus=${1:?usage: benches/site-corpus.sh CORPUS_DIR}
corpus=$(cd "$corpus" && pwd)
[ -f "$corpus/index.html" ] || { echo "$corpus/index.html: no such file" >&2; exit 2; }
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
if [ -z "${BIN:-}" ]; then
    cargo build --release --quiet
    BIN=${CARGO_TARGET_DIR:-target}/release/residency
fi
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

pages=$(find "$corpus" -maxdepth 1 -name '*.html' | wc -l)
if [ -n "${EXCLUDE:-}" ]; then
    # Serve the corpus without these pages (links to them answer 404).
    mkdir "$work/www"
    for f in "$corpus"/*; do
        case " $EXCLUDE " in *" $(basename "$f") "*) continue ;; esac
        ln -s "$f" "$work/www/"
    done
    echo "excluded: $EXCLUDE"
    serve=$work/www
else
    serve=$corpus
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$serve" "$port" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done
url="http://127.0.0.1:$port/index.html"

echo "binary: $BIN ($("$BIN" --version 2>/dev/null || echo '?'))"
echo "machine: $(nproc) cores; $(uname -sr)"
echo "corpus: $corpus ($pages .html files, $(du -sk "$corpus" | cut -f1) KiB)"
for run in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time.$run" \
        "$BIN" scan-site "$url" --max-pages 200 --parallel 1 --no-resolve --format json \
        > "$work/scan.json" 2> "$work/scan.err" || { echo "scan-site FAILED (exit $?):"; grep -v '^ ' "$work/scan.err" | head -5; exit 1; }
done
mkdir -p "$work/inv"
cat > "$work/inv/i.yaml" <<'YAML'
version: 1
organization: {name: ООО «Бенчмарк», country: RU}
networks:
  - {cidr: 127.0.0.0/8, country: RU, site: benchmark loopback}
databases:
  - {id: accounts-db, hosts: [127.0.0.1], personal_data: {categories: [email]}}
YAML
dnsport=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
set +e
"$BIN" check "$work/inv" --site "$url" --max-pages 200 --parallel 1 --dns "127.0.0.1:$dnsport" \
    --timeout 0.2 --attempts 1 --format json > "$work/check.json" 2> "$work/check.err"
code=$?
set -e
echo "check --site exit code: $code"
[ "$code" -le 1 ] || { head -20 "$work/check.err"; }
python3 - "$work" <<'PY'
import json, os, statistics, sys
from collections import Counter
work = sys.argv[1]
s = json.load(open(os.path.join(work, "scan.json")))["site"]
pages = s["pages"]
ok = sum(1 for p in pages if p.get("status") == 200 and p.get("html"))
print(f"pages read: {s['pages_read']} of {len(pages)} fetched ({ok} with HTTP 200, the rest error pages of links "
      f"the saved pages make); not read in full: {s['pages_not_read_in_full']}")
for p in pages:
    if p.get("problem"):
        print(f"  not read in full: {p['url']}: {p['problem']}")
def page_hosts(pred):
    named, unnamed = set(), set()
    for t in s["third_parties"]:
        for seen in t["seen"]:
            name = seen["page"].rsplit("/", 1)[-1]
            if pred(name):
                (named if t.get("service") else unnamed).add(seen["host"])
    return named, unnamed
for label, pred in [("all pages", lambda n: True), ("r* pages (Russian/CIS)", lambda n: n.startswith("r"))]:
    named, unnamed = page_hosts(pred)
    total = len(named | unnamed)
    pct = 100 * len(named) / total if total else 0
    print(f"third-party hosts ({label}): {total}, named by the catalogue: {len(named)} ({pct:.0f}%)")
print(f"third parties (services + unknown domains): {len(s['third_parties'])}, "
      f"in the catalogue: {sum(1 for t in s['third_parties'] if t.get('service'))}")
tdb = sum(1 for t in s["third_parties"] if t.get("named_by"))
if tdb:
    print(f"  named from --tracker-db: {tdb}")
mentioned = s.get("mentioned")
if mentioned is not None:
    print(f"hosts only mentioned (not contacted): {len({m['host'] for m in mentioned})}")
permitted = s.get("permitted")
if permitted is not None:
    print(f"hosts only permitted by a CSP: {len({m['host'] for m in permitted})}")
try:
    c = json.load(open(os.path.join(work, "check.json")))
    rules = Counter(f["rule"] for f in c.get("findings", []))
    print("findings by rule (check --site, minimal inventory, hosts unplaced):")
    for r, n in sorted(rules.items()):
        print(f"  {r:32} {n}")
except Exception as e:
    print(f"findings: check --site gave no JSON ({e})")
walls, rss = [], []
for run in (1, 2, 3):
    w, m = open(os.path.join(work, f"time.{run}")).read().split()
    walls.append(float(w)); rss.append(int(m))
w = statistics.median(walls)
print(f"scan-site wall time (median of 3): {w:.2f} s; {len(pages) / w:.1f} pages/s; "
      f"peak RSS {statistics.median(rss) / 1024:.1f} MiB")
PY
