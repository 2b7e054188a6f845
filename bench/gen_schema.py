#!/usr/bin/python3
"""Generate an N-table schema benchmark for autogen and Alembic.

Writes into OUT:
  before.sql          SQLite DDL of the "before" database (what the live db holds)
  autogen/            an autogen project whose models/ are the "after" state
  alembic/            an Alembic project whose models.py is the same "after" state
  changed.txt         the tables the generator changed (~10%), one per line
  expected_ops.txt    the operations autogen must write for them: "op table" lines

Every constraint and index is named as autogen's naming convention does, and
SQLAlchemy's MetaData gets the same naming_convention, so both tools see the
same names. The changes rotate through ten kinds: table added, table dropped,
column added, column dropped, string widened, nullability flipped, index added,
index dropped, foreign key added, default changed.
"""
import os
import sys

KINDS = ["add_table", "drop_table", "add_column", "drop_column", "widen", "nullable",
         "add_index", "drop_index", "add_fk", "default"]


def table(i, n):
    """The base definition of table i: a dict the three renderers share."""
    t = {
        "name": "t%04d" % i,
        "columns": [
            ["id", "integer", False, None],
            ["name", "string(100)", False, None],
            ["code", "string(20)", True, None],
            ["amount", "decimal(10,2)", True, "0"],
            ["created_at", "timestamp", True, None],
            ["note", "text", True, None],
        ],
        "index_code": True,
        "unique_name": i % 3 == 0,
        "parent": "t%04d" % (i - 1) if i > 0 and i % 4 != 0 else None,
    }
    if t["parent"]:
        t["columns"].append(["parent_id", "integer", True, None])
    return t


def change(t, kind, after):
    """Apply change `kind` to t for the "after" (True) or "before" (False) side."""
    if kind == "add_column" and after:
        t["columns"].append(["extra", "string(30)", True, None])
    elif kind == "drop_column" and not after:
        t["columns"].append(["legacy", "integer", True, None])
    elif kind == "widen":
        t["columns"][2][1] = "string(40)" if after else "string(20)"
    elif kind == "nullable" and after:
        t["columns"][5][2] = False
        t["columns"][5][3] = "'-'"
    elif kind == "add_index" and not after:
        t["index_code"] = False
    elif kind == "drop_index" and after:
        t["index_code"] = False
    elif kind == "add_fk":
        if after:
            t["columns"].append(["owner_id", "integer", True, None])
            t["owner_fk"] = True
        else:
            t["columns"].append(["owner_id", "integer", True, None])
    elif kind == "default" and after:
        t["columns"][3][3] = "1"
    return t


# The operations autogen's migration file must hold for each kind of change:
# what the benchmarks compare the written file with (bench/check_ops.py).
EXPECTED_OPS = {
    "add_table": ["create_table", "create_index"],
    "drop_table": ["drop_table"],
    "add_column": ["add_column"],
    "drop_column": ["drop_column"],
    "widen": ["alter_column"],
    "nullable": ["alter_column"],
    "add_index": ["create_index"],
    "drop_index": ["drop_index"],
    "add_fk": ["create_foreign_key"],
    "default": ["alter_column"],
}


def plan(n):
    """before and after lists of tables, and the changes as (table, kind)."""
    before, after, changed = [], [], []
    for i in range(n):
        kind = KINDS[(i // 10) % len(KINDS)] if i % 10 == 7 else None
        name = "t%04d" % i
        if kind == "add_table":
            after.append(table(i, n))
            changed.append((name, kind))
            continue
        if kind == "drop_table":
            b = table(i, n)
            b["parent"] = None
            b["columns"] = [c for c in b["columns"] if c[0] != "parent_id"]
            before.append(b)
            changed.append((name, kind))
            continue
        b, a = table(i, n), table(i, n)
        # Nothing may reference a table that is added or dropped.
        for t in (a, b):
            if t["parent"] and (int(t["parent"][1:]) % 10 == 7):
                t["parent"] = None
                t["columns"] = [c for c in t["columns"] if c[0] != "parent_id"]
        if kind:
            change(b, kind, False)
            change(a, kind, True)
            changed.append((name, kind))
        before.append(b)
        after.append(a)
    return before, after, changed


SQL_TYPES = {"integer": "INTEGER", "text": "TEXT", "timestamp": "TIMESTAMP",
             "decimal(10,2)": "NUMERIC(10,2)"}


def sql_type(t):
    if t.startswith("string("):
        return "VARCHAR(%s)" % t[7:-1]
    return SQL_TYPES[t]


def ddl(tables):
    out = []
    for t in tables:
        n = t["name"]
        parts = []
        for c in t["columns"]:
            s = '"%s" %s' % (c[0], sql_type(c[1]))
            if not c[2]:
                s += " NOT NULL"
            if c[3] is not None:
                s += " DEFAULT %s" % c[3]
            parts.append(s)
        parts.append('CONSTRAINT "pk_%s" PRIMARY KEY ("id")' % n)
        if t["unique_name"]:
            parts.append('CONSTRAINT "uq_%s_name" UNIQUE ("name")' % n)
        if t["parent"]:
            parts.append('CONSTRAINT "fk_%s_parent_id_%s" FOREIGN KEY ("parent_id") '
                         'REFERENCES "%s" ("id")' % (n, t["parent"], t["parent"]))
        out.append('CREATE TABLE "%s" (%s);' % (n, ", ".join(parts)))
        if t["index_code"]:
            out.append('CREATE INDEX "ix_%s_code" ON "%s" ("code");' % (n, n))
    return "\n".join(out) + "\n"


def yaml_models(tables):
    out = ["tables:"]
    for t in tables:
        out.append("  %s:" % t["name"])
        out.append("    columns:")
        for c in t["columns"]:
            attrs = ['type: "%s"' % c[1]]
            if c[0] == "id":
                attrs.append("primary_key: true")
            elif not c[2]:
                attrs.append("nullable: false")
            if c[3] is not None:
                d = c[3]
                attrs.append("default: %s" % (d if not d.startswith("'") else '"%s"' % d[1:-1]))
            if c[0] == "parent_id":
                attrs.append("references: %s.id" % t["parent"])
            if c[0] == "owner_id" and t.get("owner_fk"):
                attrs.append("references: t0000.id")
            out.append("      %s: { %s }" % (c[0], ", ".join(attrs)))
        if t["index_code"]:
            out.append("    indexes:")
            out.append("      - { columns: [code] }")
        if t["unique_name"]:
            out.append("    unique:")
            out.append("      - { columns: [name] }")
    return "\n".join(out) + "\n"


SA_TYPES = {"integer": "sa.Integer()", "text": "sa.Text()", "timestamp": "sa.TIMESTAMP()",
            "decimal(10,2)": "sa.Numeric(10, 2)"}


def sa_type(t):
    if t.startswith("string("):
        return "sa.String(%s)" % t[7:-1]
    return SA_TYPES[t]


def sa_models(tables):
    out = ["import sqlalchemy as sa", "",
           "metadata = sa.MetaData(naming_convention={",
           '    "ix": "ix_%(table_name)s_%(column_0_N_name)s",',
           '    "uq": "uq_%(table_name)s_%(column_0_N_name)s",',
           '    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",',
           '    "pk": "pk_%(table_name)s",',
           "})", ""]
    for t in tables:
        cols = []
        for c in t["columns"]:
            args = ['"%s"' % c[0], sa_type(c[1])]
            if c[0] == "parent_id":
                args.append('sa.ForeignKey("%s.id")' % t["parent"])
            if c[0] == "owner_id" and t.get("owner_fk"):
                args.append('sa.ForeignKey("t0000.id")')
            if c[0] == "id":
                args.append("primary_key=True")
                args.append("autoincrement=False")
            args.append("nullable=%s" % ("True" if c[2] and c[0] != "id" else "False"))
            if c[3] is not None:
                args.append("server_default=sa.text(%r)" % c[3])
            cols.append("    sa.Column(%s)," % ", ".join(args))
        if t["index_code"]:
            cols.append('    sa.Index(None, "code"),')
        if t["unique_name"]:
            cols.append('    sa.UniqueConstraint("name"),')
        out.append('sa.Table("%s", metadata,\n%s\n)' % (t["name"], "\n".join(cols)))
    return "\n".join(out) + "\n"


ALEMBIC_INI = """[alembic]
script_location = .
sqlalchemy.url = sqlite:///app.db

[loggers]
keys = root
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARN
handlers = console
[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic
[formatter_generic]
format = %(levelname)-5.5s %(message)s
"""

ENV_PY = """import os, sys
from alembic import context
from sqlalchemy import engine_from_config, pool
sys.path.insert(0, os.path.dirname(__file__))
from models import metadata

config = context.config
connectable = engine_from_config(config.get_section(config.config_ini_section),
                                 prefix="sqlalchemy.", poolclass=pool.NullPool)
with connectable.connect() as connection:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True,
                      compare_server_default=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()
"""

SCRIPT_MAKO = '''"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
"""
from alembic import op
import sqlalchemy as sa
${imports if imports else ""}
revision = ${repr(up_revision)}
down_revision = ${repr(down_revision)}
branch_labels = ${repr(branch_labels)}
depends_on = ${repr(depends_on)}


def upgrade():
    ${upgrades if upgrades else "pass"}


def downgrade():
    ${downgrades if downgrades else "pass"}
'''


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    before, after, changed = plan(n)
    os.makedirs(os.path.join(out, "autogen", "models"), exist_ok=True)
    os.makedirs(os.path.join(out, "alembic", "versions"), exist_ok=True)
    with open(os.path.join(out, "before.sql"), "w") as f:
        f.write(ddl(before))
    with open(os.path.join(out, "changed.txt"), "w") as f:
        f.write("\n".join(sorted(name for name, _ in changed)) + "\n")
    with open(os.path.join(out, "expected_ops.txt"), "w") as f:
        f.write("".join("%s %s\n" % (op, name) for name, kind in sorted(changed)
                        for op in EXPECTED_OPS[kind]))
    for k in range(0, len(after), 100):
        with open(os.path.join(out, "autogen", "models", "m%03d.yaml" % (k // 100)), "w") as f:
            f.write(yaml_models(after[k:k + 100]))
    a = os.path.join(out, "alembic")
    for name, text in (("alembic.ini", ALEMBIC_INI), ("env.py", ENV_PY),
                       ("script.py.mako", SCRIPT_MAKO), ("models.py", sa_models(after))):
        with open(os.path.join(a, name), "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
