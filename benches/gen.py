#!/usr/bin/env python3
"""Generate a benchmark inventory of N host names and the zone that serves them.

Usage: gen.py N OUTDIR
Writes OUTDIR/bench.test.zone (RFC 1035, for nsd), OUTDIR/inventory/hosts.yaml
and OUTDIR/truth.tsv (host -> expected countries, the ground truth).

The zone has A, AAAA and CNAME chains of 1-3 hops to shared targets and
about 5 % NXDOMAIN names; addresses are spread over countries of the
bundled GeoIP database.
"""
import os
import random
import sys

# Addresses the bundled GeoIP database places (checked with mmdblookup).
V4 = [("77.88.8.8", "RU"), ("5.255.255.242", "RU"), ("51.250.1.1", "RU"), ("31.184.192.1", "RU"),
      ("52.57.0.1", "DE"), ("46.4.1.1", "DE"), ("65.21.1.1", "FI"), ("8.8.8.8", "US"),
      ("52.34.10.10", "US"), ("1.1.1.1", "AU"), ("185.15.59.224", "NL")]
V6 = [("2a02:6b8::feed:ff", "RU"), ("2001:4860:4860::8888", "US")]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    rnd = random.Random(42)
    os.makedirs(os.path.join(out, "inventory"), exist_ok=True)
    zone = ["$ORIGIN bench.test.", "$TTL 300",
            "@ IN SOA ns.bench.test. admin.bench.test. 1 3600 600 86400 60",
            "@ IN NS ns.bench.test.", "ns IN A 127.0.0.1"]
    # Shared CNAME targets: t<k>, each with its own addresses.
    targets = {}
    for k in range(max(10, n // 50)):
        a = rnd.choice(V4)
        recs = [("A", a)]
        if rnd.random() < 0.3:
            recs.append(("AAAA", rnd.choice(V6)))
        targets[f"t{k}"] = recs
        for typ, (ip, _) in recs:
            zone.append(f"t{k} IN {typ} {ip}")
    truth = []
    hosts = []
    for i in range(n):
        name = f"h{i}"
        r = rnd.random()
        if r < 0.05:
            truth.append((f"{name}.bench.test", "NXDOMAIN"))
        elif r < 0.45:
            hops = rnd.randint(1, 3)
            target = rnd.choice(list(targets))
            prev = name
            for h in range(hops - 1):
                mid = f"{name}-c{h}"
                zone.append(f"{prev} IN CNAME {mid}")
                prev = mid
            zone.append(f"{prev} IN CNAME {target}")
            truth.append((f"{name}.bench.test", ",".join(sorted({c for _, (_, c) in targets[target]}))))
        else:
            recs = [rnd.choice(V4)] if rnd.random() < 0.9 else []
            recs6 = [rnd.choice(V6)] if (not recs or rnd.random() < 0.3) else []
            for ip, _ in recs:
                zone.append(f"{name} IN A {ip}")
            for ip, _ in recs6:
                zone.append(f"{name} IN AAAA {ip}")
            truth.append((f"{name}.bench.test", ",".join(sorted({c for _, c in recs + recs6}))))
        hosts.append(f"{name}.bench.test")
    with open(os.path.join(out, "bench.test.zone"), "w") as f:
        f.write("\n".join(zone) + "\n")
    with open(os.path.join(out, "truth.tsv"), "w") as f:
        f.writelines(f"{h}\t{c}\n" for h, c in truth)
    # One database per 10 hosts, so entities look like a real estate.
    with open(os.path.join(out, "inventory", "hosts.yaml"), "w") as f:
        f.write("version: 1\ndatabases:\n")
        for j in range(0, n, 10):
            f.write(f"  - id: db{j}\n    role: replica\n    hosts: [{', '.join(hosts[j:j + 10])}]\n")


main()
