#!/usr/bin/env bash
# Benchmark `residency scan-site` on a generated site served on loopback:
# N pages (default 200) of ~30 KB, each with a realistic head (GA4 + GTM,
# Yandex Metrica, fonts, a chat widget, pixels) and links to 6 other pages.
# Prints wall time, pages/second, CPU and peak RSS for --parallel 1, 4, 8.
# Third-party hosts are not resolved (--no-resolve): DNS is benchmarked by
# bench.sh; this measures fetching and reading pages.
#
# Usage: benches/site.sh [N]
# Needs: python3, GNU time (/usr/bin/time; installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time >/dev/null; }
cargo build --release --quiet
bin=target/release/residency
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

python3 - "$n" "$work/www" <<'PY'
import os, random, sys
n, root = int(sys.argv[1]), sys.argv[2]
os.makedirs(root, exist_ok=True)
random.seed(7)
head = """<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>Страница {i}</title>
<script async src="https://www.googletagmanager.com/gtag/js?id=G-BENCH1"></script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){{dataLayer.push(arguments);}}gtag('js',new Date());gtag('config','G-BENCH1');</script>
<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>
<link href="https://fonts.googleapis.com/css2?family=Roboto&display=swap" rel="stylesheet">
<script>(function(m,e,t,r,i,k,a){{m[i]=m[i]||function(){{(m[i].a=m[i].a||[]).push(arguments)}};k=e.createElement(t),a=e.getElementsByTagName(t)[0],k.async=1,k.src=r,a.parentNode.insertBefore(k,a)}})(window,document,"script","https://mc.yandex.ru/metrika/tag.js","ym");ym(96000001,"init",{{webvisor:true}});</script>
<noscript><div><img src="https://mc.yandex.ru/watch/96000001" alt=""></div></noscript>
<script src="//code.jivo.ru/widget/AbCd{i}" async></script>
<script>!function(f,b,e,v,n,t,s){{n=f.fbq=function(){{}};t=b.createElement(e);t.src=v}}(window,document,'script','https://connect.facebook.net/en_US/fbevents.js');fbq('init','100{i}');</script>
</head><body>
"""
for i in range(n):
    links = " ".join(f'<a href="/p{random.randrange(n)}.html">Раздел {j}</a>' for j in range(6))
    body = "".join(f"<p>Абзац {k} страницы {i}: описание услуг, тарифов и интеграций.</p>\n" for k in range(300))
    extra = f'<form action="https://api.webforms{i % 7}.example/f" method="post"><input name=phone></form>'
    html = head.format(i=i) + f"<nav>{links}</nav>\n{body}{extra}</body></html>\n"
    with open(os.path.join(root, "index.html" if i == 0 else f"p{i}.html"), "w") as f:
        f.write(html)
    if i == 0:
        with open(os.path.join(root, "p0.html"), "w") as f:
            f.write(html)
PY
# Every page must be reachable: the index links all of them too.
python3 - "$n" "$work/www/index.html" <<'PY'
import sys
n, p = int(sys.argv[1]), sys.argv[2]
s = open(p).read().replace("<nav>", "<nav>" + "".join(f'<a href="/p{i}.html">{i}</a>' for i in range(1, n)), 1)
open(p, "w").write(s)
PY
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# http.server's default listen backlog (5) drops connections under --parallel 8
# (1 s SYN retransmits): a threading server with a real backlog.
python3 - "$port" "$work/www" >/dev/null 2>&1 <<'PY' &
import functools, sys
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
class Server(ThreadingHTTPServer):
    request_queue_size = 256
    daemon_threads = True
handler = functools.partial(SimpleHTTPRequestHandler, directory=sys.argv[2])
Server(("127.0.0.1", int(sys.argv[1])), handler).serve_forever()
PY
pid=$!
for _ in $(seq 50); do python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break; sleep 0.1; done

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(uname -sr)"
echo "site: $n pages, $(du -sk "$work/www" | cut -f1) KiB, python3 ThreadingHTTPServer on 127.0.0.1"
printf "%9s %7s %9s %8s %8s %10s %8s\n" parallel pages wall_s pages/s cpu_s peak_MiB third
for par in 1 4 8; do
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" \
        $bin scan-site "http://127.0.0.1:$port/" --max-pages "$n" --parallel "$par" --no-resolve --format json \
        > "$work/out.json"
    read -r wall user sys rss < "$work/time"
    pages=$(python3 -c "import json; print(json.load(open('$work/out.json'))['site']['pages_read'])")
    third=$(python3 -c "import json; print(len(json.load(open('$work/out.json'))['site']['third_parties']))")
    python3 - "$par" "$pages" "$wall" "$user" "$sys" "$rss" "$third" <<'PY'
import sys
par, pages, wall, user, sys_, rss, third = sys.argv[1:]
print(f"{par:>9} {pages:>7} {float(wall):>9.2f} {int(pages)/max(float(wall),0.001):>8.0f} {float(user)+float(sys_):>8.2f} {int(rss)/1024:>10.1f} {third:>8}")
PY
done
