#!/usr/bin/env python3
"""Write a synthetic checklist: N task items in sections of 100, a fifth of them nested,
some with inline code, thresholds and fenced command blocks, like real checklists."""
import sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
wordings = [
    "All tests passing (`pytest -q`)",
    "API response times < 200ms (p95)",
    "README.md updated",
    "TLS certificates valid and not expiring within 30 days",
    "Team training completed",
    "Rate limiting enabled",
    "`.env.example` updated",
    "GitHub Actions workflow configured",
    "Backups tested every 6 hours",
    "No secrets in code",
]
out = ["# Synthetic production checklist", ""]
for i in range(n):
    if i % 100 == 0:
        out += ["", f"## Section {i // 100}", ""]
    indent = "  " if i % 5 == 4 else ""
    out.append(f"{indent}- [ ] {wordings[i % len(wordings)]} #{i}")
    if i % 50 == 0:
        out += [f"{indent}  ```bash", f"{indent}  ./scripts/check-{i}.sh", f"{indent}  # Expected: {i}+ tests passing", f"{indent}  ```"]
sys.stdout.write("\n".join(out) + "\n")
