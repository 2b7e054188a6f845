#!/usr/bin/env bash
# `autogen pull` on realistic PostgreSQL databases (tests/e2e/pull/pg/*.sql:
# SaaS billing, a shop with its inventory, HR and payroll, written by hand
# with several schemas each; and what Django's migrations leave behind): the
# round trip, byte-identical pulls, --force, and a baseline that rebuilds
# each database (pull_realistic_body.sh); here, what the YAML says about each.
AG_BACKEND=pg
. "$(dirname "$0")/lib.sh"

# has TABLE SCHEMA TEXT...: the table's model file holds each text (runs of
# blanks, which align the columns, count as one). SCHEMA "" is the default one.
has() {
    local f s
    f=$(yaml "$1" "$2")
    shift 2
    for s in "$@"; do
        tr -s ' ' <"$f" | grep -qF -- "$(printf '%s' "$s" | tr -s ' ')" ||
            { cat "$f" >&2; fail "expected '$s' in $f"; }
    done
}

schema_checks() {
    case $1 in
    billing)
        assert_contains "$M/enums.yaml" 'billing.invoice_status: [draft, open, paid, void, uncollectible]'
        assert_contains "$M/enums.yaml" 'plan_interval: [month, year]'
        has organizations "" 'comment: Customer organizations (tenants)' \
            'primary_key: { name: organizations_pkey, columns: [id] }' \
            'id: { type: bigint, autoincrement: true }' \
            'billing_email: { type: sql(citext) }' \
            'seats_limit: { type: integer, default: -1, comment: "Seats the plan allows; -1 means no limit" }' \
            'created_at: { type: timestamptz, nullable: false, default_sql: now() }'
        has User "" 'id: { type: integer, autoincrement: true }' \
            'displayName: { type: string(100), comment: Shown in the app header }' \
            'last_login_at: { type: sql(timestamp(3) without time zone) }' \
            'expression: "lower((email)::text)", unique: true'
        has plans "" 'interval: { type: enum(plan_interval), nullable: false, default: month }' \
            "description: { type: text, default: \"Pay as you go, it's simple\" }"
        has invoices billing 'schema: billing' \
            'status: { type: enum(invoice_status), nullable: false, default: draft }' \
            'id: { type: bigint, autoincrement: true }' \
            'references: subscriptions(id), on_delete: set null'
        has subscriptions billing "default_sql: gen_random_uuid()" \
            'references: public.plans(code), on_delete: set default, on_update: cascade' \
            'current_period: { type: sql(tstzrange) }'
        has payments billing 'payer_ip: { type: sql(inet) }' 'where: gateway_ref IS NOT NULL'
        has customers billing 'tax_ids: { type: "sql(text[])", nullable: false, default: "{}" }'
        has invoice_lines billing '_pkey, columns: [invoice_id, line_no] }'
        has coupon_redemptions billing 'references: coupons(code), on_delete: cascade, on_update: cascade'
        has api_keys "" 'references: User(id), on_delete: set null'
        has audit_events "" 'ratio: { type: double, default: -0.5 }'
        # What a model cannot say is said on stderr, never silently dropped.
        has invoices billing 'total:    { type: "decimal(12,2)", generated: "(subtotal + tax)", stored: true }'
        has invoices billing "number: { type: integer, nullable: false, default_sql: \"nextval('billing.invoice_number_seq'::regclass)\" }"
        assert_contains "$T/err" "'organizations.billing_email' (citext)"
        # Every key has PostgreSQL's own name, kept; the hint says how to leave it out.
        assert_contains "$T/err" "primary keys have PostgreSQL's own name (<table>_pkey)"
        ;;
    hr)
        assert_contains "$M/enums.yaml" 'hr.employment_type: [full_time, part_time, contractor, intern]'
        has employees hr 'schema: hr' 'work_email: { type: sql(hr.email_address), nullable: false }' \
            'type: { type: enum(employment_type), nullable: false, default: full_time }' \
            'references: employees(id), on_delete: set null' \
            'where: left_on IS NULL' 'comment: "Full-time equivalent, 0 < fte <= 1"'
        has departments hr 'id: { type: integer, autoincrement: true }' \
            'references: departments(id), on_delete: restrict'
        has timesheets "" 'hours: { type: "sql(numeric(5,2)[])", nullable: false, default: "{0,0,0,0,0,0,0}" }' \
            '_pkey, columns: [employee_id, week_start] }' 'references: hr.employees(id), on_delete: cascade'
        has leave_requests "" 'during: { type: sql(daterange), nullable: false }'
        has salaries payroll 'schema: payroll' '_pkey, columns: [employee_id, effective_from] }' \
            'references: hr.employees(id), on_delete: restrict'
        has settings "" 'key: { type: string(64) }' 'default_sql: CURRENT_USER'
        has adjustments payroll 'taxable: { type: boolean, default: true }'
        ;;
    shop)
        has Customer "" 'customerId: { type: integer, autoincrement: true }' \
            'primary_key: { name: Customer_pkey, columns: [customerId] }' \
            'createdAt: { type: timestamp, nullable: false, default_sql: LOCALTIMESTAMP }'
        has order "" "notes: { type: text, default: \"Leave at the door, don't ring\" }" \
            'references: Customer(customerId), on_delete: set null'
        has group "" 'id: { type: smallint, autoincrement: true }'
        has products "" 'search: { type: sql(tsvector)' 'tags: { type: "sql(text[])", nullable: false, default: "{}" }' \
            'where: is_active'
        has stock_levels inventory 'schema: inventory' '_pkey, columns: [warehouse_code, variant_id] }' \
            'references: public.product_variants(id), on_delete: cascade'
        has movements inventory 'type: enum(movement_kind)' \
            'references: "stock_levels(warehouse_code, variant_id)", on_delete: cascade'
        has order_lines "" 'discount: { type: "decimal(10,2)", nullable: false, default: 0.00 }' # no negative zero in numeric
        has shipments "" 'references: inventory.warehouses(code), on_delete: set default'
        assert_contains "$M/enums.yaml" 'inventory.movement_kind: [receipt, sale, return, adjustment]'
        ;;
    django)
        # Django makes every foreign key DEFERRABLE INITIALLY DEFERRED: kept so,
        # under its hashed names.
        has blog_comment "" \
            '{ name: blog_comment_parent_id_f2a027bb_fk_blog_comment_id, columns: [parent_id], references: blog_comment(id), deferrable: true, initially: deferred }' \
            '{ name: blog_comment_post_id_580e96ef_fk_blog_post_id, columns: [post_id], references: blog_post(id), deferrable: true, initially: deferred }'
        has auth_user_groups "" \
            '{ name: auth_user_groups_user_id_6a12ed8b_fk_auth_user_id, columns: [user_id], references: auth_user(id), deferrable: true, initially: deferred }'
        assert_eq "$(grep -h 'references' "$M"/*.yaml | grep -vc 'deferrable: true, initially: deferred')" \
            0 "django: keys pulled without their deferrability"
        has auth_user "" 'date_joined: { type: timestamptz, nullable: false }'
        has django_admin_log "" 'expression: action_flag >= 0'
        ;;
    *) fail "no checks for the schema '$1'" ;;
    esac
}

. "$(dirname "$0")/pull_realistic_body.sh"
