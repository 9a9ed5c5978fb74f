#!/usr/bin/env python3
"""THE COMPARISON PEER, not part of the product.

A straightforward Python implementation of the same job as
`residency check --dns`: resolve A and AAAA of every host name with
asyncio + dnspython (bounded concurrency), follow CNAMEs, geolocate every
address with the maxminddb C extension, and count mismatches against the
generator's ground truth. It builds no inventory, evidence or report.

Usage: peer.py TRUTH.tsv MMDB NAMESERVER PORT [CONCURRENCY]
"""
import asyncio
import sys

import dns.asyncresolver
import dns.exception
import dns.resolver
import maxminddb


async def main():
    truth_path, mmdb, ns, port = sys.argv[1:5]
    concurrency = int(sys.argv[5]) if len(sys.argv) > 5 else 64
    truth = dict(line.rstrip("\n").split("\t") for line in open(truth_path))
    reader = maxminddb.open_database(mmdb, maxminddb.MODE_MMAP_EXT)
    res = dns.asyncresolver.Resolver(configure=False)
    res.nameservers = [ns]
    res.port = int(port)
    res.timeout = 2.0
    res.lifetime = 4.0
    res.cache = None
    sem = asyncio.Semaphore(concurrency)
    queries = 0

    async def one(name):
        nonlocal queries
        countries, nx = set(), False
        async with sem:
            for rtype in ("A", "AAAA"):
                queries += 1
                try:
                    ans = await res.resolve(name, rtype)
                    for rr in ans:
                        rec = reader.get(rr.address) or {}
                        cc = rec.get("country_code") or (rec.get("country") or {}).get("iso_code")
                        if cc:
                            countries.add(cc)
                except dns.resolver.NXDOMAIN:
                    nx = True
                except (dns.resolver.NoAnswer, dns.exception.Timeout, dns.resolver.NoNameservers):
                    pass
        got = "NXDOMAIN" if nx and not countries else ",".join(sorted(countries))
        return got == truth[name]

    results = await asyncio.gather(*(one(n) for n in truth))
    print(f"names={len(truth)} queries={queries} mismatches={results.count(False)}")


asyncio.run(main())
