#!/bin/sh
# A benchmark script: the peer tool's path is the benchmark's business, not the program's.
"${OHA:-oha}" -z 10s http://127.0.0.1:8080/
