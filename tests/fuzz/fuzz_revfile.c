/* fuzz_revfile.c - the migration-header reader (ag_revfile_parse).
 *
 * Read-only commands (heads, history, the graph of every command) read each
 * file under versions/ with it before anything is compiled, so it sees text
 * nobody has checked: it must never read past the text, recurse without
 * bound or leak, and what it accepts must be what the graph relies on
 * (README, "Migration files"): valid revision ids, never its own parent.
 */
#include "migration/migfile.h"
#include "util/error.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* ag_read_file gives NUL-terminated text; a NUL inside ends it. */
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    ag_revfile rf;
    ag_error err = { 0 };
    if (ag_revfile_parse(&rf, "versions/fuzz.c", text, &err) == AG_OK) {
        if (!ag_revision_id_valid(rf.revision) || !rf.down_revisions || !rf.branch_labels ||
            !rf.depends_on || !rf.message || !rf.create_date)
            abort();
        for (size_t i = 0; rf.down_revisions[i]; i++)
            if (!ag_revision_id_valid(rf.down_revisions[i]) ||
                strcmp(rf.down_revisions[i], rf.revision) == 0)
                abort();
        ag_revfile_release(&rf);
    } else if (!err.msg[0] || strcmp(err.file, "versions/fuzz.c") != 0 || err.line == 0) {
        abort(); /* every refusal names the file and line */
    }
    free(text);
    return 0;
}
