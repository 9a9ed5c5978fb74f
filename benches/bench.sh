#!/usr/bin/env bash
# Benchmark `residency check` against a real authoritative DNS server (nsd)
# on loopback. Prints wall time, user+sys CPU, peak RSS and the placement
# mismatches against the generator's ground truth.
#
# Usage: benches/bench.sh [N ...]      (default: 1000 10000)
# Env:   RUNS=3 alternating runs of each tool per size; medians are shown.
# Needs: nsd, python3, GNU time (/usr/bin/time); installs nsd if missing.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
command -v nsd >/dev/null || { apt-get update -qq && apt-get install -y -qq nsd >/dev/null; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet
bin=target/release/residency
work=$(mktemp -d)
trap 'kill $(cat "$work"/nsd.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(uname -sr)"
echo "example (offline, 10 runs):"
/usr/bin/time -f "  wall %e s, user %U s, sys %S s, peak RSS %M KiB" $bin check inventory/ --offline >/dev/null 2>"$work/t" || true
cat "$work/t" | tail -1
if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 3 --runs 20 -i "$bin check inventory/ --offline --format json" 2>/dev/null | grep -E "Time|Range" | sed 's/^/  /'
fi

python3 -c 'import dns.asyncresolver, maxminddb' 2>/dev/null || pip install -q dnspython maxminddb
row() { printf "%-10s %8s %9s %9s %9s %10s %9s %10s\n" "$@"; }
row tool N wall_s user_s sys_s peak_MiB queries mismatches
for n in "${sizes[@]}"; do
    d="$work/n$n"; mkdir -p "$d"
    python3 benches/gen.py "$n" "$d"
    cat > "$d/nsd.conf" <<CONF
server:
    ip-address: 127.0.0.1@$port
    port: $port
    username: ""
    chroot: ""
    zonesdir: "$d"
    pidfile: "$work/nsd.pid"
    database: ""
    xfrdfile: "$d/xfrd.state"
    zonelistfile: "$d/zone.list"
    server-count: 1
    rrl-ratelimit: 0
    rrl-whitelist-ratelimit: 0
    verbosity: 0
remote-control:
    control-enable: no
zone:
    name: bench.test
    zonefile: bench.test.zone
CONF
    nsd -c "$d/nsd.conf" -d >/dev/null 2>&1 &
    for _ in $(seq 50); do dig +short +time=1 +tries=1 @127.0.0.1 -p "$port" ns.bench.test >/dev/null 2>&1 && break; sleep 0.1; done
    # RUNS alternating runs of residency and the peer against the same
    # server; the rows show the medians (wall, user, sys), the peak RSS max.
    rw=(); ru=(); rs=(); rr=0; pw=(); pu=(); ps=(); pr=0
    for _ in $(seq "${RUNS:-3}"); do
        /usr/bin/time -f "%e %U %S %M" -o "$d/time" $bin check "$d/inventory" --dns "127.0.0.1:$port" \
            --format json --fail-on never > "$d/report.json"
        read -r wall user sys rss < "$d/time"
        rw+=("$wall"); ru+=("$user"); rs+=("$sys"); [ "$rss" -gt "$rr" ] && rr=$rss
        # The comparison peer (benches/peer/peer.py), same names, same server.
        /usr/bin/time -f "%e %U %S %M" -o "$d/ptime" python3 benches/peer/peer.py "$d/truth.tsv" \
            data/geo-whois-asn-country.mmdb 127.0.0.1 "$port" 64 > "$d/peer.out"
        read -r pwall puser psys prss < "$d/ptime"
        pw+=("$pwall"); pu+=("$puser"); ps+=("$psys"); [ "$prss" -gt "$pr" ] && pr=$prss
    done
    med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
    mism=$(python3 - "$d" <<'PY'
import json, sys
d = sys.argv[1]
truth = dict(l.rstrip("\n").split("\t") for l in open(f"{d}/truth.tsv"))
rep = json.load(open(f"{d}/report.json"))
bad = 0
for e in rep["entities"]:
    for h in e["hosts"]:
        want = truth[h["host"]]
        got = ",".join(sorted({a["country"] for a in h["addresses"] if a["country"]}))
        if want == "NXDOMAIN":
            ok = h["error"] is not None and "NXDOMAIN" in h["error"] and not got
        else:
            ok = got == want and h["error"] is None
        bad += not ok
print(bad)
PY
)
    queries=$(python3 -c "import json;print(json.load(open('$d/report.json'))['resolution']['queries'])")
    wall=$(med "${rw[@]}"); pwall=$(med "${pw[@]}")
    row residency "$n" "$wall" "$(med "${ru[@]}")" "$(med "${rs[@]}")" "$((rr / 1024))" "$queries" "$mism"
    pq=$(sed -n 's/.*queries=\([0-9]*\).*/\1/p' "$d/peer.out")
    pm=$(sed -n 's/.*mismatches=\([0-9]*\).*/\1/p' "$d/peer.out")
    row python-peer "$n" "$pwall" "$(med "${pu[@]}")" "$(med "${ps[@]}")" "$((pr / 1024))" "$pq" "$pm"
    echo "  runs: residency ${rw[*]} s; peer ${pw[*]} s"
    echo "  ratio of medians (peer wall / residency wall): $(python3 -c "print(round($pwall / max($wall, 0.001), 1))")x (target: at least 25x at 10,000)"
    kill "$(cat "$work/nsd.pid")" 2>/dev/null || true; sleep 0.3
done
