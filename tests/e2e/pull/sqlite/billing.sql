-- A SaaS billing database written by hand for SQLite, with the types people
-- write out of habit (VARCHAR(255), INT, DATETIME, BOOLEAN, NUMERIC(10,2)),
-- AUTOINCREMENT keys and plain rowid keys, named and unnamed checks, and
-- foreign keys with every action.
PRAGMA foreign_keys = ON;

CREATE TABLE organizations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug VARCHAR(63) NOT NULL UNIQUE,
    name VARCHAR(255) NOT NULL,
    country CHAR(2) NOT NULL DEFAULT 'US',
    seats_limit INT DEFAULT -1,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    deleted_at DATETIME,
    CONSTRAINT organizations_slug_format CHECK (slug NOT GLOB '*[^a-z0-9-]*')
);

CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email VARCHAR(320) NOT NULL,
    display_name VARCHAR(100),
    role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member', 'billing')),
    is_active BOOLEAN NOT NULL DEFAULT 1,
    last_login_at DATETIME,
    created_at DATETIME NOT NULL DEFAULT (datetime('now'))
);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_org ON users (organization_id);

CREATE TABLE plans (
    code VARCHAR(32) PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    billing_interval VARCHAR(5) NOT NULL DEFAULT 'month',
    amount_cents INT NOT NULL CHECK (amount_cents >= 0),
    currency CHAR(3) NOT NULL DEFAULT 'USD',
    trial_days SMALLINT NOT NULL DEFAULT 14,
    description TEXT DEFAULT 'Pay as you go, it''s simple',
    is_public BOOLEAN DEFAULT TRUE,
    CHECK (billing_interval IN ('month', 'year'))
);

CREATE TABLE customers (
    organization_id INTEGER PRIMARY KEY REFERENCES organizations (id) ON DELETE CASCADE,
    external_id VARCHAR(64) NOT NULL,
    balance_cents BIGINT NOT NULL DEFAULT 0,
    tax_exempt BOOLEAN NOT NULL DEFAULT FALSE,
    address JSON,
    CONSTRAINT customers_external_id_key UNIQUE (external_id)
);

CREATE TABLE subscriptions (
    id TEXT PRIMARY KEY NOT NULL DEFAULT (lower(hex(randomblob(16)))),
    organization_id INTEGER NOT NULL REFERENCES customers (organization_id) ON DELETE RESTRICT,
    plan_code VARCHAR(32) NOT NULL DEFAULT 'free'
        REFERENCES plans (code) ON UPDATE CASCADE ON DELETE SET DEFAULT,
    quantity INT NOT NULL DEFAULT 1 CHECK (quantity > 0),
    status VARCHAR(16) NOT NULL DEFAULT 'trialing',
    trial_ends_at DATETIME DEFAULT (datetime('now', '+14 days')),
    canceled_at DATETIME,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT subscriptions_status_check
        CHECK (status IN ('trialing', 'active', 'past_due', 'canceled'))
);
CREATE INDEX subscriptions_live ON subscriptions (organization_id) WHERE status <> 'canceled';

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    number INT NOT NULL,
    organization_id INTEGER NOT NULL,
    subscription_id TEXT REFERENCES subscriptions (id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'draft'
        CONSTRAINT invoice_status CHECK (status IN ('draft', 'open', 'paid', 'void', 'uncollectible')),
    subtotal NUMERIC(12,2) NOT NULL DEFAULT 0,
    tax NUMERIC(12,2) NOT NULL DEFAULT 0.00,
    due_on DATE,
    issued_at TIMESTAMP,
    memo TEXT,
    CONSTRAINT invoices_org_fk FOREIGN KEY (organization_id)
        REFERENCES customers (organization_id) ON DELETE NO ACTION,
    CONSTRAINT invoices_number_key UNIQUE (organization_id, number),
    CONSTRAINT invoices_amounts_nonnegative CHECK (subtotal >= 0 AND tax >= 0)
);
CREATE INDEX invoices_open_due ON invoices (due_on) WHERE status = 'open';

CREATE TABLE invoice_lines (
    invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    line_no SMALLINT NOT NULL,
    description TEXT NOT NULL,
    quantity NUMERIC(10,3) NOT NULL DEFAULT 1,
    unit_cents INT NOT NULL,
    period_start DATE,
    period_end DATE,
    PRIMARY KEY (invoice_id, line_no),
    CHECK (period_end IS NULL OR period_end >= period_start)
);

CREATE TABLE payments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    invoice_id INTEGER NOT NULL,
    amount NUMERIC(12,2) NOT NULL CHECK (amount <> 0),
    method VARCHAR(20) NOT NULL DEFAULT 'card',
    paid_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    gateway_ref VARCHAR(128),
    raw TEXT,
    FOREIGN KEY (invoice_id) REFERENCES invoices (id) ON DELETE RESTRICT ON UPDATE NO ACTION
);
CREATE UNIQUE INDEX payments_gateway_ref ON payments (gateway_ref) WHERE gateway_ref IS NOT NULL;

CREATE TABLE coupons (
    code VARCHAR(40) NOT NULL PRIMARY KEY,
    percent_off REAL CHECK (percent_off > 0 AND percent_off <= 100),
    amount_off INT,
    duration_months INT DEFAULT 1,
    max_redemptions INT DEFAULT NULL,
    redeem_by DATETIME,
    CONSTRAINT coupons_one_discount CHECK ((percent_off IS NULL) <> (amount_off IS NULL))
);

CREATE TABLE coupon_redemptions (
    coupon_code VARCHAR(40) NOT NULL REFERENCES coupons (code) ON UPDATE CASCADE ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id),
    redeemed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (coupon_code, organization_id)
) WITHOUT ROWID;

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    prefix CHAR(8) NOT NULL,
    hashed BLOB NOT NULL,
    expires_at DATETIME,
    revoked BOOLEAN DEFAULT 0
);
CREATE UNIQUE INDEX api_keys_prefix ON api_keys (prefix);

CREATE TABLE audit_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    actor_id INTEGER,
    action VARCHAR(64) NOT NULL,
    target TEXT,
    ratio DOUBLE DEFAULT -0.5,
    details TEXT DEFAULT '{"source": "app"}'
);
CREATE INDEX audit_events_action_time ON audit_events (action, occurred_at DESC);

INSERT INTO organizations (slug, name) VALUES ('acme', 'Acme Corp'), ('globex', 'Globex');
INSERT INTO users (organization_id, email, display_name, role) VALUES
    (1, 'wile@acme.test', 'Wile E.', 'owner'), (2, 'hank@globex.test', NULL, 'member');
INSERT INTO plans (code, name, amount_cents) VALUES ('free', 'Free', 0), ('pro', 'Pro', 2900);
INSERT INTO customers (organization_id, external_id) VALUES (1, 'cus_1'), (2, 'cus_2');
INSERT INTO subscriptions (id, organization_id, plan_code, status) VALUES ('sub1', 1, 'pro', 'active');
INSERT INTO invoices (number, organization_id, subtotal, tax, status) VALUES (1, 1, 29, 2.32, 'open');
INSERT INTO invoice_lines VALUES (1, 1, 'Pro plan', 1, 2900, '2026-01-01', '2026-01-31');
INSERT INTO payments (invoice_id, amount, gateway_ref) VALUES (1, 31.32, 'ch_1');
INSERT INTO coupons (code, percent_off) VALUES ('WELCOME', 20);
INSERT INTO coupon_redemptions (coupon_code, organization_id) VALUES ('WELCOME', 2);
INSERT INTO api_keys (user_id, prefix, hashed) VALUES (1, 'ak_live_', x'00ff');
INSERT INTO audit_events (actor_id, action, target) VALUES (1, 'plan.change', 'pro');
