#!/usr/bin/env python3
"""Regenerate data/countries.tsv from PyPI pycountry (pip install pycountry).

Run from the repository root. A few names were shortened by hand afterwards
(Russia/Россия, United States/США, United Kingdom/Великобритания, ...):
review the diff before committing a regenerated file.
"""
import gettext, pycountry, importlib.metadata as md
ru = gettext.translation('iso3166-1', pycountry.LOCALES_DIR, languages=['ru'])
ver = md.version('pycountry')
rows = []
for c in pycountry.countries:
    en = getattr(c, 'common_name', None) or c.name
    r = ru.gettext(en)
    assert '\t' not in en and '\t' not in r and '\n' not in en + r
    rows.append((c.alpha_2, en, r))
rows.sort()
assert len(rows) == 249 and len({r[0] for r in rows}) == 249
lines = [
 "# ISO 3166-1 alpha-2 country codes with English and Russian short names.",
 "# Generated 2026-11-25 from the PyPI package pycountry %s (licence LGPL-2.1-only)," % ver,
 "# which bundles the iso_3166-1 data and gettext translations of Debian's iso-codes",
 "# project (licence LGPL-2.1-or-later). English name: pycountry common_name if present,",
 "# else name; Russian name: the iso-codes 'ru' translation of that English name.",
 "# Format: UTF-8, tab-separated, '#' lines are comments, first non-comment line is the header.",
 "# 249 officially assigned codes sorted by code, then one extra row appended at the end:",
 "# XK (Kosovo) is NOT assigned by ISO 3166-1; it is a user-assigned code, included",
 "# because it is widely used by GeoIP databases (MaxMind GeoIP2/GeoLite2, ip-location-db).",
 "code\tname_en\tname_ru",
]
lines += ["\t".join(r) for r in rows]
lines += ["XK\tKosovo\tКосово"]
open('data/countries.tsv', 'w', encoding='utf-8', newline='\n').write("\n".join(lines) + "\n")
