-- An e-commerce and inventory database written by hand for SQLite: reserved
-- words and mixed case as table and column names ("order", "User", "group",
-- "createdAt"), composite keys, self references, partial and expression
-- indexes, quoted identifiers in every style SQLite accepts.
CREATE TABLE "User" (
    "userId" INTEGER PRIMARY KEY AUTOINCREMENT,
    "firstName" VARCHAR(80) NOT NULL,
    "lastName" VARCHAR(80) NOT NULL,
    email VARCHAR(254) NOT NULL COLLATE NOCASE,
    phone VARCHAR(32),
    marketing_opt_in BOOLEAN NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME
);
CREATE UNIQUE INDEX "User_email_key" ON "User" (email);

CREATE TABLE "group" (
    id INTEGER PRIMARY KEY,
    name VARCHAR(50) NOT NULL UNIQUE,
    discount NUMERIC(5,2) NOT NULL DEFAULT 0 CHECK (discount BETWEEN 0 AND 100)
);

CREATE TABLE user_groups (
    user_id INTEGER NOT NULL REFERENCES "User" ("userId") ON DELETE CASCADE,
    group_id INTEGER NOT NULL REFERENCES "group" (id) ON DELETE CASCADE,
    joined_on DATE NOT NULL DEFAULT CURRENT_DATE,
    PRIMARY KEY (user_id, group_id)
);

CREATE TABLE addresses (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES "User" ("userId") ON DELETE CASCADE,
    kind VARCHAR(8) NOT NULL DEFAULT 'shipping',
    line1 VARCHAR(200) NOT NULL,
    line2 VARCHAR(200),
    city VARCHAR(100) NOT NULL,
    postal_code VARCHAR(20),
    country CHAR(2) NOT NULL DEFAULT 'GB',
    is_default BOOLEAN NOT NULL DEFAULT 0,
    CONSTRAINT addresses_kind CHECK (kind IN ('shipping', 'billing'))
);
CREATE UNIQUE INDEX addresses_one_default ON addresses (user_id, kind) WHERE is_default = 1;

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_id INTEGER REFERENCES categories (id) ON DELETE SET NULL,
    slug VARCHAR(80) NOT NULL,
    name VARCHAR(120) NOT NULL,
    position INT NOT NULL DEFAULT 0,
    UNIQUE (parent_id, slug)
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sku VARCHAR(32) NOT NULL UNIQUE,
    category_id INTEGER REFERENCES categories (id) ON DELETE SET NULL ON UPDATE CASCADE,
    title VARCHAR(200) NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    price NUMERIC(10,2) NOT NULL CHECK (price >= 0),
    weight_kg REAL,
    attributes JSON NOT NULL DEFAULT '{}',
    is_active BOOLEAN NOT NULL DEFAULT 1,
    published_at DATETIME
);
CREATE INDEX products_active_title ON products (lower(title)) WHERE is_active;
CREATE INDEX products_category ON products (category_id);

CREATE TABLE product_variants (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    sku_suffix VARCHAR(16) NOT NULL DEFAULT '',
    size VARCHAR(8),
    color VARCHAR(24),
    price_delta NUMERIC(10,2) NOT NULL DEFAULT 0.00,
    barcode CHAR(13),
    CONSTRAINT product_variants_unique_option UNIQUE (product_id, size, color)
);

CREATE TABLE warehouses (
    code CHAR(4) PRIMARY KEY NOT NULL,
    name VARCHAR(100) NOT NULL,
    timezone TEXT NOT NULL DEFAULT 'Europe/London',
    opened_on DATE
);

CREATE TABLE stock_levels (
    warehouse_code CHAR(4) NOT NULL REFERENCES warehouses (code) ON UPDATE CASCADE ON DELETE RESTRICT,
    variant_id INTEGER NOT NULL REFERENCES product_variants (id) ON DELETE CASCADE,
    on_hand INT NOT NULL DEFAULT 0,
    reserved INT NOT NULL DEFAULT 0,
    reorder_at INT DEFAULT 10,
    PRIMARY KEY (warehouse_code, variant_id),
    CONSTRAINT stock_levels_not_oversold CHECK (reserved <= on_hand)
);

CREATE TABLE "order" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    [userId] INTEGER REFERENCES "User" ("userId") ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded')),
    placed_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    shipping_address_id INTEGER REFERENCES addresses (id) ON DELETE RESTRICT,
    currency CHAR(3) NOT NULL DEFAULT 'GBP',
    total NUMERIC(12,2) NOT NULL DEFAULT 0,
    notes TEXT DEFAULT 'Leave at the door, don''t ring'
);
CREATE INDEX order_user_recent ON "order" ("userId", placed_at DESC);
CREATE INDEX order_unpaid ON "order" (placed_at) WHERE status = 'pending';

CREATE TABLE order_lines (
    order_id INTEGER NOT NULL REFERENCES "order" (id) ON DELETE CASCADE,
    line_no SMALLINT NOT NULL,
    variant_id INTEGER NOT NULL REFERENCES product_variants (id) ON DELETE NO ACTION,
    quantity INT NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_price NUMERIC(10,2) NOT NULL,
    discount NUMERIC(10,2) NOT NULL DEFAULT -0.00,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE shipments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES "order" (id) ON DELETE CASCADE,
    warehouse_code CHAR(4) DEFAULT 'LON1' REFERENCES warehouses (code) ON DELETE SET DEFAULT,
    carrier VARCHAR(40),
    tracking VARCHAR(64),
    shipped_at DATETIME,
    delivered_at DATETIME,
    CHECK (delivered_at IS NULL OR delivered_at >= shipped_at)
);
CREATE UNIQUE INDEX shipments_tracking ON shipments (carrier, tracking) WHERE tracking IS NOT NULL;

CREATE TABLE `reviews` (
    `id` INTEGER PRIMARY KEY AUTOINCREMENT,
    `product_id` INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    `user_id` INTEGER REFERENCES "User" ("userId") ON DELETE SET NULL,
    `rating` TINYINT NOT NULL CHECK (`rating` BETWEEN 1 AND 5),
    `title` VARCHAR(120),
    `body` TEXT,
    `helpful` INT NOT NULL DEFAULT 0,
    `created_at` DATETIME DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX reviews_product_rating ON reviews (product_id, rating);

INSERT INTO "User" ("firstName", "lastName", email) VALUES
    ('Ada', 'Lovelace', 'ada@example.test'), ('Alan', 'Turing', 'alan@example.test');
INSERT INTO "group" (name, discount) VALUES ('VIP', 10), ('Staff', 25.5);
INSERT INTO user_groups (user_id, group_id) VALUES (1, 1), (2, 2);
INSERT INTO addresses (user_id, line1, city, is_default) VALUES (1, '12 St James''s Sq', 'London', 1);
INSERT INTO categories (slug, name) VALUES ('books', 'Books');
INSERT INTO categories (parent_id, slug, name) VALUES (1, 'maths', 'Mathematics');
INSERT INTO products (sku, category_id, title, price) VALUES ('BK-001', 2, 'Notes on the Analytical Engine', 12.50);
INSERT INTO product_variants (product_id, size, color) VALUES (1, 'A5', 'cream');
INSERT INTO warehouses (code, name) VALUES ('LON1', 'London One');
INSERT INTO stock_levels (warehouse_code, variant_id, on_hand) VALUES ('LON1', 1, 40);
INSERT INTO "order" ("userId", status, shipping_address_id, total) VALUES (1, 'paid', 1, 12.50);
INSERT INTO order_lines (order_id, line_no, variant_id, unit_price) VALUES (1, 1, 1, 12.50);
INSERT INTO shipments (order_id, carrier, tracking) VALUES (1, 'Royal Mail', 'RM123');
INSERT INTO reviews (product_id, user_id, rating, title) VALUES (1, 2, 5, 'Prescient');
