#!/usr/bin/env python3
"""gen_review.py DIR N TABLES ADDED - a git-ready project for bench/review.sh in DIR
(an `autogen init` project): TABLES-table models, a history of N revisions (the first
creates the tables, the others add and drop a column in turn, so the history ends
where the models are), and with `--branch` the branch's change: ADDED revisions, each
adding a column to one table, with the models to match."""
import os, sys
d, n, tables, added = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
branch = "--branch" in sys.argv
versions = os.path.join(d, "alembic_like", "versions")

def rid(i): return "%012x" % (0xb0000000000 + i)

def write(rev, parent, msg, up, down):
    downs = '{ "%s", NULL }' % parent if parent else "{ NULL }"
    with open(os.path.join(versions, rev + "_" + msg.replace(" ", "_") + ".c"), "w") as f:
        f.write('/* %s\n *\n * Revision ID: %s\n * Revises: %s\n */\n#include <autogen/migration.h>\n\n'
                'const char *const revision = "%s";\nconst char *const down_revision[] = %s;\n'
                'const char *const branch_labels[] = { NULL };\nconst char *const depends_on[] = { NULL };\n\n'
                'void upgrade(ag_op *op)\n{\n%s}\n\nvoid downgrade(ag_op *op)\n{\n%s}\n'
                % (msg, rev, parent or "", rev, downs, up, down))

def models(extra):
    for t in range(tables):
        name = "t%03d" % t
        with open(os.path.join(d, "models", name + ".yaml"), "w") as f:
            f.write("tables:\n  %s:\n    columns:\n" % name)
            f.write("      id: { type: bigint, primary_key: true }\n")
            f.write("      name: { type: string(100), nullable: false }\n")
            f.write("      note: { type: text }\n")
            for c in extra.get(name, []):
                f.write("      %s: { type: text }\n" % c)

if not branch:
    up = "".join('    ag_create_table(op, "t%03d", AG_COL("id", "bigint", .primary_key = 1),\n'
                 '                    AG_COL("name", "string(100)", .not_null = 1), AG_COL("note", "text"));\n'
                 % t for t in range(tables))
    down = "".join('    ag_drop_table(op, "t%03d");\n' % t for t in reversed(range(tables)))
    write(rid(0), None, "tables", up, down)
    for i in range(1, n):
        t = "t%03d" % (((i - 1) // 2) % tables)
        if i % 2 and i == n - 1:  # the last one, odd: nothing to undo after it
            write(rid(i), rid(i - 1), "step %d" % i, "    (void)op;\n", "    (void)op;\n")
        elif i % 2:
            write(rid(i), rid(i - 1), "add tmp %d" % i,
                  '    ag_add_column(op, "%s", AG_COLUMN("tmp", "text"));\n' % t,
                  '    ag_drop_column(op, "%s", "tmp");\n' % t)
        else:
            write(rid(i), rid(i - 1), "drop tmp %d" % i,
                  '    ag_drop_column(op, "%s", "tmp");\n' % t,
                  '    ag_add_column(op, "%s", AG_COLUMN("tmp", "text"));\n' % t)
    models({})
else:
    extra = {}
    for k in range(added):
        t = "t%03d" % (k * 7 % tables)
        extra.setdefault(t, []).append("feature%d" % k)
        write(rid(n + k), rid(n + k - 1), "feature %d" % k,
              '    ag_add_column(op, "%s", AG_COLUMN("feature%d", "text"));\n' % (t, k),
              '    ag_drop_column(op, "%s", "feature%d");\n' % (t, k))
    models(extra)
