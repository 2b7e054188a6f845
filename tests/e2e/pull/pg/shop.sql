-- An e-commerce and inventory database written by hand: serial keys,
-- reserved-word and mixed-case names ("order", "group", "Customer"), a
-- catalog with full-text search (tsvector) and tags (text[]), composite keys,
-- partial and expression indexes, and stock kept in its own schema.
CREATE SCHEMA inventory;

CREATE TYPE order_status AS ENUM ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded');
CREATE TYPE inventory.movement_kind AS ENUM ('receipt', 'sale', 'return', 'adjustment');

CREATE TABLE "Customer" (
    "customerId"  serial PRIMARY KEY,
    "firstName"   varchar(80) NOT NULL,
    "lastName"    varchar(80) NOT NULL,
    email         varchar(254) NOT NULL,
    phone         varchar(32),
    marketing_opt_in boolean NOT NULL DEFAULT FALSE,
    "createdAt"   timestamp NOT NULL DEFAULT LOCALTIMESTAMP,
    "updatedAt"   timestamp
);
CREATE UNIQUE INDEX customer_email_ci ON "Customer" (lower(email));

CREATE TABLE "group" (
    id          smallserial PRIMARY KEY,
    name        varchar(50) NOT NULL UNIQUE,
    discount    numeric(5,2) NOT NULL DEFAULT 0 CHECK (discount BETWEEN 0 AND 100)
);

CREATE TABLE customer_groups (
    customer_id integer NOT NULL REFERENCES "Customer" ("customerId") ON DELETE CASCADE,
    group_id    smallint NOT NULL REFERENCES "group" (id) ON DELETE CASCADE,
    joined_on   date NOT NULL DEFAULT CURRENT_DATE,
    PRIMARY KEY (customer_id, group_id)
);

CREATE TABLE addresses (
    id          serial PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES "Customer" ("customerId") ON DELETE CASCADE,
    kind        varchar(8) NOT NULL DEFAULT 'shipping' CHECK (kind IN ('shipping', 'billing')),
    line1       varchar(200) NOT NULL,
    line2       varchar(200),
    city        varchar(100) NOT NULL,
    postal_code varchar(20),
    country     char(2) NOT NULL DEFAULT 'GB',
    is_default  boolean NOT NULL DEFAULT false
);
CREATE UNIQUE INDEX addresses_one_default ON addresses (customer_id, kind) WHERE is_default;

CREATE TABLE categories (
    id        serial PRIMARY KEY,
    parent_id integer REFERENCES categories (id) ON DELETE SET NULL,
    slug      varchar(80) NOT NULL,
    name      varchar(120) NOT NULL,
    position  integer NOT NULL DEFAULT 0,
    UNIQUE (parent_id, slug)
);

CREATE TABLE products (
    id          serial PRIMARY KEY,
    sku         varchar(32) NOT NULL UNIQUE,
    category_id integer REFERENCES categories (id) ON DELETE SET NULL ON UPDATE CASCADE,
    title       varchar(200) NOT NULL,
    description text NOT NULL DEFAULT '',
    price       numeric(10,2) NOT NULL CHECK (price >= 0),
    weight_kg   real,
    tags        text[] NOT NULL DEFAULT '{}'::text[],
    attributes  jsonb NOT NULL DEFAULT '{}',
    search      tsvector,
    is_active   boolean NOT NULL DEFAULT true,
    published_at timestamptz
);
CREATE INDEX products_search_idx ON products USING gin (search);
CREATE INDEX products_tags_idx ON products USING gin (tags);
CREATE INDEX products_active_title_idx ON products (lower(title)) WHERE is_active;
COMMENT ON COLUMN products.search IS 'Maintained by a trigger from title and description';

CREATE TABLE product_variants (
    id         serial PRIMARY KEY,
    product_id integer NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sku_suffix varchar(16) NOT NULL DEFAULT '',
    size       varchar(8),
    color      varchar(24),
    price_delta numeric(10,2) NOT NULL DEFAULT 0.00,
    barcode    char(13),
    CONSTRAINT product_variants_unique_option UNIQUE (product_id, size, color)
);

CREATE TABLE inventory.warehouses (
    code       char(4) PRIMARY KEY,
    name       varchar(100) NOT NULL,
    timezone   text NOT NULL DEFAULT 'Europe/London',
    opened_on  date,
    location   point
);

CREATE TABLE inventory.stock_levels (
    warehouse_code char(4) NOT NULL REFERENCES inventory.warehouses (code) ON UPDATE CASCADE ON DELETE RESTRICT,
    variant_id     integer NOT NULL REFERENCES public.product_variants (id) ON DELETE CASCADE,
    on_hand        integer NOT NULL DEFAULT 0,
    reserved       integer NOT NULL DEFAULT 0,
    reorder_at     integer DEFAULT 10,
    PRIMARY KEY (warehouse_code, variant_id),
    CONSTRAINT stock_levels_not_oversold CHECK (reserved <= on_hand)
);

CREATE TABLE inventory.movements (
    id             bigserial PRIMARY KEY,
    warehouse_code char(4) NOT NULL,
    variant_id     integer NOT NULL,
    kind           inventory.movement_kind NOT NULL,
    quantity       integer NOT NULL CHECK (quantity <> 0),
    note           text,
    moved_at       timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (warehouse_code, variant_id)
        REFERENCES inventory.stock_levels (warehouse_code, variant_id) ON DELETE CASCADE
);
CREATE INDEX ON inventory.movements (moved_at);

CREATE TABLE "order" (
    id            serial PRIMARY KEY,
    "customerId"  integer REFERENCES "Customer" ("customerId") ON DELETE SET NULL,
    status        order_status NOT NULL DEFAULT 'pending',
    placed_at     timestamptz NOT NULL DEFAULT now(),
    shipping_address_id integer REFERENCES addresses (id) ON DELETE RESTRICT,
    currency      char(3) NOT NULL DEFAULT 'GBP',
    total         numeric(12,2) NOT NULL DEFAULT 0,
    notes         text DEFAULT 'Leave at the door, don''t ring'
);
CREATE INDEX order_customer_recent_idx ON "order" ("customerId", placed_at DESC);
CREATE INDEX order_unpaid_idx ON "order" (placed_at) WHERE status = 'pending'::order_status;
COMMENT ON TABLE "order" IS 'Orders; "order" is a reserved word, quoted everywhere';

CREATE TABLE order_lines (
    order_id    integer NOT NULL REFERENCES "order" (id) ON DELETE CASCADE,
    line_no     smallint NOT NULL,
    variant_id  integer NOT NULL REFERENCES product_variants (id) ON DELETE NO ACTION,
    quantity    integer NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price  numeric(10,2) NOT NULL,
    discount    numeric(10,2) NOT NULL DEFAULT -0.00,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE shipments (
    id             serial PRIMARY KEY,
    order_id       integer NOT NULL REFERENCES "order" (id) ON DELETE CASCADE,
    warehouse_code char(4) DEFAULT 'LON1' REFERENCES inventory.warehouses (code) ON DELETE SET DEFAULT,
    carrier        varchar(40),
    tracking       varchar(64),
    shipped_at     timestamptz,
    delivered_at   timestamptz,
    CHECK (delivered_at IS NULL OR delivered_at >= shipped_at)
);
CREATE UNIQUE INDEX shipments_tracking_key ON shipments (carrier, tracking) WHERE tracking IS NOT NULL;

CREATE TABLE reviews (
    id          serial PRIMARY KEY,
    product_id  integer NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    customer_id integer REFERENCES "Customer" ("customerId") ON DELETE SET NULL,
    rating      smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    title       varchar(120),
    body        text,
    helpful     integer NOT NULL DEFAULT 0,
    created_at  timestamptz DEFAULT now()
);
CREATE INDEX reviews_product_rating_idx ON reviews (product_id, rating);

INSERT INTO "Customer" ("firstName", "lastName", email) VALUES
    ('Ada', 'Lovelace', 'ada@example.test'), ('Alan', 'Turing', 'alan@example.test');
INSERT INTO "group" (name, discount) VALUES ('VIP', 10), ('Staff', 25.5);
INSERT INTO customer_groups (customer_id, group_id) VALUES (1, 1), (2, 2);
INSERT INTO addresses (customer_id, line1, city, is_default) VALUES (1, '12 St James''s Sq', 'London', true);
INSERT INTO categories (slug, name) VALUES ('books', 'Books');
INSERT INTO categories (parent_id, slug, name) VALUES (1, 'maths', 'Mathematics');
INSERT INTO products (sku, category_id, title, price, tags, search) VALUES
    ('BK-001', 2, 'Notes on the Analytical Engine', 12.50, '{classic,computing}',
     to_tsvector('english', 'Notes on the Analytical Engine'));
INSERT INTO product_variants (product_id, size, color) VALUES (1, 'A5', 'cream');
INSERT INTO inventory.warehouses (code, name) VALUES ('LON1', 'London One');
INSERT INTO inventory.stock_levels (warehouse_code, variant_id, on_hand) VALUES ('LON1', 1, 40);
INSERT INTO inventory.movements (warehouse_code, variant_id, kind, quantity) VALUES ('LON1', 1, 'receipt', 40);
INSERT INTO "order" ("customerId", status, shipping_address_id, total) VALUES (1, 'paid', 1, 12.50);
INSERT INTO order_lines (order_id, line_no, variant_id, unit_price) VALUES (1, 1, 1, 12.50);
INSERT INTO shipments (order_id, carrier, tracking) VALUES (1, 'Royal Mail', 'RM123');
INSERT INTO reviews (product_id, customer_id, rating, title) VALUES (1, 2, 5, 'Prescient');
