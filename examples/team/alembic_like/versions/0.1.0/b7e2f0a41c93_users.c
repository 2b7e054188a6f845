/* users
 *
 * Revision ID: b7e2f0a41c93
 * Revises: 
 * Create Date: 2026-12-01 22:18:44
 */
#include <autogen/migration.h>

const char *const revision = "b7e2f0a41c93";
const char *const down_revision[] = { NULL };
const char *const branch_labels[] = { NULL };
const char *const depends_on[] = { NULL };

void upgrade(ag_op *op)
{
    ag_create_table(op, "users",
                    AG_COL("id", "bigint", .not_null = 1, .autoincrement = 1),
                    AG_COL("email", "string(255)", .not_null = 1),
                    AG_PRIMARY_KEY("pk_users", AG_COLS("id")),
                    AG_UNIQUE("uq_users_email", AG_COLS("email")),
                    NULL);
}

void downgrade(ag_op *op)
{
    /* DESTRUCTIVE: drops table 'users' and all its rows */
    ag_drop_table(op, "users");
}
