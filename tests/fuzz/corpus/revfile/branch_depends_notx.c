/* start the billing branch */
#include <autogen/migration.h>
// revision = "not_this_one";
#define X "revision"
const char *const revision = "bill" "ing_" "01";
const char *const down_revision[] = { 0 };
const char *const branch_labels[] = { "billing", (const char *)0 };
const char *const depends_on[] = { "a1b2c3d4e5f6", NULL };
const int transactional = 0; /* CREATE INDEX CONCURRENTLY */

void upgrade(ag_op *op)
{
    char c = '"';
    ag_execute(op, "CREATE INDEX CONCURRENTLY ix_inv ON invoices (id) /* \" revision = */");
    (void)c;
}
void downgrade(ag_op *op) { ag_execute(op, "DROP INDEX ix_inv"); }
