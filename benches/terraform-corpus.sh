#!/usr/bin/env bash
# Run `residency check --terraform` on every plan/state of a corpus folder
# (e.g. ../shared/corpus/terraform-plans/, never copied into the repository)
# and print, per file: accepted or refused (with the first line of the
# message), managed resources, storage resources recognised, placed (at
# least one place), unknown (no place), wall time and peak RSS.
#
# Usage: benches/terraform-corpus.sh CORPUS_DIR
# BIN=path/to/residency uses that binary instead of a release build.
# TYPES=1 also lists, per file, the managed resource types that were NOT
# recognised as storage (for reading the plans: each data-holding one is a
# class to cover).
set -euo pipefail
[ $# -eq 1 ] && [ -d "$1" ] || { echo "usage: $0 CORPUS_DIR" >&2; exit 2; }
corpus=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
if [ -z "${BIN:-}" ]; then cargo build --release --quiet; BIN=${CARGO_TARGET_DIR:-target}/release/residency; fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# A one-entity inventory that claims nothing: every storage resource is unclaimed.
mkdir -p "$work/inv"
cat > "$work/inv/operator.yaml" <<'EOF'
version: 1
organization:
  name: Corpus bench
  country: RU
databases:
  - id: bench-db
    role: primary
    location: {country: RU}
EOF
echo "machine: $(nproc) cores; binary: $BIN"
printf "%-40s %-8s %5s %5s %6s %6s %7s %8s  %s\n" file result res stor placed unkn wall_s peak_MiB message
total_s=0; total_p=0; total_u=0; acc=0; ref=0
for f in "$corpus"/*.json; do
    name=$(basename "$f")
    set +e
    /usr/bin/time -f "%e %M" -o "$work/time" "$BIN" check "$work/inv" --offline --terraform "$f" \
        --format json --fail-on never > "$work/out.json" 2> "$work/err"
    rc=$?
    set -e
    read -r wall rss < <(tail -n 1 "$work/time")
    if [ $rc -eq 0 ]; then
        acc=$((acc + 1))
        read -r res stor placed unkn < <(python3 - "$work/out.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["terraform"]
st = [x for x in r["resources"] if x["storage"]]
print(sum(p["resources"] for p in r["plans"]), len(st),
      sum(1 for x in st if x["countries"]), sum(1 for x in st if not x["countries"]))
EOF
)
        msg=""
        total_s=$((total_s + stor)); total_p=$((total_p + placed)); total_u=$((total_u + unkn))
        result=accepted
    else
        ref=$((ref + 1)); res=-; stor=-; placed=-; unkn=-; result="refused"
        msg=$(grep -m1 -v '^\s*$' "$work/err" | cut -c1-160)
    fi
    printf "%-40s %-8s %5s %5s %6s %6s %7s %8s  %s\n" "$name" "$result" "$res" "$stor" "$placed" "$unkn" "$wall" "$((rss / 1024))" "$msg"
    if [ "${TYPES:-}" = 1 ] && [ $rc -eq 0 ]; then
        python3 - "$work/out.json" "$f" <<'EOF'
import json, sys, collections
r = json.load(open(sys.argv[1]))["terraform"]
known = {x["address"] for x in r["resources"] if x["storage"]}
raw = open(sys.argv[2], "rb").read()
for enc, bom in (("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff"), ("utf-8-sig", b"\xef\xbb\xbf")):
    if raw.startswith(bom):
        text = raw.decode(enc); break
else:
    text = raw.decode()
plan = json.loads(text)
types = collections.Counter()
for rc in plan.get("resource_changes") or []:
    if rc.get("mode") == "managed" and rc["address"] not in known:
        types[rc["type"]] += 1
print("    not storage:", ", ".join(f"{t}×{n}" if n > 1 else t for t, n in sorted(types.items())))
EOF
    fi
done
echo "accepted $acc, refused $ref; storage recognised $total_s, placed $total_p, unknown $total_u"
