/* sqlite_baseline.c - what a baseline carries beside the tables (pull --baseline).
 *
 * The views and triggers of the main database, as it stores their SQL, in the
 * order it made them, each created after the tables and dropped again before
 * they go. A view is created whatever it reads (SQLite checks that when it is
 * used); a trigger only with the table or view it is on, since one on a table
 * the baseline does not create could not be made on a fresh database.
 */
#include "../util/common.h"
#include "sqlite_internal.h"

#include "../util/buf.h"
#include "../util/error.h"

int ag_sqlite__baseline_extras(
    ag_db *db, const ag_schema *s, ag_arena *a, ag_baseline_extras *out, ag_error *err)
{
    const ag_dialect *d = &ag_dialect_sqlite;
    ag_rows r = { 0 };
    int rc = d->query(db,
                      "SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE type IN "
                      "('view', 'trigger') AND sql IS NOT NULL ORDER BY rowid",
                      NULL, 0, &r, err);
    ag_strs views = { 0 };
    for (size_t i = 0; rc == AG_OK && i < r.nrows; i++) {
        bool view = strcmp(ag_rows_get(&r, i, 0), "view") == 0;
        const char *name = ag_rows_get(&r, i, 1), *on = ag_rows_get(&r, i, 2);
        if (!view && !ag_schema_find_table(s, on) && !ag_strs_contains(&views, on)) {
            ag_strs_push_arena(a, &out->left_out,
                               ag_arena_printf(a,
                                               "trigger '%s' is on '%s', which the baseline "
                                               "does not create",
                                               name, on));
            continue;
        }
        if (view)
            ag_strs_push_arena(a, &views, name);
        ag_buf b = AG_BUF_INIT;
        ag_buf_puts(&b, view ? "DROP VIEW IF EXISTS " : "DROP TRIGGER IF EXISTS ");
        ag_buf_quote_ident(&b, name);
        ag_sql_pairs_push(a, &out->after, ag_rows_get(&r, i, 3), ag_buf_cstr(&b));
        ag_buf_dispose(&b);
    }
    ag_rows_release(&r);
    return rc;
}
