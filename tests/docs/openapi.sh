#!/usr/bin/env bash
# openapi.sh — docs/openapi.yaml is well-formed: it parses as YAML, every $ref resolves, every
# operation says who may call it; and, where openapi-spec-validator is installed, it is valid
# OpenAPI 3.0. Skipped (exit 77) when python3 has no YAML parser.
#
# Usage: tests/docs/openapi.sh [path/to/openapi.yaml]
set -euo pipefail
spec=${1:-$(dirname "$0")/../../docs/openapi.yaml}
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
python3 -c 'import yaml' 2>/dev/null || { echo "skip: python3 has no yaml module (apt-get install python3-yaml)"; exit 77; }
python3 - "$spec" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1], encoding="utf-8"))
assert d["openapi"].startswith("3.0"), "not OpenAPI 3.0"
refs = []
def walk(x):
    if isinstance(x, dict):
        for k, v in x.items():
            if k == "$ref":
                refs.append(v)
            walk(v)
    elif isinstance(x, list):
        for v in x:
            walk(v)
walk(d)
for r in refs:
    node = d
    for part in r[2:].split("/"):
        node = node.get(part) if isinstance(node, dict) else None
    assert node is not None, "unresolved $ref " + r
ops = 0
for path, item in d["paths"].items():
    for method, op in item.items():
        if method in ("get", "post", "put", "patch", "delete"):
            ops += 1
            assert op.get("description"), f"{method.upper()} {path} has no description (who may call it)"
            assert op.get("responses"), f"{method.upper()} {path} has no responses"
print(f"ok: {len(d['paths'])} paths, {ops} operations, {len(refs)} references resolved")
try:
    from openapi_spec_validator import validate
except ImportError:
    print("(openapi-spec-validator not installed: structure only)")
else:
    validate(d)
    print("ok: valid OpenAPI 3.0 (openapi-spec-validator)")
PY
