/* users and properties
 *
 * Revision ID: a1b2c3d4e5f6
 * Revises: 
 * Create Date: 2026-11-01 09:00:00
 */
#include <autogen/migration.h>

const char *const revision = "a1b2c3d4e5f6";
const char *const down_revision[] = { NULL };
const char *const branch_labels[] = { NULL };
const char *const depends_on[] = { NULL };

void upgrade(ag_op *op)
{
    ag_create_enum(op, "property_status", AG_VALUES("active", "sold", "archived"));
    ag_create_table(op, "users",
                    AG_COL("id", "bigint", .not_null = 1, .autoincrement = 1),
                    AG_COL("email", "string(255)", .not_null = 1),
                    AG_COL("name", "string(200)", .not_null = 1),
                    AG_PRIMARY_KEY("pk_users", AG_COLS("id")),
                    AG_UNIQUE("uq_users_email", AG_COLS("email")),
                    NULL);
    ag_create_table(op, "properties",
                    AG_COL("id", "bigint", .not_null = 1, .autoincrement = 1),
                    AG_COL("owner_id", "bigint", .not_null = 1),
                    AG_COL("name", "string(200)", .not_null = 1),
                    AG_COL("status", "enum(property_status)", .not_null = 1, .server_default = "'active'", .values = AG_VALUES("active", "sold", "archived")),
                    AG_COL("price", "decimal(12,2)", .server_default = "0"),
                    AG_PRIMARY_KEY("pk_properties", AG_COLS("id")),
                    AG_CHECK("price_nonnegative", "price >= 0"),
                    AG_FOREIGN_KEY("fk_properties_owner_id_users", AG_COLS("owner_id"), "users", AG_COLS("id"), "cascade", NULL),
                    NULL);
    ag_create_index(op, "properties", "ix_properties_status", AG_COLS("status"), NULL);
}

void downgrade(ag_op *op)
{
    /* DESTRUCTIVE: drops table 'properties' and all its rows */
    ag_drop_table(op, "properties");
    /* DESTRUCTIVE: drops table 'users' and all its rows */
    ag_drop_table(op, "users");
    /* DESTRUCTIVE: drops enum 'property_status' */
    ag_drop_enum(op, "property_status");
}
