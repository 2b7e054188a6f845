/* merge heads
 *
 * Revision ID: m3rge01
 * Revises: aaa111, bbb222
 * Create Date: 2026-01-01 00:00:00
 */
#include <autogen/migration.h>

const char *const revision = "m3rge01";
const char *const down_revision[] = { "aaa111", "bbb222", NULL };
const char *const branch_labels[] = { NULL };
const char *const depends_on[] = { NULL };

void upgrade(ag_op *op) { (void)op; }
void downgrade(ag_op *op) { (void)op; }
