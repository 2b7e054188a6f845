/* lint.c - running the rules over one migration (docs/lint.md). */
#include "lint.h"

#include "../util/error.h"

int ag_lint_migration(const ag_lint_input *in, ag_lint_report *out, ag_error *err)
{
    AG_UNUSED(in);
    AG_UNUSED(out);
    AG_UNUSED(err);
    return AG_OK;
}
