/* erd.c - a schema as an entity-relationship diagram; see erd.h. */
#include "erd.h"
#include "../util/common.h"

#include "../util/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <strings.h>

/* --- what the columns are ----------------------------------------------------- */

static bool in_fk(const ag_table *t, const char *col)
{
    for (size_t i = 0; i < t->nfks; i++)
        if (ag_strs_contains(&t->fks[i]->columns, col))
            return true;
    return false;
}

/* Whether the set of columns `cols` is unique in t: the primary key, a unique
 * constraint, or a unique index on exactly those columns (in any order). */

static bool is_unique(const ag_table *t, const ag_strs *cols)
{
    if (cols->n && ag_strs_same_set(&t->pk.columns, cols))
        return true;
    for (size_t i = 0; i < t->nuniques; i++)
        if (ag_strs_same_set(&t->uniques[i]->columns, cols))
            return true;
    for (size_t i = 0; i < t->nindexes; i++) {
        const ag_index *x = t->indexes[i];
        if (x->unique && !x->where && !x->expression && ag_strs_same_set(&x->columns, cols))
            return true;
    }
    return false;
}

static bool column_unique(const ag_table *t, const char *col)
{
    ag_strs one = { .v = &col, .n = 1, .cap = 1 };
    return is_unique(t, &one);
}

/* " PK, FK, UK" as they apply to col (PK alone when it is the whole key), or "". */
static const char *keys_of(const ag_table *t, const char *col, char out[16])
{
    bool pk = ag_strs_contains(&t->pk.columns, col);
    bool uk = !(pk && t->pk.columns.n == 1) && column_unique(t, col);
    snprintf(out, 16, "%s%s%s", pk ? ", PK" : "", in_fk(t, col) ? ", FK" : "", uk ? ", UK" : "");
    return out[0] ? out + 1 : out; /* ", PK, FK" -> " PK, FK" */
}

static bool all_not_null(const ag_table *t, const ag_strs *cols)
{
    for (size_t i = 0; i < cols->n; i++) {
        const ag_column *c = ag_table_find_column(t, cols->v[i]);
        if (!c || c->nullable)
            return false;
    }
    return true;
}

static bool all_in_pk(const ag_table *t, const ag_strs *cols)
{
    for (size_t i = 0; i < cols->n; i++)
        if (!ag_strs_contains(&t->pk.columns, cols->v[i]))
            return false;
    return cols->n > 0;
}

/* --- Mermaid -------------------------------------------------------------------- */

/* An entity name: always quoted (a bare one could be a key word such as
 * `one` or `end`); inside the quotes Mermaid takes neither ", % nor \ nor a
 * line break, and those become '_'. */
static void put_entity(ag_buf *b, const char *schema, const char *name)
{
    ag_buf_putc(b, '"');
    for (int part = schema ? 0 : 1; part < 2; part++) {
        for (const char *s = part ? name : schema; *s; s++)
            ag_buf_putc(b, strchr("\"%\\", *s) || (unsigned char)*s < 0x20 ? '_' : *s);
        if (!part)
            ag_buf_putc(b, '.');
    }
    ag_buf_putc(b, '"');
}

/* A word of an attribute (its type or name) as Mermaid reads one: a letter or
 * '_' first, then letters, digits and - _ ( ) [ ]; other characters become
 * '_'. A word Mermaid would read as a key (PK, FK or UK, alone or before a
 * '-' or a bracket) or that starts with no letter gets a '_' in front.
 * Returns whether the word had to change. Bytes of UTF-8 letters pass. */
static bool put_word(ag_buf *b, const char *s)
{
    unsigned char c0 = (unsigned char)s[0];
    bool key = (!strncasecmp(s, "pk", 2) || !strncasecmp(s, "fk", 2) || !strncasecmp(s, "uk", 2)) &&
               (!s[2] || strchr("-()[]", s[2]));
    bool changed = key || !(isalpha(c0) || c0 == '_' || c0 >= 0x80);
    if (changed)
        ag_buf_putc(b, '_');
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        bool ok = isalnum(c) || c >= 0x80 || strchr("-_()[]", c);
        ag_buf_putc(b, ok ? (char)c : '_');
        changed |= !ok;
    }
    return changed;
}

/* Text inside a Mermaid "comment": a double quote becomes a single one, a
 * control character a space. */
static void put_comment_text(ag_buf *b, const char *s)
{
    for (; *s; s++)
        ag_buf_putc(b, *s == '"' ? '\'' : (unsigned char)*s < 0x20 ? ' ' : *s);
}

static void mermaid_attribute(ag_buf *b, ag_arena *a, const ag_table *t, const ag_column *c)
{
    const char *type = ag_type_format(a, &c->type);
    ag_buf_puts(b, "    ");
    bool type_changed = put_word(b, type);
    ag_buf_putc(b, ' ');
    bool name_changed = put_word(b, c->name);
    char keys[16];
    ag_buf_puts(b, keys_of(t, c->name, keys));
    if (!type_changed && !name_changed && !c->comment) {
        ag_buf_putc(b, '\n');
        return;
    }
    const char *sep = "";
    ag_buf_puts(b, " \"");
    if (name_changed) {
        ag_buf_puts(b, "column: ");
        put_comment_text(b, c->name);
        sep = "; ";
    }
    if (type_changed) {
        ag_buf_printf(b, "%stype: ", sep);
        put_comment_text(b, type);
        sep = "; ";
    }
    if (c->comment) {
        ag_buf_puts(b, sep);
        put_comment_text(b, c->comment);
    }
    ag_buf_puts(b, "\"\n");
}

char *ag_erd_mermaid(const ag_schema *s)
{
    ag_buf b = AG_BUF_INIT;
    ag_arena a = AG_ARENA_INIT;
    ag_buf_puts(&b, "erDiagram\n");
    for (size_t i = 0; i < s->ntables; i++) {
        const ag_table *t = s->tables[i];
        ag_buf_puts(&b, "  ");
        put_entity(&b, t->schema, t->name);
        ag_buf_puts(&b, " {\n");
        for (size_t k = 0; k < t->ncolumns; k++)
            mermaid_attribute(&b, &a, t, t->columns[k]);
        ag_buf_puts(&b, "  }\n");
    }
    for (size_t i = 0; i < s->ntables; i++) {
        const ag_table *t = s->tables[i];
        for (size_t k = 0; k < t->nfks; k++) {
            const ag_fk *fk = t->fks[k];
            ag_buf_puts(&b, "  ");
            put_entity(&b, fk->ref_schema, fk->ref_table);
            ag_buf_printf(&b, " %s%s%s ", all_not_null(t, &fk->columns) ? "||" : "|o",
                          all_in_pk(t, &fk->columns) ? "--" : "..",
                          is_unique(t, &fk->columns) ? "o|" : "o{");
            put_entity(&b, t->schema, t->name);
            ag_buf_puts(&b, " : \"");
            put_comment_text(&b, fk->name ? fk->name : "");
            ag_buf_puts(&b, "\"\n");
        }
    }
    ag_arena_release(&a);
    return ag_buf_detach(&b);
}

/* --- dot ------------------------------------------------------------------------ */

/* A dot string body: quotes and backslashes escaped, control characters as spaces. */
static void put_dot(ag_buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            ag_buf_putc(b, '\\');
        ag_buf_putc(b, (unsigned char)*s < 0x20 ? ' ' : *s);
    }
}

static void put_dot_name(ag_buf *b, const char *schema, const char *name)
{
    ag_buf_putc(b, '"');
    if (schema) {
        put_dot(b, schema);
        ag_buf_putc(b, '.');
    }
    put_dot(b, name);
    ag_buf_putc(b, '"');
}

char *ag_erd_dot(const ag_schema *s)
{
    ag_buf b = AG_BUF_INIT;
    ag_arena a = AG_ARENA_INIT;
    ag_buf_puts(&b, "digraph models {\n"
                    "  rankdir=LR;\n"
                    "  node [shape=box, fontname=\"monospace\"];\n");
    for (size_t i = 0; i < s->ntables; i++) {
        const ag_table *t = s->tables[i];
        ag_buf_puts(&b, "  ");
        put_dot_name(&b, t->schema, t->name);
        ag_buf_puts(&b, " [label=\"");
        if (t->schema) {
            put_dot(&b, t->schema);
            ag_buf_putc(&b, '.');
        }
        put_dot(&b, t->name);
        ag_buf_puts(&b, "\\n\\n"); /* the name centred, the columns left-aligned (\l) */
        for (size_t k = 0; k < t->ncolumns; k++) {
            const ag_column *c = t->columns[k];
            put_dot(&b, c->name);
            ag_buf_putc(&b, ' ');
            put_dot(&b, ag_type_format(&a, &c->type));
            char keys[16];
            ag_buf_puts(&b, keys_of(t, c->name, keys));
            ag_buf_puts(&b, "\\l");
        }
        ag_buf_puts(&b, "\"];\n");
    }
    for (size_t i = 0; i < s->ntables; i++) {
        const ag_table *t = s->tables[i];
        for (size_t k = 0; k < t->nfks; k++) {
            const ag_fk *fk = t->fks[k];
            ag_buf_puts(&b, "  ");
            put_dot_name(&b, t->schema, t->name);
            ag_buf_puts(&b, " -> ");
            put_dot_name(&b, fk->ref_schema, fk->ref_table);
            ag_buf_puts(&b, " [label=\"");
            put_dot(&b, fk->name ? fk->name : "");
            ag_buf_printf(&b, "\"%s];\n", all_not_null(t, &fk->columns) ? "" : ", style=dashed");
        }
    }
    ag_buf_puts(&b, "}\n");
    ag_arena_release(&a);
    return ag_buf_detach(&b);
}

/* --- text ----------------------------------------------------------------------- */

/* A name as text: as it is, or in double quotes (doubled inside, as SQL
 * writes them) when a space or a quote would make it read as two words. */
static void put_text_word(ag_buf *b, const char *s)
{
    bool quote = strpbrk(s, " \t\"") != NULL;
    if (quote)
        ag_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            ag_buf_putc(b, '"');
        ag_buf_putc(b, *s);
    }
    if (quote)
        ag_buf_putc(b, '"');
}

static void put_text_name(ag_buf *b, const char *schema, const char *name)
{
    if (schema) {
        put_text_word(b, schema);
        ag_buf_putc(b, '.');
    }
    put_text_word(b, name);
}

char *ag_erd_text(const ag_schema *s)
{
    ag_buf b = AG_BUF_INIT;
    ag_arena a = AG_ARENA_INIT;
    for (size_t i = 0; i < s->ntables; i++) {
        const ag_table *t = s->tables[i];
        ag_buf_puts(&b, i ? "\n" : "");
        put_text_name(&b, t->schema, t->name);
        ag_buf_putc(&b, '\n');
        for (size_t k = 0; k < t->ncolumns; k++) {
            const ag_column *c = t->columns[k];
            char keys[16];
            ag_buf_puts(&b, "    ");
            put_text_name(&b, NULL, c->name);
            ag_buf_printf(&b, " %s%s%s\n", ag_type_format(&a, &c->type), keys_of(t, c->name, keys),
                          c->nullable ? "" : " NOT NULL");
        }
        for (size_t k = 0; k < t->nfks; k++) {
            const ag_fk *fk = t->fks[k];
            ag_buf_puts(&b, "    ");
            put_text_name(&b, NULL, fk->name ? fk->name : "foreign key");
            ag_buf_printf(&b, ": (%s) -> ", ag_strs_join(&a, &fk->columns, ", "));
            put_text_name(&b, fk->ref_schema, fk->ref_table);
            ag_buf_printf(&b, "(%s)\n", ag_strs_join(&a, &fk->ref_columns, ", "));
        }
    }
    ag_arena_release(&a);
    return ag_buf_detach(&b);
}
