#!/usr/bin/env bash
# Live-check benchmark on loopback: nginx (HTTP and HTTPS, certificates made here with
# openssl) on 127.0.0.1, then gonogo's load check beside wrk on the same endpoint and
# concurrency, and gonogo's TLS checks beside testssl.sh on the same endpoint.
# Usage: bench/live.sh path/to/release/gonogo [concurrency] [duration-seconds]
set -euo pipefail
GONOGO=${1:?path to a release gonogo}
C=${2:-50}
D=${3:-10}
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
nginx -p "$W" -c "$W/nginx.conf"
sleep 0.5
printf -- '- [ ] API latency <!-- gonogo: load.latency-under-load path=/health duration=%ss requests=200000 concurrency=%s max_ms=200 -->\n' "$D" "$C" > load.md
echo "== wrk -t2 -c$C -d${D}s --latency http://127.0.0.1:18080/health"
wrk -t2 -c"$C" -d"${D}s" --latency http://127.0.0.1:18080/health | sed -n '1,20p'
echo "== gonogo load.latency-under-load, $C concurrent, ${D}s"
"$GONOGO" check load.md --target http://127.0.0.1:18080/ --format json \
  | python3 -c 'import json,sys; r=json.load(sys.stdin); [print(e["detail"]) for i in r["items"] for c in i["checks"] for e in c["evidence"]]' || true
printf -- '- [ ] TLS certificates valid and not expiring within 30 days\n- [ ] TLS 1.3 enabled\n' > tls.md
echo "== gonogo TLS checks"
/usr/bin/time -f "gonogo wall %e s" "$GONOGO" check tls.md --target https://127.0.0.1:18443/ --ca-file ca.pem || true
echo "== testssl.sh --protocols --server-defaults"
/usr/bin/time -f "testssl wall %e s" testssl --quiet --color 0 --protocols --server-defaults 127.0.0.1:18443 > testssl.out 2>&1 || true
tail -1 testssl.out
grep -E "TLS 1(\.[0-3])? |SSLv" testssl.out | head -6 || true
