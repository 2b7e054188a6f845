#!/usr/bin/python3
"""check_ops.py MIGRATION.c EXPECTED_OPS - no false positives, nothing missed.

Compares the operations in the upgrade() of an autogen migration file with
the ones the benchmark generator expects ("op table" lines, gen_schema.py):
as multisets, so that a table changed twice, an extra operation on a table
that did change, or one on a table nobody touched all count. Prints
"OPS PER_KIND FALSE_POSITIVES MISSING" (PER_KIND: kind=count,...) and exits 1
when the two differ, listing the differences on stderr.
"""
import collections
import re
import sys

CALL = re.compile(r'^    ag_([a-z_]+)\(op, "([^"]*)"')


def written(path):
    ops, up = [], False
    for line in open(path):
        if line.startswith("void upgrade("):
            up = True
        elif line.startswith("void downgrade("):
            up = False
        elif up:
            m = CALL.match(line)
            if m:
                ops.append((m.group(1), m.group(2)))
    return collections.Counter(ops)


def main():
    got = written(sys.argv[1])
    want = collections.Counter(tuple(l.split()) for l in open(sys.argv[2]) if l.strip())
    extra, missing = got - want, want - got
    kinds = collections.Counter()
    for (kind, _), n in got.items():
        kinds[kind] += n
    per_kind = ",".join("%s=%d" % kv for kv in sorted(kinds.items()))
    print(sum(got.values()), per_kind, sum(extra.values()), sum(missing.values()))
    for (kind, table), n in sorted(extra.items()):
        print("  false positive: %s %s (x%d)" % (kind, table, n), file=sys.stderr)
    for (kind, table), n in sorted(missing.items()):
        print("  missing: %s %s (x%d)" % (kind, table, n), file=sys.stderr)
    sys.exit(1 if extra or missing else 0)


if __name__ == "__main__":
    main()
