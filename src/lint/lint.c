/* lint.c - running the rules over one migration (docs/lint.md).
 *
 * The operations are replayed onto a copy of the schema before the
 * migration, one at a time: each is judged against the schema as it is just
 * before it (so an index on a column added by the same migration is still an
 * index on an existing table, and anything on a table the migration created
 * is skipped), then applied. The downgrade() operations continue from the
 * state upgrade() leaves. A finding points at the line of the ag_* call; the
 * file's text gives the first line of a call that spans several (the
 * compiler notes its last) and the autogen:nolint comments.
 */
#include "lint.h"

#include "../util/error.h"

#include <ctype.h>
#include <strings.h>

/* --- the migration's text: calls and suppressions --------------------------- */

typedef struct span {
    unsigned start, end; /* lines of an ag_*( call and of its closing parenthesis */
} span;

typedef struct nolint {
    unsigned line;   /* of the comment */
    unsigned target; /* the line of code it applies to; 0 for the whole file */
    bool file_level;
    const char *rule; /* one rule id as written */
    bool used;
} nolint;

typedef struct text_info {
    span *calls;
    size_t ncalls, calls_cap;
    nolint *nolints;
    size_t nnolints, nolints_cap;
} text_info;

static bool ident_char(int c)
{
    return isalnum(c) || c == '_';
}

/* The rules named by one comment's "autogen:nolint RULE[,RULE] reason". */
static void parse_nolint(ag_arena *a,
                         text_info *ti,
                         const char *body,
                         size_t n,
                         unsigned line,
                         bool file_level,
                         size_t *pending_from)
{
    static const char tag[] = "autogen:nolint";
    const char *end = body + n;
    const char *p = NULL;
    for (const char *q = body; q + sizeof(tag) - 1 <= end; q++)
        if (memcmp(q, tag, sizeof(tag) - 1) == 0) {
            p = q + sizeof(tag) - 1;
            break;
        }
    if (!p)
        return;
    if (*pending_from == (size_t)-1)
        *pending_from = ti->nnolints;
    while (p < end && (*p == ' ' || *p == '\t'))
        p++;
    bool any = false;
    for (;;) {
        const char *s = p;
        while (p < end && (ident_char((unsigned char)*p) || *p == '-'))
            p++;
        if (p == s)
            break;
        ti->nolints =
            ag_arena_grow(a, ti->nolints, sizeof(*ti->nolints), &ti->nolints_cap, ti->nnolints + 1);
        ti->nolints[ti->nnolints++] = (nolint){ .line = line,
                                                .file_level = file_level,
                                                .rule = ag_arena_strndup(a, s, (size_t)(p - s)) };
        any = true;
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        if (p < end && *p == ',') {
            p++;
            while (p < end && (*p == ' ' || *p == '\t'))
                p++;
            continue;
        }
        break;
    }
    if (!any) { /* no rule named: reported as unused, naming nothing */
        ti->nolints =
            ag_arena_grow(a, ti->nolints, sizeof(*ti->nolints), &ti->nolints_cap, ti->nnolints + 1);
        ti->nolints[ti->nnolints++] =
            (nolint){ .line = line, .file_level = file_level, .rule = "" };
    }
}

/* Scan C text: the ag_*( calls with their first and last lines, and the
 * autogen:nolint comments with the code line each applies to (the next line
 * holding code, or the comment's own line when code precedes it there).
 * Comments at brace depth 0 (outside any function) apply to the file. */
static void scan_text(ag_arena *a, const char *text, text_info *ti)
{
    unsigned line = 1, code_line = 0; /* the last line where code was seen */
    int depth = 0, parens = 0;
    size_t pending_from = (size_t)-1; /* nolints waiting for their code line */
    struct open {
        int parens;
        unsigned line;
    } stack[64];
    size_t nstack = 0;
    unsigned call_line = 0; /* an ag_ identifier waiting for its '(' */
    for (const char *p = text; *p;) {
        char c = *p;
        if (c == '\n') {
            line++;
            p++;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
            p++;
            continue;
        }
        if (c == '/' && (p[1] == '*' || p[1] == '/')) {
            bool block = p[1] == '*';
            const char *s = p + 2;
            unsigned start = line;
            const char *e = s;
            while (*e && (block ? !(e[0] == '*' && e[1] == '/') : *e != '\n')) {
                if (*e == '\n')
                    line++;
                e++;
            }
            size_t before = ti->nnolints;
            parse_nolint(a, ti, s, (size_t)(e - s), start, depth == 0, &pending_from);
            if (depth > 0 && code_line == start)
                for (size_t i = before; i < ti->nnolints; i++) {
                    ti->nolints[i].target = start; /* a comment after code on its line */
                    if (pending_from == before)
                        pending_from = (size_t)-1;
                }
            p = *e ? e + (block ? 2 : 0) : e;
            continue;
        }
        /* code */
        if (pending_from != (size_t)-1) {
            for (size_t i = pending_from; i < ti->nnolints; i++)
                if (!ti->nolints[i].file_level && !ti->nolints[i].target)
                    ti->nolints[i].target = line;
            pending_from = (size_t)-1;
        }
        code_line = line;
        if (c == '"' || c == '\'') {
            p++;
            while (*p && *p != c) {
                if (*p == '\\' && p[1]) {
                    if (p[1] == '\n')
                        line++;
                    p++;
                } else if (*p == '\n') {
                    line++;
                }
                p++;
            }
            if (*p)
                p++;
            call_line = 0;
            continue;
        }
        if (isalpha((unsigned char)c) || c == '_') {
            const char *s = p;
            while (ident_char((unsigned char)*p))
                p++;
            call_line = (p - s > 3 && strncmp(s, "ag_", 3) == 0) ? line : 0;
            continue;
        }
        if (c == '(') {
            if (call_line && nstack < AG_NELEM(stack))
                stack[nstack++] = (struct open){ parens, call_line };
            parens++;
        } else if (c == ')') {
            parens--;
            if (nstack && stack[nstack - 1].parens == parens) {
                nstack--;
                ti->calls =
                    ag_arena_grow(a, ti->calls, sizeof(*ti->calls), &ti->calls_cap, ti->ncalls + 1);
                ti->calls[ti->ncalls++] = (span){ stack[nstack].line, line };
            }
        } else if (c == '{') {
            depth++;
        } else if (c == '}') {
            depth--;
        }
        call_line = 0;
        p++;
    }
}

/* The first line of the call that recorded an op noted at `line`. */
static unsigned call_start(const text_info *ti, unsigned line)
{
    unsigned best = 0;
    for (size_t i = 0; i < ti->ncalls; i++)
        if (ti->calls[i].end == line && (!best || ti->calls[i].start < best))
            best = ti->calls[i].start;
    return best ? best : line;
}

/* --- hand-written SQL: words outside strings and comments ------------------- */

/* Whether sql holds the words w1 [w2] in a row (ASCII case ignored),
 * outside quotes and comments. */
static bool sql_has(const char *sql, const char *w1, const char *w2)
{
    bool prev_w1 = false;
    for (const char *p = sql; p && *p;) {
        if (*p == '\'' || *p == '"') {
            char q = *p++;
            while (*p && *p != q)
                p++;
            if (*p)
                p++;
            prev_w1 = false;
            continue;
        }
        if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                p++;
            continue;
        }
        if (p[0] == '/' && p[1] == '*') {
            p += 2;
            while (*p && !(p[0] == '*' && p[1] == '/'))
                p++;
            if (*p)
                p += 2;
            continue;
        }
        if (ident_char((unsigned char)*p)) {
            const char *s = p;
            while (ident_char((unsigned char)*p))
                p++;
            size_t n = (size_t)(p - s);
            bool is1 = strlen(w1) == n && strncasecmp(s, w1, n) == 0;
            if (!w2 && is1)
                return true;
            if (w2 && prev_w1 && strlen(w2) == n && strncasecmp(s, w2, n) == 0)
                return true;
            prev_w1 = is1;
            continue;
        }
        if (!isspace((unsigned char)*p))
            prev_w1 = false;
        p++;
    }
    return false;
}

/* --- the run ---------------------------------------------------------------- */

typedef struct ctx {
    const ag_lint_input *in;
    ag_lint_report *out;
    ag_arena a; /* scratch */
    text_info ti;
    ag_schema *state;
    bool pg, sqlite;
    ag_strs new_tables;  /* created by this migration (as now named) */
    ag_strs new_columns; /* "table\037column" added by this migration */
    bool down;           /* judging downgrade() */
    size_t op_index;
    unsigned line;     /* of the op being judged, its call's first line */
    unsigned line_end; /* and its last (as the compiler noted it) */
    bool lock_timeout_set;
    bool lock_reported;
    unsigned *op_lines; /* the first line of every op recorded */
    size_t nop_lines, op_lines_cap;
} ctx;

static const char *col_key(ctx *c, const char *table, const char *column)
{
    return ag_arena_printf(&c->a, "%s\037%s", table ? table : "", column ? column : "");
}

static bool is_new_table(ctx *c, const char *table)
{
    return table && ag_strs_contains(&c->new_tables, table);
}

/* The table in the current state when it existed before the migration. */
static const ag_table *existing_table(ctx *c, const char *schema, const char *name)
{
    if (!name || is_new_table(c, name))
        return NULL;
    return ag_schema_find_table_in(c->state, schema, name);
}

/* Whether the op's table existed before the migration: one the history
 * created, or one it never saw (made by hand, or by raw SQL), which the
 * operations of the migration take as existing. */
static bool table_existed(ctx *c, const ag_opdef *op)
{
    return op->table && !is_new_table(c, op->table);
}

/* Whether the column existed before the migration (in a table the history
 * does not know, any column this migration did not add). */
static bool existing_column(ctx *c, const char *schema, const char *table, const char *col)
{
    if (!table || !col || is_new_table(c, table) ||
        ag_strs_contains(&c->new_columns, col_key(c, table, col)))
        return false;
    const ag_table *t = ag_schema_find_table_in(c->state, schema, table);
    return !t || ag_table_find_column(t, col) != NULL;
}

static ag_lint_severity level_of(const ag_lint_input *in, const ag_lint_rule *r)
{
    ag_lint_severity s = r->severity;
    for (size_t i = 0; i < in->nlevels; i++)
        if (in->levels[i].rule && strcmp(in->levels[i].rule, r->id) == 0)
            s = in->levels[i].severity;
    return s;
}

static void push_finding(ctx *c, const ag_lint_finding *f)
{
    ag_lint_report *r = c->out;
    r->v = ag_arena_grow(&r->arena, r->v, sizeof(*r->v), &r->cap, r->n + 1);
    r->v[r->n++] = *f;
}

/* Report rule `id` on the op being judged, unless suppressed or off. */
static void report(ctx *c, const char *id, const char *msg, const char *alt, const char *sql)
{
    const ag_lint_rule *r = ag_lint_rule_find(id);
    if (!r)
        return;
    bool suppressed = false;
    /* An unused-nolint finding is never itself suppressed. */
    for (size_t i = 0; strcmp(r->id, AG_LINT_UNUSED_NOLINT) != 0 && i < c->ti.nnolints; i++) {
        nolint *n = &c->ti.nolints[i];
        if (strcmp(n->rule, r->id) != 0)
            continue;
        if (n->file_level || (c->line && n->target >= c->line && n->target <= c->line_end)) {
            n->used = true;
            suppressed = true;
        }
    }
    if (suppressed)
        return;
    ag_lint_severity sev = level_of(c->in, r);
    if (c->down && sev > AG_LINT_INFO)
        sev = AG_LINT_INFO;
    if (sev == AG_LINT_OFF)
        return;
    ag_arena *a = &c->out->arena;
    push_finding(c,
                 &(ag_lint_finding){ .rule = r->id,
                                     .severity = sev,
                                     .message = c->down ? ag_arena_printf(a, "downgrade(): %s", msg)
                                                        : ag_arena_strdup(a, msg),
                                     .alternative = ag_arena_strdup(a, alt),
                                     .sql = ag_arena_strdup(a, sql),
                                     .path = ag_arena_strdup(a, c->in->path),
                                     .line = c->line,
                                     .downgrade = c->down,
                                     .op = c->op_index });
}

#define P(...) ag_arena_printf(&c->a, __VA_ARGS__)

static const char *tname(ctx *c, const ag_opdef *op)
{
    return ag_op_table_shown(&c->a, op);
}

/* Whether PostgreSQL changes a column from a to b without rewriting the
 * table: binary-coercible types, or a typmod that only widens. */
static bool pg_no_rewrite(const ag_type *a, const ag_type *b)
{
    if (ag_type_equal(a, b))
        return true;
    bool a_var = a->kind == AG_T_STRING || a->kind == AG_T_TEXT;
    if (a_var && b->kind == AG_T_TEXT)
        return true;
    if (a_var && b->kind == AG_T_STRING)
        return b->length == 0 || (a->kind == AG_T_STRING && a->length && b->length >= a->length);
    if (a->kind == AG_T_DECIMAL && b->kind == AG_T_DECIMAL)
        return b->precision == 0 ||
               (a->precision && a->scale == b->scale && b->precision >= a->precision);
    return false;
}

/* Volatile functions PostgreSQL evaluates once per row: a column added with
 * one as its default is filled by rewriting the table. now() and
 * CURRENT_TIMESTAMP are stable (one value for the statement): no rewrite. */
static const char *volatile_call(const char *def)
{
    static const char *const fns[] = { "random",           "gen_random_uuid",
                                       "uuid_generate_v1", "uuid_generate_v1mc",
                                       "uuid_generate_v4", "clock_timestamp",
                                       "timeofday",        "nextval",
                                       "txid_current",     "setseed" };
    for (size_t i = 0; def && i < AG_NELEM(fns); i++)
        if (sql_has(def, fns[i], NULL))
            return fns[i];
    return NULL;
}

static const char *const alt_index_pg =
    "build it with AG_INDEX(.concurrently = 1) (CREATE INDEX CONCURRENTLY) in a migration of its "
    "own declared `transactional = 0`: reads and writes go on while it builds";

/* CONCURRENTLY asked for in a migration that runs in a transaction. */
static void concurrently_in_transaction(ctx *c, const char *sql)
{
    if (!c->pg || !c->in->transactional)
        return;
    report(c, "pg-concurrently-in-transaction",
           "CONCURRENTLY cannot run inside a transaction block, and this migration runs in "
           "one: PostgreSQL refuses the statement and the migration fails",
           "declare `const int transactional = 0;` in the migration (and keep the "
           "CONCURRENTLY statements in a migration of their own)",
           sql);
}

/* One SQLite rebuild of `name`, as rendered in stmts. */
static void sqlite_rebuild(ctx *c, const ag_opdef *op, const char *name, const ag_strs *stmts)
{
    const ag_table *t = existing_table(c, NULL, name);
    if (!t)
        return;
    const char *tmp_ident = P("\"_ag_new_%s\"", name);
    const char *copied = NULL;
    size_t objects = 0, indexes = 0;
    bool after = false;
    for (size_t i = 0; i < stmts->n; i++) {
        const char *s = stmts->v[i];
        if (strncmp(s, "INSERT INTO ", 12) == 0 &&
            strncmp(s + 12, tmp_ident, strlen(tmp_ident)) == 0) {
            const char *o = strchr(s, '(');
            const char *e = o ? strstr(o, ") SELECT ") : NULL;
            if (o && e) {
                ag_buf b = AG_BUF_INIT;
                for (const char *q = o + 1; q < e; q++)
                    if (*q != '"')
                        ag_buf_putc(&b, *q);
                copied = ag_arena_strdup(&c->a, ag_buf_cstr(&b));
                ag_buf_dispose(&b);
            }
        } else if (strncmp(s, "ALTER TABLE ", 12) == 0 && strstr(s, tmp_ident) &&
                   strstr(s, " RENAME TO ")) {
            after = true;
        } else if (after && (strncmp(s, "CREATE INDEX", 12) == 0 ||
                             strncmp(s, "CREATE UNIQUE INDEX", 19) == 0)) {
            indexes++;
        } else if (!after &&
                   (strncmp(s, "DROP VIEW ", 10) == 0 || strncmp(s, "DROP TRIGGER ", 13) == 0)) {
            objects++;
        }
    }
    const char *also = "";
    if (indexes && objects)
        also = P(", recreates its %zu index(es) and %zu view(s)/trigger(s)", indexes, objects);
    else if (indexes)
        also = P(", recreates its %zu index(es)", indexes);
    else if (objects)
        also = P(", recreates %zu view(s)/trigger(s) that depend on it", objects);
    report(c, "sqlite-table-rebuild",
           P("%s rebuilds table '%s': SQLite copies every row (%s%s) into a new table, drops the "
             "old one%s, all under the database's write lock",
             ag_op_describe(&c->a, op), name, copied ? "columns " : "no column",
             copied ? copied : "", also),
           "time the migration on a copy of the production data and run it when writes can wait; "
           "where the models allow, prefer what SQLite changes in place (adding a nullable column "
           "or one with a constant default, renaming, dropping an unindexed column)",
           NULL);
    /* Every table that references it with an action on delete: one finding. */
    ag_strs refs = { 0 };
    const ag_table *only = NULL;
    const ag_fk *only_fk = NULL;
    for (size_t k = 0; k < c->state->ntables; k++) {
        const ag_table *child = c->state->tables[k];
        if (child == t)
            continue;
        for (size_t i = 0; i < child->nfks; i++) {
            const ag_fk *f = child->fks[i];
            if (!f->ref_table || strcmp(f->ref_table, name) != 0 ||
                (f->on_delete != AG_FK_CASCADE && f->on_delete != AG_FK_SET_NULL &&
                 f->on_delete != AG_FK_SET_DEFAULT))
                continue;
            only = child;
            only_fk = f;
            if (refs.n < 5)
                ag_strs_push_arena(&c->a, &refs,
                                   P("'%s' with foreign key '%s' ON DELETE %s", child->name,
                                     f->name ? f->name : "?", ag_fk_action_sql(f->on_delete)));
            else if (refs.n == 5)
                ag_strs_push_arena(&c->a, &refs, "...");
        }
    }
    if (!only)
        return;
    const char *what;
    if (refs.n == 1)
        what =
            P("'%s' references it with foreign key '%s' ON DELETE %s: autogen runs the rebuild "
              "with foreign keys off, but the same SQL run with PRAGMA foreign_keys = ON (by "
              "another tool, or inside a transaction already open, where the PRAGMA does "
              "nothing) %s every row of '%s'",
              only->name, only_fk->name ? only_fk->name : "?", ag_fk_action_sql(only_fk->on_delete),
              only_fk->on_delete == AG_FK_CASCADE ? "deletes" : "resets the reference of",
              only->name);
    else
        what = P("other tables reference it (%s): autogen runs the rebuild with foreign keys off, "
                 "but the same SQL run with PRAGMA foreign_keys = ON (by another tool, or inside "
                 "a transaction already open, where the PRAGMA does nothing) deletes their rows "
                 "or resets their references",
                 ag_strs_join(&c->a, &refs, ", "));
    report(c, "sqlite-rebuild-cascade",
           P("table '%s' is rebuilt (dropped and created again) and %s", name, what),
           "apply it only with `autogen upgrade`, or run the whole `--sql` script, whose first "
           "statement turns foreign keys off outside any transaction",
           NULL);
}

/* The rebuilds SQLite renders for op (state before op). */
static void sqlite_rebuilds(ctx *c, const ag_opdef *op)
{
    ag_strs stmts = { 0 };
    ag_error e = { 0 };
    if (c->in->dialect->render(&c->a, c->state, op, &stmts, &e) != AG_OK)
        return; /* not renderable here: applying it reports the problem */
    for (size_t i = 0; i < stmts.n; i++) {
        static const char pre[] = "CREATE TABLE \"_ag_new_";
        const char *s = stmts.v[i];
        if (strncmp(s, pre, sizeof(pre) - 1) != 0)
            continue;
        const char *n = s + sizeof(pre) - 1, *q = strchr(n, '"');
        if (q)
            sqlite_rebuild(c, op, ag_arena_strndup(&c->a, n, (size_t)(q - n)), &stmts);
    }
}

/* Values of enum `name` (as the state has it) that `keep` lacks, joined, or NULL. */
static const char *lost_enum_values(ctx *c, const ag_strs *had, const ag_strs *keep)
{
    ag_strs lost = { 0 };
    for (size_t i = 0; had && i < had->n; i++)
        if (!ag_strs_contains(keep, had->v[i]))
            ag_strs_push_arena(&c->a, &lost, had->v[i]);
    return lost.n ? ag_strs_join(&c->a, &lost, "', '") : NULL;
}

/* Existing columns of enum `name`, "t.c, t2.c2", or NULL. */
static const char *enum_users(ctx *c, const char *name, ag_strs *tables)
{
    ag_strs cols = { 0 };
    for (size_t k = 0; k < c->state->ntables; k++) {
        const ag_table *t = c->state->tables[k];
        if (is_new_table(c, t->name))
            continue;
        bool used = false;
        for (size_t i = 0; i < t->ncolumns; i++) {
            const ag_column *col = t->columns[i];
            if (col->type.kind == AG_T_ENUM && col->type.name &&
                strcmp(col->type.name, name) == 0) {
                ag_strs_push_arena(&c->a, &cols, P("%s.%s", t->name, col->name));
                used = true;
            }
        }
        if (used && tables)
            ag_strs_push_arena(&c->a, tables, t->name);
    }
    return cols.n ? ag_strs_join(&c->a, &cols, ", ") : NULL;
}

static void enum_values_dropped(ctx *c, const char *ename, const char *lost)
{
    ag_strs tables = { 0 };
    const char *users = enum_users(c, ename, &tables);
    if (!lost || !users)
        return;
    report(c, "drop-enum-value",
           P("removes value(s) '%s' from enum '%s': the migration fails if a row of %s still "
             "holds one",
             lost, ename, users),
           "first move the rows off the value (ag_execute(op, \"UPDATE ... SET col = 'other' "
           "WHERE col = 'old'\") before this operation, or in an earlier migration), and stop the "
           "application from writing it",
           NULL);
    if (c->pg)
        for (size_t i = 0; i < tables.n; i++)
            report(c, "pg-type-rewrite",
                   P("removing a value recreates enum '%s': every column of it in table '%s' is "
                     "converted, which rewrites the table under an ACCESS EXCLUSIVE lock",
                     ename, tables.v[i]),
                   "keep the value (PostgreSQL cannot drop one in place) and stop using it, or "
                   "run this when the table can be locked for the length of a rewrite",
                   NULL);
}

/* Notes the first ACCESS EXCLUSIVE lock on an existing table (PostgreSQL). */
static void access_exclusive(ctx *c, const ag_opdef *op, const char *table)
{
    if (!c->pg || c->down || c->lock_reported || c->lock_timeout_set || c->in->lock_timeout)
        return;
    c->lock_reported = true;
    report(c, "pg-missing-lock-timeout",
           P("%s takes an ACCESS EXCLUSIVE lock on '%s' and nothing bounds the wait for it: "
             "while it waits behind a long query, every query on '%s' queues behind it",
             ag_op_describe(&c->a, op), table, table),
           "set `lock_timeout:` in autogen.yaml (autogen sets it for every statement it runs), or "
           "begin upgrade() with ag_execute(op, \"SET LOCAL lock_timeout = '2s'\"), and retry the "
           "migration when it times out",
           NULL);
}

static void judge_execute(ctx *c, const ag_opdef *op)
{
    const char *sql = op->sql ? op->sql : "";
    if (sql_has(sql, "lock_timeout", NULL))
        c->lock_timeout_set = true;
    if (sql_has(sql, "DROP", "SCHEMA"))
        report(c, "drop-schema",
               "hand-written SQL drops a schema: every table, view and type in it goes with it",
               "move what must stay out of the schema first, back it up (pg_dump -n), and drop it "
               "in a migration of its own once nothing uses it",
               sql);
    if (sql_has(sql, "DROP", "TABLE") || sql_has(sql, "TRUNCATE", NULL))
        report(c, "drop-table", "hand-written SQL drops or empties a table: its rows are lost",
               "stop using the table in the application first and keep a backup; prefer "
               "ag_drop_table, which review and the offline replay understand",
               sql);
    if (sql_has(sql, "DROP", "COLUMN"))
        report(c, "drop-column", "hand-written SQL drops a column: its values are lost",
               "stop using the column in the application first; prefer ag_drop_column", sql);
    if (sql_has(sql, "CONCURRENTLY", NULL))
        concurrently_in_transaction(c, sql);
    report(c, "raw-sql",
           "hand-written SQL is run as written: lint does not check it, and the offline replay "
           "(upgrade --sql, review) does not see what it changes",
           "review the statement by hand; prefer an ag_* operation where one exists", sql);
}

static void judge_column_change(ctx *c, const ag_opdef *op)
{
    const ag_column *o = op->old_column, *n = op->column;
    const char *t = tname(c, op);
    if (!o || !n || !existing_column(c, op->schema, op->table, n->name))
        return;
    bool type_changed = !ag_type_equal(&o->type, &n->type);
    if (o->type.kind == AG_T_ENUM && n->type.kind == AG_T_ENUM && n->enum_values.n &&
        !ag_strs_equal(&o->enum_values, &n->enum_values)) {
        const char *lost = lost_enum_values(c, &o->enum_values, &n->enum_values);
        if (lost)
            report(c, "drop-enum-value",
                   P("'%s.%s' no longer allows value(s) '%s': the migration fails if a row holds "
                     "one",
                     t, n->name, lost),
                   "first move the rows off the value with an UPDATE (ag_execute) before this "
                   "operation, and stop the application from writing it",
                   NULL);
    }
    if (type_changed && !ag_type_widens(&o->type, &n->type)) {
        report(c, "narrow-type",
               P("changes '%s.%s' from %s to %s: values that do not fit or convert make the "
                 "migration fail",
                 t, n->name, ag_type_format(&c->a, &o->type), ag_type_format(&c->a, &n->type)),
               "check that every value fits first; or add a column of the new type, backfill it, "
               "move the application to it, and drop the old column in a later migration",
               NULL);
    }
    if (c->pg && type_changed && !pg_no_rewrite(&o->type, &n->type))
        report(c, "pg-type-rewrite",
               P("changing '%s.%s' from %s to %s rewrites table '%s' and its indexes under an "
                 "ACCESS EXCLUSIVE lock",
                 t, n->name, ag_type_format(&c->a, &o->type), ag_type_format(&c->a, &n->type), t),
               "add a column of the new type, backfill it in batches, move the application to "
               "it, then drop the old column; widening varchar(n), varchar to text and raising "
               "a numeric's precision need no rewrite",
               NULL);
    if (o->nullable && !n->nullable) {
        if (c->pg)
            report(c, "set-not-null",
                   P("makes '%s.%s' NOT NULL: the migration fails if a row holds NULL, and "
                     "PostgreSQL scans the whole table under an ACCESS EXCLUSIVE lock to check",
                     t, n->name),
                   P("fill the NULLs first (an UPDATE in batches); then add CHECK (%s IS NOT "
                     "NULL) NOT VALID, VALIDATE it, and SET NOT NULL, which uses the valid check "
                     "instead of a scan (PostgreSQL 12+), via ag_execute",
                     n->name),
                   NULL);
        else
            report(c, "set-not-null",
                   P("makes '%s.%s' NOT NULL: the migration fails if a row holds NULL", t, n->name),
                   "fill the NULLs first, with ag_execute(op, \"UPDATE ... SET col = ... WHERE "
                   "col IS NULL\") before this operation, or give the column a server_default",
                   NULL);
    }
}

/* An ALTER_COLUMN that changes the comment and nothing else. */
static bool comment_only(const ag_opdef *op)
{
    const ag_column *o = op->old_column, *n = op->column;
    return o && n && ag_type_equal(&o->type, &n->type) &&
           ag_strs_equal(&o->enum_values, &n->enum_values) && o->nullable == n->nullable &&
           o->autoincrement == n->autoincrement && ag_str_eq(o->default_sql, n->default_sql) &&
           !ag_str_eq(o->comment, n->comment);
}

static bool has_existing_column(ctx *c, const ag_opdef *op, const ag_strs *cols)
{
    for (size_t i = 0; i < cols->n; i++)
        if (existing_column(c, op->schema, op->table, cols->v[i]))
            return true;
    return false;
}

/* The rules of op's own kind (state: just before it). */
static void judge_op(ctx *c, const ag_opdef *op)
{
    const char *t = tname(c, op);
    bool existed = table_existed(c, op);
    switch (op->kind) {
    case AG_OP_EXECUTE:
        judge_execute(c, op);
        return;
    case AG_OP_DROP_ENUM_VALUE:
        enum_values_dropped(c, op->enm->name, P("%s", op->name ? op->name : ""));
        break;
    case AG_OP_ALTER_ENUM: {
        const ag_enum *e = ag_schema_find_enum(c->state, op->enm->name);
        const ag_strs *had = op->old_enm ? &op->old_enm->values : e ? &e->values : NULL;
        if (!had) { /* no enum type (SQLite): the values its columns allow */
            for (size_t k = 0; !had && k < c->state->ntables; k++)
                for (size_t i = 0; !had && i < c->state->tables[k]->ncolumns; i++) {
                    const ag_column *col = c->state->tables[k]->columns[i];
                    if (col->type.kind == AG_T_ENUM && col->type.name &&
                        strcmp(col->type.name, op->enm->name) == 0)
                        had = &col->enum_values;
                }
        }
        enum_values_dropped(c, op->enm->name, lost_enum_values(c, had, &op->enm->values));
        break;
    }
    default:
        break;
    }
    if (op->kind == AG_OP_ALTER_ENUM || op->kind == AG_OP_DROP_ENUM_VALUE) {
        ag_strs tables = { 0 };
        if (enum_users(c, op->enm->name, &tables))
            access_exclusive(c, op, tables.v[0]);
        return;
    }
    if (!existed)
        return; /* a table created by this migration, or none */
    switch (op->kind) {
    case AG_OP_DROP_TABLE:
        report(c, "drop-table", P("drops table '%s': every row of it is lost", t),
               "stop using the table in the application and deploy that first; keep a backup, or "
               "rename the table aside now and drop it in a later migration once nothing reads it",
               NULL);
        access_exclusive(c, op, t);
        break;
    case AG_OP_RENAME_TABLE:
        report(c, "rename-table",
               P("renames table '%s' to '%s': the running application still uses the old name "
                 "and fails until it is deployed again",
                 t, op->name),
               "make the application work with both names first (e.g. ag_execute a view under "
               "the old name after the rename, dropped once the new code is out), or create the "
               "new table, copy and sync the rows, switch, then drop the old one",
               NULL);
        access_exclusive(c, op, t);
        break;
    case AG_OP_ADD_COLUMN: {
        const ag_column *col = op->column;
        if (!col->nullable && !col->default_sql && !col->autoincrement && !col->generated)
            report(c, "add-not-null-column",
                   P("adds NOT NULL column '%s.%s' without a default to an existing table: the "
                     "migration fails as soon as the table has a row",
                     t, col->name),
                   "add the column nullable (or with a server_default), fill it, then make it NOT "
                   "NULL in a later migration",
                   NULL);
        const char *fn = c->pg ? volatile_call(col->default_sql) : NULL;
        if (c->pg && (fn || col->autoincrement))
            report(c, "pg-volatile-default",
                   fn ? P("adds '%s.%s' with the volatile default %s: PostgreSQL computes it for "
                          "every existing row, rewriting table '%s' under an ACCESS EXCLUSIVE lock",
                          t, col->name, col->default_sql, t)
                      : P("adds identity column '%s.%s': PostgreSQL numbers every existing row, "
                          "rewriting table '%s' under an ACCESS EXCLUSIVE lock",
                          t, col->name, t),
                   "add the column without a default (or with a constant one), then set the "
                   "default with ag_alter_column (it applies to new rows only) and fill the "
                   "existing rows in batches",
                   NULL);
        access_exclusive(c, op, t);
        break;
    }
    case AG_OP_DROP_COLUMN:
        if (existing_column(c, op->schema, op->table, op->column->name))
            report(c, "drop-column",
                   P("drops column '%s.%s': its values are lost, and the running application "
                     "fails if it still reads or writes it",
                     t, op->column->name),
                   "stop using the column in the application and deploy that first; back its "
                   "values up if they may be needed, then drop it in a later migration",
                   NULL);
        access_exclusive(c, op, t);
        break;
    case AG_OP_ALTER_COLUMN:
        judge_column_change(c, op);
        if (!comment_only(op)) /* COMMENT ON takes a lighter lock */
            access_exclusive(c, op, t);
        break;
    case AG_OP_RENAME_COLUMN:
        if (existing_column(c, op->schema, op->table, op->old_name))
            report(c, "rename-column",
                   P("renames column '%s.%s' to '%s': the running application still uses the old "
                     "name and fails until it is deployed again",
                     t, op->old_name, op->name),
                   "add the new column, write both and backfill, move the reads over, then drop "
                   "the old column in a later migration",
                   NULL);
        access_exclusive(c, op, t);
        break;
    case AG_OP_CREATE_INDEX:
        if (op->index->unique &&
            (op->index->expression || has_existing_column(c, op, &op->index->columns)))
            report(c, "add-unique",
                   P("unique index '%s' on existing column(s) %s of '%s': the migration fails if "
                     "rows already hold duplicates",
                     op->index->name,
                     op->index->expression ? op->index->expression
                                           : ag_strs_join(&c->a, &op->index->columns, ", "),
                     t),
                   "find and resolve duplicates first (SELECT cols, count(*) ... GROUP BY cols "
                   "HAVING count(*) > 1), and make the application stop writing them",
                   NULL);
        if (op->flags & AG_OPF_CONCURRENTLY)
            concurrently_in_transaction(c, NULL);
        else if (c->pg)
            report(c, "pg-index-not-concurrent",
                   P("CREATE INDEX '%s' on existing table '%s' without CONCURRENTLY blocks every "
                     "write to the table while the index builds",
                     op->index->name, t),
                   alt_index_pg, NULL);
        break;
    case AG_OP_DROP_INDEX:
        if (op->flags & AG_OPF_CONCURRENTLY) {
            concurrently_in_transaction(c, NULL);
        } else if (c->pg) {
            report(c, "pg-index-not-concurrent",
                   P("DROP INDEX '%s' without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on '%s'",
                     op->index->name, t),
                   "drop it with ag_drop_index_concurrently in a migration of its own declared "
                   "`transactional = 0`",
                   NULL);
            access_exclusive(c, op, t);
        }
        break;
    case AG_OP_ADD_UNIQUE:
    case AG_OP_ADD_PK: {
        const ag_strs *cols =
            op->kind == AG_OP_ADD_UNIQUE ? &op->unique->columns : &op->pk->columns;
        const char *what = op->kind == AG_OP_ADD_UNIQUE
                               ? P("unique constraint '%s'", op->unique->name)
                               : P("primary key");
        if (has_existing_column(c, op, cols))
            report(c, "add-unique",
                   P("%s on existing column(s) %s of '%s': the migration fails if rows already "
                     "hold duplicates%s",
                     what, ag_strs_join(&c->a, cols, ", "), t,
                     op->kind == AG_OP_ADD_PK ? " or NULLs" : ""),
                   "find and resolve duplicates first (SELECT cols, count(*) ... GROUP BY cols "
                   "HAVING count(*) > 1), and make the application stop writing them",
                   NULL);
        if (c->pg)
            report(c, "pg-index-not-concurrent",
                   P("%s on existing table '%s' builds its index under an ACCESS EXCLUSIVE lock",
                     what, t),
                   "declare a unique index instead and build it with AG_INDEX(.unique = 1, "
                   ".concurrently = 1) in a migration declared `transactional = 0`; or build that "
                   "index first and attach it with ag_execute(op, \"ALTER TABLE ... ADD "
                   "CONSTRAINT name UNIQUE USING INDEX name\")",
                   NULL);
        access_exclusive(c, op, t);
        break;
    }
    case AG_OP_ADD_CHECK:
        if (c->pg)
            report(c, "pg-constraint-not-valid",
                   P("check '%s' added to existing table '%s' without NOT VALID: PostgreSQL scans "
                     "every row under an ACCESS EXCLUSIVE lock",
                     op->check->name, t),
                   "add it with ag_execute(op, \"ALTER TABLE ... ADD CONSTRAINT name CHECK (...) "
                   "NOT VALID\"), then VALIDATE CONSTRAINT name in a later statement or "
                   "migration (it lets reads and writes go on)",
                   NULL);
        access_exclusive(c, op, t);
        break;
    case AG_OP_ADD_FK:
        if (c->pg)
            report(c, "pg-constraint-not-valid",
                   P("foreign key '%s' added to existing table '%s' without NOT VALID: "
                     "PostgreSQL checks every row while blocking writes to '%s' and '%s'",
                     op->fk->name, t, t, op->fk->ref_table),
                   "add it with ag_execute(op, \"ALTER TABLE ... ADD CONSTRAINT name FOREIGN KEY "
                   "(...) REFERENCES ... NOT VALID\"), then VALIDATE CONSTRAINT name in a later "
                   "statement or migration (it lets reads and writes go on)",
                   NULL);
        break;
    case AG_OP_DROP_UNIQUE:
    case AG_OP_DROP_CHECK:
    case AG_OP_DROP_FK:
    case AG_OP_DROP_PK:
        access_exclusive(c, op, t);
        break;
    default:
        break;
    }
}

/* Judge op (state: just before it): its own rules, then what SQLite's
 * rendering of it does to existing tables. */
static void judge(ctx *c, const ag_opdef *op)
{
    judge_op(c, op);
    if (c->sqlite && op->kind != AG_OP_EXECUTE)
        sqlite_rebuilds(c, op);
}

/* Keep new_tables and new_columns in step with op (applied after judging). */
static void track_new(ctx *c, const ag_opdef *op)
{
    switch (op->kind) {
    case AG_OP_CREATE_TABLE:
        ag_strs_push_arena(&c->a, &c->new_tables, op->table);
        break;
    case AG_OP_RENAME_TABLE:
        if (is_new_table(c, op->table))
            ag_strs_push_arena(&c->a, &c->new_tables, op->name);
        break;
    case AG_OP_ADD_COLUMN:
        ag_strs_push_arena(&c->a, &c->new_columns, col_key(c, op->table, op->column->name));
        break;
    case AG_OP_RENAME_COLUMN:
        if (ag_strs_contains(&c->new_columns, col_key(c, op->table, op->old_name)))
            ag_strs_push_arena(&c->a, &c->new_columns, col_key(c, op->table, op->name));
        break;
    default:
        break;
    }
}

static ag_schema *clone_schema(const ag_schema *s)
{
    ag_schema *r = ag_schema_new();
    for (size_t i = 0; s && i < s->ntables; i++)
        AG_ARENA_PUSH(&r->arena, r->tables, r->ntables, r->tables_cap,
                      ag_table_clone(&r->arena, s->tables[i]));
    for (size_t i = 0; s && i < s->nenums; i++)
        AG_ARENA_PUSH(&r->arena, r->enums, r->nenums, r->enums_cap,
                      ag_enum_clone(&r->arena, s->enums[i]));
    for (size_t i = 0; s && i < s->nobjects; i++)
        ag_schema_add_object(r, s->objects[i]->kind, s->objects[i]->name, s->objects[i]->table,
                             s->objects[i]->sql);
    if (s)
        r->objects_complete = s->objects_complete;
    return r;
}

static void run_list(ctx *c, const ag_oplist *ops, bool down)
{
    if (!ops)
        return;
    c->down = down;
    ag_oplist *work = ag_oplist_new();
    for (size_t i = 0; i < ops->n; i++) {
        ag_opdef *op = ag_op_copy(work, ops->ops[i]);
        /* Whole definitions, as the runner sees them before rendering; a
         * missing column is reported when the op is applied. */
        (void)ag_op_complete_alter(&work->arena, c->state, op);
        c->op_index = i;
        c->line = op->line ? call_start(&c->ti, op->line) : 0;
        c->line_end = op->line > c->line ? op->line : c->line;
        c->op_lines = ag_arena_grow(&c->a, c->op_lines, sizeof(*c->op_lines), &c->op_lines_cap,
                                    c->nop_lines + 1);
        c->op_lines[c->nop_lines++] = c->line;
        judge(c, op);
        /* An op that does not fit the state (a table the history never
         * created, made by hand) leaves it as it is: the replay reports it. */
        ag_error ignored = { 0 };
        if (ag_schema_apply(c->state, op, &ignored) == AG_OK && op->kind == AG_OP_EXECUTE &&
            c->in->dialect->track_sql && op->sql)
            c->in->dialect->track_sql(c->state, op->sql);
        track_new(c, op);
    }
    ag_oplist_free(work);
}

static bool op_on_line(const ctx *c, unsigned line)
{
    for (size_t i = 0; i < c->nop_lines; i++)
        if (c->op_lines[i] == line)
            return true;
    return false;
}

static bool call_on_line(const ctx *c, unsigned line)
{
    for (size_t i = 0; i < c->ti.ncalls; i++)
        if (c->ti.calls[i].start == line)
            return true;
    return false;
}

static void report_unused(ctx *c)
{
    for (size_t i = 0; i < c->ti.nnolints; i++) {
        nolint *n = &c->ti.nolints[i];
        if (n->used)
            continue;
        /* A rule of another dialect, or an operation this dialect does not
         * record (a branch on ag_dialect()): nothing can be said here. */
        if ((strncmp(n->rule, "pg-", 3) == 0 && !c->pg) ||
            (strncmp(n->rule, "sqlite-", 7) == 0 && !c->sqlite))
            continue;
        if (!n->file_level && !op_on_line(c, n->target) && call_on_line(c, n->target))
            continue;
        const char *msg;
        if (!n->rule[0])
            msg = "autogen:nolint names no rule: write /* autogen:nolint RULE reason */";
        else if (!ag_lint_rule_find(n->rule)) {
            const char *best = ag_lint_rule_suggest(n->rule);
            msg = best ? P("autogen:nolint names unknown rule '%s'; did you mean '%s'?", n->rule,
                           best)
                       : P("autogen:nolint names unknown rule '%s' (the rules are in "
                           "docs/lint.md)",
                           n->rule);
        } else if (n->file_level)
            msg = P("autogen:nolint %s silences nothing in this file", n->rule);
        else if (!op_on_line(c, n->target))
            msg = P("autogen:nolint %s is not on the line before an operation", n->rule);
        else
            msg = P("autogen:nolint %s silences nothing on line %u", n->rule, n->target);
        c->down = false;
        c->op_index = (size_t)-1;
        c->line = c->line_end = n->line;
        report(c, AG_LINT_UNUSED_NOLINT, msg,
               "remove the comment, or move it to the line just before the operation it is for",
               NULL);
    }
}

int ag_lint_migration(const ag_lint_input *in, ag_lint_report *out, ag_error *err)
{
    if (!in || !in->dialect || !out)
        return ag_error_set(err, AG_EINVALID, "lint: no dialect or report");
    ctx c = { .in = in, .out = out, .a = AG_ARENA_INIT };
    c.pg = strcmp(in->dialect->name, "postgresql") == 0;
    c.sqlite = strcmp(in->dialect->name, "sqlite") == 0;
    if (in->text)
        scan_text(&c.a, in->text, &c.ti);
    c.state = clone_schema(in->before);
    run_list(&c, in->upgrade, false);
    run_list(&c, in->downgrade, true);
    report_unused(&c);
    ag_schema_free(c.state);
    ag_arena_release(&c.a);
    return AG_OK;
}
