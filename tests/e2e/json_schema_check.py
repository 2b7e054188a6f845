#!/usr/bin/env python3
"""json_schema_check.py SCHEMA DOC: validate DOC against the subset of JSON Schema
that docs/*.schema.json use (type, const, enum, required, properties,
additionalProperties: false, items, pattern, minimum). Prints every violation;
exit 1 when there is one."""
import json, re, sys

TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}

def is_type(v, t):
    if t == "integer":
        return isinstance(v, int) and not isinstance(v, bool)
    if t == "number":
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    return isinstance(v, TYPES[t])

def check(s, v, at, errs):
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(is_type(v, t) for t in ts):
            errs.append("%s: %r is not %s" % (at, v, " or ".join(ts)))
            return
    if "const" in s and v != s["const"]:
        errs.append("%s: %r is not %r" % (at, v, s["const"]))
    if "enum" in s and v not in s["enum"]:
        errs.append("%s: %r is not one of %r" % (at, v, s["enum"]))
    if "pattern" in s and isinstance(v, str) and not re.search(s["pattern"], v):
        errs.append("%s: %r does not match %s" % (at, v, s["pattern"]))
    if "minimum" in s and isinstance(v, (int, float)) and v < s["minimum"]:
        errs.append("%s: %r < %r" % (at, v, s["minimum"]))
    if isinstance(v, dict):
        for k in s.get("required", []):
            if k not in v:
                errs.append("%s: missing %s" % (at, k))
        props = s.get("properties", {})
        for k, x in v.items():
            if k in props:
                check(props[k], x, "%s.%s" % (at, k), errs)
            elif s.get("additionalProperties") is False:
                errs.append("%s: unexpected %s" % (at, k))
    if isinstance(v, list) and "items" in s:
        for i, x in enumerate(v):
            check(s["items"], x, "%s[%d]" % (at, i), errs)

schema = json.load(open(sys.argv[1]))
doc = json.load(open(sys.argv[2]))
errs = []
check(schema, doc, "$", errs)
for e in errs:
    print(e)
sys.exit(1 if errs else 0)
