#!/usr/bin/env bash
# Live-check benchmark on loopback: nginx (HTTP and HTTPS, certificates made here with
# openssl) on 127.0.0.1; then, RUNS times and interleaved, wrk, oha and gonogo's load check on
# the same endpoint at the same concurrency and duration, with the median of each figure and
# gonogo's ratios to wrk and oha; then gonogo's TLS checks beside testssl.sh (if installed).
# Usage: bench/live.sh path/to/release/gonogo [concurrency] [duration-seconds] [runs]
# Peers: wrk (Debian package) and oha (`cargo install oha --root /work/tools`; $OHA or PATH).
set -euo pipefail
GONOGO=$(realpath "${1:?path to a release gonogo}")
C=${2:-50}
D=${3:-5}
RUNS=${4:-3}
OHA=${OHA:-$(command -v oha || echo /work/tools/bin/oha)}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
W=$(mktemp -d)
trap 'kill "$(cat "$W/nginx.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$W"' EXIT
cd "$W"
openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=bench CA" \
  -keyout ca.key -out ca.pem -addext basicConstraints=critical,CA:TRUE 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" -keyout srv.key -out srv.csr 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1\n' > ext.cnf
openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 90 \
  -extfile ext.cnf -out srv.pem 2>/dev/null
mkdir -p logs
cat > nginx.conf <<CONF
worker_processes 1;
pid $W/nginx.pid;
error_log $W/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  server_tokens off;
  client_body_temp_path $W/tmp;
  server {
    listen 127.0.0.1:18080;
    location /health { default_type application/json; return 200 '{"status":"ok"}'; }
  }
  server {
    listen 127.0.0.1:18443 ssl;
    ssl_certificate $W/srv.pem;
    ssl_certificate_key $W/srv.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    location /health { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
CONF
"$NGINX" -p "$W" -c "$W/nginx.conf" -e "$W/logs/error.log"
sleep 0.5
URL=http://127.0.0.1:18080/health

# One line per run: tool run req/s p50 p90 p95 p99 max (milliseconds).
cat > wrk.lua <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT wrk %.0f %.3f %.3f %.3f %.3f %.3f\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA
printf -- '- [ ] API latency <!-- gonogo: load.latency-under-load path=/health duration=%ss requests=200000 concurrency=%s max_ms=200 -->\n' "$D" "$C" > load.md
: > results
for run in $(seq "$RUNS"); do
  echo "== run $run: $(cut -d' ' -f1-3 /proc/loadavg) (load average before)"
  before=$(wc -l < results)
  wrk -t"$(( C < 2 ? C : 2 ))" -c"$C" -d"${D}s" --latency -s wrk.lua "$URL" | grep RESULT >> results
  if [ -x "$OHA" ]; then
    "$OHA" -z "${D}s" -c "$C" --no-tui --output-format json "$URL" | python3 -c '
import json, sys
r = json.load(sys.stdin); p = r["latencyPercentiles"]
ms = lambda s: s * 1000
print("RESULT oha %.0f %.3f %.3f %.3f %.3f %.3f" % (r["summary"]["requestsPerSec"],
      ms(p["p50"]), ms(p["p90"]), ms(p["p95"]), ms(p["p99"]), ms(r["summary"]["slowest"])))' >> results
  fi
  "$GONOGO" check load.md --target http://127.0.0.1:18080/ --format json | python3 -c '
import json, re, sys
r = json.load(sys.stdin)
d = [e["detail"] for i in r["items"] for c in i["checks"] for e in c["evidence"]][0]
print(d, file=sys.stderr)
n = lambda k: re.search(k + r" ([\d.]+)ms", d).group(1)
rps = re.search(r"\((\d+) req/s\)", d).group(1)
print("RESULT gonogo", rps, n("p50"), n("p90"), n("p95"), n("p99"), n("max"))' >> results || true
  tail -n +$((before + 1)) results | sed 's/^RESULT /   /'
done
echo "== after: $(cut -d' ' -f1-3 /proc/loadavg) (load average)"
python3 - "$RUNS" <<'PY'
import statistics, sys
rows = [l.split()[1:] for l in open("results") if l.startswith("RESULT")]
cols = ["req/s", "p50", "p90", "p95", "p99", "max"]
med = {}
for tool in ["wrk", "oha", "gonogo"]:
    runs = [[float(x) for x in r[1:]] for r in rows if r[0] == tool]
    if runs:
        med[tool] = [statistics.median(c) for c in zip(*runs)]
print("median of %s runs: tool %s" % (sys.argv[1], " ".join(cols)))
for tool, m in med.items():
    print("  %-6s %.0f %s" % (tool, m[0], " ".join("%.2fms" % v for v in m[1:])))
for peer in ["wrk", "oha"]:
    if peer in med and "gonogo" in med:
        print("  gonogo/%s %s" % (peer, " ".join("%.2fx" % (g / p) if p else "-"
                                               for g, p in zip(med["gonogo"], med[peer]))))
PY

printf -- '- [ ] TLS certificates valid and not expiring within 30 days\n- [ ] TLS 1.3 enabled\n' > tls.md
echo "== gonogo TLS checks"
/usr/bin/time -f "gonogo wall %e s" "$GONOGO" check tls.md --target https://127.0.0.1:18443/ --ca-file ca.pem || true
if command -v testssl >/dev/null; then
  echo "== testssl.sh --protocols --server-defaults"
  /usr/bin/time -f "testssl wall %e s" testssl --quiet --color 0 --protocols --server-defaults 127.0.0.1:18443 > testssl.out 2>&1 || true
  tail -1 testssl.out
  grep -E "TLS 1(\.[0-3])? |SSLv" testssl.out | head -6 || true
fi
