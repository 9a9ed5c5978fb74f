#!/usr/bin/env python3
"""Generate a large offline inventory: N databases holding Russian citizens'
personal data, each with one or two IP-literal hosts, in a realistic mix of
countries (most in Russia, the rest in DE, NL, FI, US, AU, …), roles and
engines, plus a few processors, transfers and declarations.

Usage: scale-gen.py N OUTDIR [FILES]
Writes OUTDIR/operator.yaml and the databases in FILES files (default 1:
one file of N databases). Deterministic (seeded).
"""
import os
import random
import sys

# Addresses the bundled GeoIP database places (as in gen.py).
V4 = {
    "RU": ["77.88.8.8", "5.255.255.242", "51.250.1.1", "31.184.192.1"],
    "DE": ["52.57.0.1", "46.4.1.1"],
    "FI": ["65.21.1.1"],
    "US": ["8.8.8.8", "52.34.10.10"],
    "AU": ["1.1.1.1"],
    "NL": ["185.15.59.224"],
}
# Share of databases per country: most personal data stays in Russia.
MIX = [("RU", 0.25), ("DE", 0.20), ("NL", 0.13), ("FI", 0.07), ("US", 0.24), ("AU", 0.11)]
ROLES = [("primary", 0.35), ("replica", 0.25), ("backup", 0.15), ("cache", 0.1),
         ("analytics", 0.07), ("log", 0.05), ("archive", 0.03)]
ENGINES = ["postgresql", "mysql", "clickhouse", "redis", "mongodb", "s3"]


def pick(rnd, table):
    x = rnd.random()
    for v, p in table:
        x -= p
        if x < 0:
            return v
    return table[-1][0]


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    files = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rnd = random.Random(11)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "operator.yaml"), "w") as f:
        f.write("version: 1\norganization:\n  name: Scale Test LLC\n  country: RU\n")
        f.write("declarations:\n  cross_border_countries: [FI]\n")
        f.write("  third_parties: [cloud-ops]\n")
        f.write("processors:\n  - id: cloud-ops\n    country: RU\n")
        f.write("    instruction: contract 1\n    hosts: [77.88.8.8]\n")
    per = (n + files - 1) // files
    for k in range(files):
        lo, hi = k * per, min(n, (k + 1) * per)
        name = "databases.yaml" if files == 1 else f"databases-{k:03}.yaml"
        with open(os.path.join(out, name), "w") as f:
            f.write("version: 1\ndatabases:\n")
            for i in range(lo, hi):
                c = pick(rnd, MIX)
                hosts = [rnd.choice(V4[c])]
                if rnd.random() < 0.4:
                    hosts.append(rnd.choice(V4[pick(rnd, MIX)]))
                f.write(f"  - id: db-{i:06}\n")
                f.write(f"    role: {pick(rnd, ROLES)}\n")
                f.write(f"    engine: {rnd.choice(ENGINES)}\n")
                f.write(f"    hosts: [{', '.join(hosts)}]\n")
                if rnd.random() < 0.1:
                    f.write("    operated_by: cloud-ops\n")
                f.write("    personal_data:\n      categories: [email, phone]\n")


if __name__ == "__main__":
    main()
