"""Compare gonogo's docker.* findings with Checkov and hadolint, per file, on overlapping rules.

usage: compare_containers.py GONOGO.json CHECKOV.json HADOLINT.json
"""
import json, sys, collections

g = json.load(open(sys.argv[1]))
c = json.load(open(sys.argv[2]))
h = json.load(open(sys.argv[3]))
if isinstance(c, list):
    c = c[0]

ours = collections.defaultdict(set)
for item in g["items"]:
    for chk in item["checks"]:
        if chk["status"] != "fail":
            continue
        for e in chk["evidence"]:
            if e.get("file"):
                ours[chk["check"]].add(e["file"])

ck = collections.defaultdict(set)
for r in c["results"]["failed_checks"]:
    ck[r["check_id"]].add(r["file_path"].lstrip("/"))
hd = collections.defaultdict(set)
for r in h:
    hd[r["code"]].add(r["file"])

rows = [
    ("docker.healthcheck", ck["CKV_DOCKER_2"], "CKV_DOCKER_2", hd["DL3057"], "DL3057 (opt-in)"),
    ("docker.non-root-user", ck["CKV_DOCKER_3"] | ck["CKV_DOCKER_8"], "CKV_DOCKER_3+8",
     hd["DL3002"], "DL3002"),
    ("docker.base-image-pinned", ck["CKV_DOCKER_7"], "CKV_DOCKER_7", hd["DL3006"] | hd["DL3007"],
     "DL3006+DL3007"),
    ("docker.no-remote-add", ck["CKV_DOCKER_4"], "CKV_DOCKER_4", set(), "(none)"),
]
for ours_id, cset, cname, hset, hname in rows:
    o = ours[ours_id]
    print(f"## {ours_id}: gonogo {len(o)} files | {cname} {len(cset)} | {hname} {len(hset)}")
    print(f"   agree with Checkov: {len(o & cset)}; only gonogo: {sorted(o - cset)[:8]} ({len(o - cset)}); only Checkov: {sorted(cset - o)[:8]} ({len(cset - o)})")
    print(f"   agree with hadolint: {len(o & hset)}; only gonogo: {len(o - hset)}; only hadolint: {sorted(hset - o)[:8]} ({len(hset - o)})")
