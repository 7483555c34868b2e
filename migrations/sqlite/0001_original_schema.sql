-- 0001_original_schema: the original service's logical model (alembic revision 6883623fa6f0) in
-- SQLite, for the embedded mode. Ids are uuid text (lower-case, as PostgreSQL prints them),
-- booleans INTEGER 0/1, timestamps UTC text 'YYYY-MM-DD HH:MM:SS[.fff...]' (PostgreSQL's text form,
-- so they sort and compare as text). No partitions. STRICT tables reject values of the wrong type.

CREATE TABLE "user" (
    id TEXT NOT NULL PRIMARY KEY,
    email TEXT NOT NULL UNIQUE CHECK (length(email) <= 255),
    password TEXT NOT NULL CHECK (length(password) <= 255),
    is_superuser INTEGER NOT NULL DEFAULT 0 CHECK (is_superuser IN (0, 1))
) STRICT;

CREATE TABLE profile (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL UNIQUE REFERENCES "user" (id) ON DELETE CASCADE,
    first_name TEXT CHECK (length(first_name) <= 255),
    last_name TEXT CHECK (length(last_name) <= 255),
    phone TEXT CHECK (length(phone) <= 50)
) STRICT;

CREATE TABLE login_histories (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    user_agent TEXT,
    authentication_date TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
) STRICT;

CREATE TABLE role (
    id TEXT NOT NULL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (length(name) <= 80),
    description TEXT CHECK (length(description) <= 255)
) STRICT;

CREATE TABLE usersroles (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT REFERENCES "user" (id) ON DELETE CASCADE,
    role_id TEXT REFERENCES role (id) ON DELETE CASCADE
) STRICT;

CREATE TABLE social_account (
    id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    social_id TEXT NOT NULL,
    social_name TEXT NOT NULL,
    PRIMARY KEY (id, social_name),
    UNIQUE (social_id, social_name)
) STRICT;
