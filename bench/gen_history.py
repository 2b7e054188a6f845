#!/usr/bin/env python3
"""gen_history.py DIR N SHAPE - the same history of N revisions twice: as autogen
migrations in DIR/ag/alembic_like/versions (DIR/ag must be an `autogen init`
project) and as an Alembic project in DIR/al. SHAPE is `linear`, or `branched`:
a main line with 50 side branches, each merged back."""
import os, sys
d, n, shape = sys.argv[1], int(sys.argv[2]), sys.argv[3]
# Linear, or a main line with 50 side branches of a few revisions, each merged back.
revs = []  # (id, [parents], message)
def rid(i): return "%012x" % (0xc0000000000 + i)
branches = 50 if shape == "branched" else 0
every = max(n // (branches + 1), 4) if branches else n + 1
i, head = 0, None
while i < n:
    if branches and i and i % every == 0 and i + 3 <= n and len([r for r in revs if len(r[1]) > 1]) < branches:
        fork = head
        a = rid(i); revs.append((a, [fork], "main %d" % i)); i += 1
        b = rid(i); revs.append((b, [fork], "side %d" % i)); i += 1
        m = rid(i); revs.append((m, [a, b], "merge %d" % i)); i += 1
        head = m
        continue
    r = rid(i); revs.append((r, [head] if head else [], "step %d" % i)); head = r; i += 1
for r, parents, msg in revs:
    downs = "{ %s }" % ", ".join(['"%s"' % p for p in parents] + ["NULL"])
    with open(os.path.join(d, "ag", "alembic_like", "versions", r + ".c"), "w") as f:
        f.write('/* %s\n *\n * Revision ID: %s\n */\n#include <autogen/migration.h>\n\n'
                'const char *const revision = "%s";\nconst char *const down_revision[] = %s;\n'
                'const char *const branch_labels[] = { NULL };\nconst char *const depends_on[] = { NULL };\n\n'
                'void upgrade(ag_op *op)\n{\n    ag_execute(op, "UPDATE counter SET n = n + 1");\n}\n\n'
                'void downgrade(ag_op *op)\n{\n    ag_execute(op, "UPDATE counter SET n = n - 1");\n}\n'
                % (msg, r, r, downs))
    down = repr(tuple(parents)) if len(parents) > 1 else repr(parents[0] if parents else None)
    with open(os.path.join(d, "al", "versions", r + ".py"), "w") as f:
        f.write('"""%s"""\nfrom alembic import op\n\nrevision = %r\ndown_revision = %s\n'
                'branch_labels = None\ndepends_on = None\n\n\ndef upgrade():\n'
                '    op.execute("UPDATE counter SET n = n + 1")\n\n\ndef downgrade():\n'
                '    op.execute("UPDATE counter SET n = n - 1")\n' % (msg, r, down))
with open(os.path.join(d, "al", "alembic.ini"), "w") as f:
    f.write("[alembic]\nscript_location = .\nsqlalchemy.url = sqlite:///app.db\n")
with open(os.path.join(d, "al", "env.py"), "w") as f:
    f.write("""from alembic import context
from sqlalchemy import engine_from_config, pool
config = context.config
if context.is_offline_mode():
    context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = engine_from_config(config.get_section(config.config_ini_section),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection)
        with context.begin_transaction():
            context.run_migrations()
""")
with open(os.path.join(d, "al", "script.py.mako"), "w") as f:
    f.write("")
