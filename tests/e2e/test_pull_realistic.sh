#!/usr/bin/env bash
# `autogen pull` on realistic SQLite databases (tests/e2e/pull/sqlite/*.sql:
# SaaS billing and a shop written by hand, and what Django's and Rails's
# migrations leave behind): the round trip, byte-identical pulls, --force,
# and a baseline that rebuilds each database (pull_realistic_body.sh); here,
# what the YAML says about each.
. "$(dirname "$0")/lib.sh"

# has TABLE TEXT...: the table's model file holds each text (runs of blanks,
# which align the columns, count as one).
has() {
    local f s
    f=$(yaml "$1")
    shift
    for s in "$@"; do
        tr -s ' ' <"$f" | grep -qF -- "$(printf '%s' "$s" | tr -s ' ')" ||
            { cat "$f" >&2; fail "expected '$s' in $f"; }
    done
}

schema_checks() {
    case $1 in
    billing)
        # AUTOINCREMENT and a plain rowid key; affinity-style types read as model types.
        has organizations 'id:            { type: integer, primary_key: true, autoincrement: true }' \
            'slug:          { type: string(63), nullable: false, unique: true }' \
            'seats_limit:   { type: integer, default: -1 }' \
            'created_at:    { type: timestamp, nullable: false, default_sql: CURRENT_TIMESTAMP }' \
            "expression: \"slug NOT GLOB '*[^a-z0-9-]*'\""
        has users 'id:              { type: integer, primary_key: true }' \
            'role:            { type: enum, values: [owner, admin, member, billing], nullable: false, default: member }' \
            'is_active:       { type: boolean, nullable: false, default: true }' \
            "default_sql: \"datetime('now')\"" \
            '{ name: users_email_lower, expression: lower(email), unique: true }'
        # A named enum CHECK is a named enum; every foreign-key action.
        assert_contains "$M/enums.yaml" 'invoice_status: [draft, open, paid, void, uncollectible]'
        has invoices 'status:          { type: enum(invoice_status), nullable: false, default: draft }' \
            'subscription_id: { type: text, references: subscriptions.id, on_delete: set null }' \
            '{ name: invoices_org_fk, columns: [organization_id], references: customers(organization_id) }' \
            '{ name: invoices_number_key, columns: [organization_id, number] }'
        has subscriptions 'references: plans.code, on_delete: set default, on_update: cascade' \
            'references: customers.organization_id, on_delete: restrict' \
            "where: \"status <> 'canceled'\""
        has invoice_lines 'primary_key: [invoice_id, line_no]' 'references: invoices.id, on_delete: cascade'
        has plans "default: \"Pay as you go, it's simple\"" 'is_public:        { type: boolean, default: true }'
        has audit_events 'ratio:       { type: double, default: -0.5 }' \
            'details:     { type: text, default: "{\"source\": \"app\"}" }'
        has payments 'where: gateway_ref IS NOT NULL'
        has coupon_redemptions 'options: WITHOUT ROWID'
        ;;
    shop)
        # Reserved words and mixed case as names, quoted in every style SQLite takes.
        has User 'userId:           { type: integer, primary_key: true, autoincrement: true }' \
            'firstName:        { type: string(80), nullable: false }' \
            'email:            { type: string(254), collation: NOCASE, nullable: false }'
        has order 'userId:              { type: integer, references: User.userId, on_delete: set null }' \
            'status:              { type: enum, values: [pending, paid, shipped, delivered, cancelled, refunded], nullable: false, default: pending }' \
            "notes:               { type: text, default: \"Leave at the door, don't ring\" }"
        has group 'id:       { type: integer, primary_key: true }'
        has order_lines 'order_id:   { type: integer, references: order.id, on_delete: cascade }' \
            'discount:   { type: "decimal(10,2)", nullable: false, default: -0.00 }'
        has reviews 'rating:     { type: sql(TINYINT), nullable: false }'
        has user_groups 'primary_key: [user_id, group_id]' 'default_sql: CURRENT_DATE'
        has categories 'references: categories.id, on_delete: set null'
        has stock_levels 'references: warehouses.code, on_delete: restrict, on_update: cascade'
        has shipments 'default: LON1, references: warehouses.code, on_delete: set default'
        has addresses 'where: is_default = 1'
        assert_contains "$T/err" "'reviews.rating' (TINYINT)"
        ;;
    django)
        has auth_user 'id:           { type: integer, primary_key: true, autoincrement: true }' \
            'is_superuser: { type: boolean, nullable: false }' \
            'last_login:   { type: timestamp }' \
            'username:     { type: string(150), nullable: false, unique: true }'
        has django_admin_log 'action_flag:     { type: sql(smallint unsigned), nullable: false }' \
            'expression: "\"action_flag\" >= 0"' \
            'user_id:         { type: integer, nullable: false, references: auth_user.id, deferrable: true, initially: deferred }'
        # Django makes every foreign key DEFERRABLE INITIALLY DEFERRED: kept so.
        has blog_comment 'references: blog_comment.id, deferrable: true, initially: deferred'
        assert_eq "$(grep -h 'references:' "$M"/*.yaml | grep -vc 'deferrable: true, initially: deferred')" \
            0 "django: keys pulled without their deferrability"
        has blog_post 'rating:       { type: decimal, nullable: false }' \
            'expression: "JSON_VALID(\"metadata\") OR \"metadata\" IS NULL"'
        has django_content_type \
            '{ name: django_content_type_app_label_model_76bd3d3b_uniq, columns: [app_label, model], unique: true }'
        has django_session 'session_key:  { type: string(40), primary_key: true }'
        assert_contains "$T/err" "'blog_post.views' (integer unsigned)"
        ;;
    rails)
        has users 'email:                  { type: string, nullable: false, default: "" }' \
            'admin:                  { type: boolean, nullable: false, default: false }' \
            '{ name: fk_rails_61ac11da2b, columns: [account_id], references: accounts(id) }'
        has schema_migrations 'version: { type: string, primary_key: true }'
        has taggings 'primary_key: [tag_id, taggable_type, taggable_id]'
        has projects "where: archived = 0" 'budget:      { type: "decimal(12,2)", default: 0.0 }'
        has tasks 'priority:       { type: integer, nullable: false, default: -1 }' \
            'estimate_hours: { type: double }'
        ;;
    *) fail "no checks for the schema '$1'" ;;
    esac
}

. "$(dirname "$0")/pull_realistic_body.sh"
