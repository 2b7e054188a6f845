-- The SQLite schema a Rails 7.1 application's migrations leave behind
-- (db/structure.sql style, as `rails db:schema:dump` with the :sql format
-- writes it): varchar without a length, datetime(6), booleans defaulting to
-- 0/1, foreign keys named fk_rails_<hash>, index_<table>_on_<columns>.
CREATE TABLE IF NOT EXISTS "schema_migrations" ("version" varchar NOT NULL PRIMARY KEY);
CREATE TABLE IF NOT EXISTS "ar_internal_metadata" ("key" varchar NOT NULL PRIMARY KEY, "value" varchar, "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL);
CREATE TABLE IF NOT EXISTS "accounts" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar NOT NULL, "plan" varchar DEFAULT 'free' NOT NULL, "seats" integer DEFAULT 5, "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL);
CREATE TABLE IF NOT EXISTS "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "account_id" integer NOT NULL, "email" varchar DEFAULT '' NOT NULL, "encrypted_password" varchar DEFAULT '' NOT NULL, "reset_password_token" varchar, "reset_password_sent_at" datetime(6), "sign_in_count" integer DEFAULT 0 NOT NULL, "admin" boolean DEFAULT 0 NOT NULL, "time_zone" varchar DEFAULT 'UTC', "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL, CONSTRAINT "fk_rails_61ac11da2b"
FOREIGN KEY ("account_id")
  REFERENCES "accounts" ("id")
);
CREATE INDEX "index_users_on_account_id" ON "users" ("account_id");
CREATE UNIQUE INDEX "index_users_on_email" ON "users" ("email");
CREATE UNIQUE INDEX "index_users_on_reset_password_token" ON "users" ("reset_password_token");
CREATE TABLE IF NOT EXISTS "projects" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "account_id" integer NOT NULL, "name" varchar(120) NOT NULL, "description" text, "budget" decimal(12,2) DEFAULT 0.0, "archived" boolean DEFAULT 0 NOT NULL, "starts_on" date, "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL, CONSTRAINT "fk_rails_2b4a4d5f2e"
FOREIGN KEY ("account_id")
  REFERENCES "accounts" ("id")
 ON DELETE CASCADE);
CREATE INDEX "index_projects_on_account_id" ON "projects" ("account_id");
CREATE INDEX "index_projects_on_account_id_and_archived" ON "projects" ("account_id", "archived") WHERE archived = 0;
CREATE TABLE IF NOT EXISTS "memberships" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "user_id" integer NOT NULL, "project_id" integer NOT NULL, "role" varchar DEFAULT 'viewer' NOT NULL, "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL, CONSTRAINT "fk_rails_99326fb65d"
FOREIGN KEY ("user_id")
  REFERENCES "users" ("id")
 ON DELETE CASCADE, CONSTRAINT "fk_rails_5f5b5b0b1c"
FOREIGN KEY ("project_id")
  REFERENCES "projects" ("id")
 ON DELETE CASCADE);
CREATE INDEX "index_memberships_on_user_id" ON "memberships" ("user_id");
CREATE INDEX "index_memberships_on_project_id" ON "memberships" ("project_id");
CREATE UNIQUE INDEX "index_memberships_on_user_id_and_project_id" ON "memberships" ("user_id", "project_id");
CREATE TABLE IF NOT EXISTS "tasks" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "project_id" integer NOT NULL, "assignee_id" integer, "title" varchar NOT NULL, "state" integer DEFAULT 0 NOT NULL, "priority" integer DEFAULT -1 NOT NULL, "due_at" datetime(6), "estimate_hours" float, "position" integer, "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL, CONSTRAINT "fk_rails_02e851e3b7"
FOREIGN KEY ("project_id")
  REFERENCES "projects" ("id")
, CONSTRAINT "fk_rails_3c5f2d8b71"
FOREIGN KEY ("assignee_id")
  REFERENCES "users" ("id")
 ON DELETE SET NULL);
CREATE INDEX "index_tasks_on_project_id" ON "tasks" ("project_id");
CREATE INDEX "index_tasks_on_assignee_id" ON "tasks" ("assignee_id");
CREATE INDEX "index_tasks_on_project_id_and_position" ON "tasks" ("project_id", "position");
CREATE TABLE IF NOT EXISTS "comments" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "commentable_type" varchar NOT NULL, "commentable_id" integer NOT NULL, "user_id" integer, "body" text NOT NULL, "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL, CONSTRAINT "fk_rails_03de2dc08c"
FOREIGN KEY ("user_id")
  REFERENCES "users" ("id")
);
CREATE INDEX "index_comments_on_commentable" ON "comments" ("commentable_type", "commentable_id");
CREATE INDEX "index_comments_on_user_id" ON "comments" ("user_id");
CREATE TABLE IF NOT EXISTS "active_storage_blobs" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "key" varchar NOT NULL, "filename" varchar NOT NULL, "content_type" varchar, "metadata" text, "service_name" varchar NOT NULL, "byte_size" bigint NOT NULL, "checksum" varchar, "created_at" datetime(6) NOT NULL);
CREATE UNIQUE INDEX "index_active_storage_blobs_on_key" ON "active_storage_blobs" ("key");
CREATE TABLE IF NOT EXISTS "active_storage_attachments" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar NOT NULL, "record_type" varchar NOT NULL, "record_id" bigint NOT NULL, "blob_id" bigint NOT NULL, "created_at" datetime(6) NOT NULL, CONSTRAINT "fk_rails_c3b3935057"
FOREIGN KEY ("blob_id")
  REFERENCES "active_storage_blobs" ("id")
);
CREATE INDEX "index_active_storage_attachments_on_blob_id" ON "active_storage_attachments" ("blob_id");
CREATE UNIQUE INDEX "index_active_storage_attachments_uniqueness" ON "active_storage_attachments" ("record_type", "record_id", "name", "blob_id");
CREATE TABLE IF NOT EXISTS "active_storage_variant_records" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "blob_id" bigint NOT NULL, "variation_digest" varchar NOT NULL, CONSTRAINT "fk_rails_993965df05"
FOREIGN KEY ("blob_id")
  REFERENCES "active_storage_blobs" ("id")
);
CREATE UNIQUE INDEX "index_active_storage_variant_records_uniqueness" ON "active_storage_variant_records" ("blob_id", "variation_digest");
CREATE TABLE IF NOT EXISTS "taggings" ("tag_id" integer NOT NULL, "taggable_type" varchar NOT NULL, "taggable_id" integer NOT NULL, "created_at" datetime(6) DEFAULT CURRENT_TIMESTAMP NOT NULL, PRIMARY KEY ("tag_id", "taggable_type", "taggable_id"));
INSERT INTO "schema_migrations" (version) VALUES
('20260105120000'),
('20260101090000');
INSERT INTO "ar_internal_metadata" VALUES ('environment', 'development', '2026-01-01 09:00:00.000000', '2026-01-01 09:00:00.000000');
INSERT INTO "accounts" ("name", "created_at", "updated_at") VALUES ('Acme', '2026-01-01 09:00:00', '2026-01-01 09:00:00');
INSERT INTO "users" ("account_id", "email", "created_at", "updated_at") VALUES (1, 'a@acme.test', '2026-01-01 09:00:00', '2026-01-01 09:00:00');
INSERT INTO "projects" ("account_id", "name", "created_at", "updated_at") VALUES (1, 'Launch', '2026-01-01 09:00:00', '2026-01-01 09:00:00');
INSERT INTO "tasks" ("project_id", "title", "created_at", "updated_at") VALUES (1, 'Write docs', '2026-01-01 09:00:00', '2026-01-01 09:00:00');
