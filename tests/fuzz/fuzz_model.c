/* fuzz_model.c - the YAML model loader (ag_model_load_buffers), and what
 * `autogen diff` does with a model it accepts on an empty database.
 *
 * The input is one or more model files separated by NUL bytes (a NUL cannot
 * occur in YAML), so that cross-file rules (a table in two files, a foreign
 * key to another file's table) are reached too. A model that loads is then
 * diffed against an empty schema for each dialect, emitted as migration C and
 * rendered as SQL, as `autogen revision --autogenerate` and `upgrade --sql` do.
 * Any failure must come back as diagnostics or an error, never a crash, a
 * leak or undefined behaviour.
 */
#include "dialect/dialect.h"
#include "diff/diff.h"
#include "migration/migfile.h"
#include "model/model.h"
#include "runner/runner.h"
#include "util/error.h"

#include <stdint.h>

#define MAX_FILES 4

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What diff, emit and render make of target on an empty database of d. */
static void generate(const ag_dialect *d, const ag_schema *target)
{
    ag_diff_opts o = {
        .default_schema = d->caps & AG_CAP_SCHEMAS ? "public" : "main",
        .caps = d->caps,
        .type_reduce = d->type_reduce,
    };
    ag_schema *empty = ag_schema_new();
    ag_oplist *ops = NULL;
    ag_error err = { 0 };
    if (ag_diff(&ops, empty, target, &o, &err) == AG_OK) {
        ag_buf c = AG_BUF_INIT;
        ag_emit_ops_c(&c, ops);
        ag_buf_dispose(&c);
        ag_arena a = AG_ARENA_INIT;
        ag_strs sql = { 0 };
        (void)ag_render_ops(d, empty, ops, &a, &sql, &err);
        ag_arena_release(&a);
    } else if (!err.msg[0]) {
        abort();
    }
    ag_oplist_free(ops);
    ag_schema_free(empty);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    static const char *const all_names[MAX_FILES] = { "models/a.yaml", "models/b.yaml",
                                                      "models/c.yaml", "models/d.yaml" };
    const char *texts[MAX_FILES];
    size_t n = 0;
    for (const char *p = text; n < MAX_FILES;) {
        texts[n++] = p;
        size_t len = strlen(p);
        if (p + len >= text + size)
            break;
        p += len + 1;
    }
    ag_model_opts opts = { .max_identifier = AG_IDENTIFIER_PORTABLE };
    ag_diags diags = { 0 };
    ag_schema *s = NULL;
    ag_error err = { 0 };
    int rc = ag_model_load_buffers(&s, all_names, texts, n, &opts, &diags, &err);
    if (rc == AG_OK) {
        if (!s)
            abort();
        generate(&ag_dialect_postgres, s);
        generate(&ag_dialect_sqlite, s);
        ag_schema_free(s);
    } else if (s || diags.n == 0 || !err.msg[0]) {
        abort(); /* a refusal always says why */
    }
    for (size_t i = 0; i < diags.n; i++)
        if (!diags.v[i].msg || !diags.v[i].msg[0] || !diags.v[i].file)
            abort();
    ag_diags_release(&diags);
    free(text);
    return 0;
}
