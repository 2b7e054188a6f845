/* add zoning
 *
 * Revision ID: 3f2a9c1e7b4d
 * Revises: a1b2c3d4e5f6
 * Create Date: 2026-11-22 10:30:00
 */
#include <autogen/migration.h>

const char *const revision = "3f2a9c1e7b4d";
const char *const down_revision[] = { "a1b2c3d4e5f6", NULL };
const char *const branch_labels[] = { NULL };
const char *const depends_on[] = { NULL };

void upgrade(ag_op *op)
{
    ag_add_column(op, "properties", AG_COLUMN("zoning", "string(50)"));
    /* Data: every existing property starts out residential. */
    ag_execute(op, "UPDATE properties SET zoning = 'residential' WHERE zoning IS NULL");
}

void downgrade(ag_op *op)
{
    /* DESTRUCTIVE: drops column 'properties.zoning' and its data */
    ag_drop_column(op, "properties", "zoning");
}
