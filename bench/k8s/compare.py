"""Compare gonogo's k8s findings with Checkov's on overlapping rules, per (file, kind, name)."""
import json, re, sys, collections
gon = json.load(open(sys.argv[1]))
ck = json.load(open(sys.argv[2]))
if isinstance(ck, list):
    ck = next(x for x in ck if x.get("check_type") == "kubernetes")
COVERED = gon.get("covered_dirs", [])
RULES = {  # gonogo check (+ detail filter) -> checkov ids
    "limits.cpu": ("k8s.resources", "limits.cpu", ["CKV_K8S_11"]),
    "limits.memory": ("k8s.resources", "limits.memory", ["CKV_K8S_13"]),
    "requests.cpu": ("k8s.resources", "requests.cpu", ["CKV_K8S_10"]),
    "requests.memory": ("k8s.resources", "requests.memory", ["CKV_K8S_12"]),
    "liveness": ("k8s.probes", "livenessProbe", ["CKV_K8S_8"]),
    "readiness": ("k8s.probes", "readinessProbe", ["CKV_K8S_9"]),
    "image-tag": ("k8s.image-pinned", "", ["CKV_K8S_14"]),
    "no-priv-esc": ("k8s.security-context", "allowPrivilegeEscalation", ["CKV_K8S_20"]),
    "read-only-fs": ("k8s.security-context", "readOnlyRootFilesystem", ["CKV_K8S_22"]),
    "non-root": ("k8s.security-context", "runAsNonRoot", ["CKV_K8S_23"]),
}
obj_re = re.compile(r"\b(Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|ReplicationController|Job|CronJob)/([^\s:,;]+)")
def gon_set(check, needle):
    out = set()
    for item in gon["items"]:
        for c in item["checks"]:
            if c["check"] != check: continue
            for e in c["evidence"]:
                if needle and needle not in e["detail"]: continue
                m = obj_re.search(e["detail"])
                if m and e.get("file"):
                    out.add((e["file"], m.group(1), m.group(2)))
    return out
def ck_sets(ids):
    fail, ok = set(), set()
    for key, bucket in (("failed_checks", fail), ("passed_checks", ok)):
        for r in ck["results"].get(key, []):
            if r["check_id"] not in ids: continue
            parts = r["resource"].split(".")
            kind, name = parts[0], parts[-1] if len(parts) > 2 else parts[-1]
            kind_ns_name = r["resource"]
            # Checkov: Kind.namespace.name (name may contain dots: take everything after ns)
            if len(parts) >= 3: name = ".".join(parts[2:])
            fp = r["file_path"].lstrip("/")
            fp = fp[len("k8s-corpus/"):] if fp.startswith("k8s-corpus/") else fp
            if COVERED and not any(fp.startswith(d + "/") for d in COVERED): continue
            bucket.add((fp, kind, name))
    return fail, ok
report = []
for label, (check, needle, ids) in RULES.items():
    g = gon_set(check, needle)
    cf, cp = ck_sets(ids)
    # compare only objects both tools looked at
    seen_ck = cf | cp
    both = g & cf
    only_g = g - cf
    only_c = {x for x in cf if x not in g}
    report.append((label, ",".join(ids), len(g), len(cf), len(both), len(only_g), len(only_c), sorted(only_g)[:5], sorted(only_c)[:5]))
import os
unparsed = set()
for item in gon["items"]:
    for c in item["checks"]:
        for e in c["evidence"]:
            if e["detail"].startswith("not parsed") and e.get("file"): unparsed.add(e["file"])
patch_files = set()
import yaml as pyyaml
root = "/work/bench/k8s-corpus"
for dp, dn, fn in os.walk(root):
    for f in fn:
        if f in ("kustomization.yaml", "kustomization.yml"):
            try: k = pyyaml.safe_load(open(os.path.join(dp, f)))
            except Exception: continue
            if not isinstance(k, dict): continue
            for field in ("patchesStrategicMerge", "patches", "patchesJson6902"):
                for p in k.get(field) or []:
                    rel = p if isinstance(p, str) else (p.get("path") if isinstance(p, dict) else None)
                    if rel and "\n" not in rel:
                        patch_files.add(os.path.normpath(os.path.relpath(os.path.join(dp, rel), root)))
def reason(x):
    f = x[0]
    if f.endswith(".json"): return "JSON manifest (gonogo reads YAML only)"
    if f in patch_files: return "kustomize patch (partial object; gonogo passes over)"
    if f in unparsed: return "file gonogo could not parse"
    return "other"
cats = collections.Counter()
others = collections.Counter()
for label, (check, needle, ids) in RULES.items():
    g = gon_set(check, needle); cf, cp = ck_sets(ids)
    for x in cf - g:
        r = reason(x); cats[(label, r)] += 1
        if r == "other": others[x] += 1
print("only-Checkov reasons:")
for (l, r), n in sorted(cats.items()): print(f"  {l}: {r}: {n}")
for label, (check, needle, ids) in RULES.items():
    g = gon_set(check, needle); cf, cp = ck_sets(ids)
    unseen = g - cf - cp
    if unseen: print(f"  {label}: gonogo findings on objects Checkov did not fail for {ids}: {len(unseen)} e.g. {sorted(unseen)[:3]}")
print("other examples:", list(others)[:12])
print("| rule | Checkov id | gonogo fails | Checkov fails | both | only gonogo | only Checkov |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for r in report:
    print(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} | {r[5]} | {r[6]} |")
for r in report:
    if r[7] or r[8]:
        print(f"\n{r[0]}: only gonogo e.g. {r[7]}\n   only checkov e.g. {r[8]}")
