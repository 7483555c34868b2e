-- 0002_auth_service: what the C++ service adds (SPEC sections 4 and 5), in SQLite.
-- SQLite can add a NOT NULL column only with a constant default, and dropping a table that others
-- reference would cascade. So: the parents ("user", role) get added columns that an AFTER INSERT
-- trigger fills when the application leaves them out (the equivalent of PostgreSQL's defaults and
-- identity), and the leaves (usersroles, social_account) are rebuilt with their final shape.

-- "user"
ALTER TABLE "user" ADD COLUMN email_canonical TEXT;
ALTER TABLE "user" ADD COLUMN has_password INTEGER NOT NULL DEFAULT 1 CHECK (has_password IN (0, 1));
ALTER TABLE "user" ADD COLUMN created_at TEXT;
UPDATE "user"
   SET email_canonical = coalesce(email_canonical, lower(trim(email))),
       created_at = coalesce(created_at, strftime('%Y-%m-%d %H:%M:%f', 'now'));
CREATE UNIQUE INDEX user_email_canonical_key ON "user" (email_canonical);

CREATE TRIGGER user_defaults AFTER INSERT ON "user"
WHEN NEW.email_canonical IS NULL OR NEW.created_at IS NULL
BEGIN
    UPDATE "user"
       SET email_canonical = coalesce(email_canonical, lower(trim(email))),
           created_at = coalesce(created_at, strftime('%Y-%m-%d %H:%M:%f', 'now'))
     WHERE id = NEW.id;
END;

-- role: creation order for listing (PostgreSQL: an identity column).
ALTER TABLE role ADD COLUMN created_seq INTEGER;
ALTER TABLE role ADD COLUMN created_at TEXT;
UPDATE role
   SET created_seq = coalesce(created_seq, rowid),
       created_at = coalesce(created_at, strftime('%Y-%m-%d %H:%M:%f', 'now'));
CREATE UNIQUE INDEX role_created_seq_key ON role (created_seq);

CREATE TRIGGER role_defaults AFTER INSERT ON role
WHEN NEW.created_seq IS NULL OR NEW.created_at IS NULL
BEGIN
    UPDATE role
       SET created_seq = coalesce(created_seq, (SELECT coalesce(max(created_seq), 0) + 1 FROM role)),
           created_at = coalesce(created_at, strftime('%Y-%m-%d %H:%M:%f', 'now'))
     WHERE id = NEW.id;
END;

-- usersroles: one row per (user, role); rows naming no user or role are dropped, duplicates keep
-- the smallest id.
CREATE TABLE usersroles_new (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    role_id TEXT NOT NULL REFERENCES role (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
) STRICT;
INSERT INTO usersroles_new (id, user_id, role_id)
    SELECT min(id), user_id, role_id FROM usersroles
     WHERE user_id IS NOT NULL AND role_id IS NOT NULL
     GROUP BY user_id, role_id;
DROP TABLE usersroles;
ALTER TABLE usersroles_new RENAME TO usersroles;
CREATE UNIQUE INDEX usersroles_user_id_role_id_key ON usersroles (user_id, role_id);
CREATE INDEX usersroles_role_id_idx ON usersroles (role_id);

-- login_histories: where from, which session; listed newest first per user.
ALTER TABLE login_histories ADD COLUMN ip TEXT;
ALTER TABLE login_histories ADD COLUMN session_id TEXT;
CREATE INDEX login_histories_user_id_authentication_date_idx
    ON login_histories (user_id, authentication_date DESC);

-- social_account: provider email and link time (PostgreSQL partitions it by provider).
CREATE TABLE social_account_new (
    id TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    social_id TEXT NOT NULL,
    social_name TEXT NOT NULL,
    email TEXT,
    linked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now')),
    PRIMARY KEY (id, social_name)
) STRICT;
INSERT INTO social_account_new (id, user_id, social_id, social_name)
    SELECT id, user_id, social_id, social_name FROM social_account;
DROP TABLE social_account;
ALTER TABLE social_account_new RENAME TO social_account;
CREATE UNIQUE INDEX social_account_social_id_social_name_key ON social_account (social_id, social_name);
CREATE INDEX social_account_user_id_idx ON social_account (user_id);

-- Sessions (one per device/login); revoking one ends all its tokens.
CREATE TABLE auth_session (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    user_agent TEXT,
    ip TEXT,
    provider TEXT,
    created_at TEXT NOT NULL,
    refreshed_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    revoke_reason TEXT
) STRICT;
CREATE INDEX auth_session_user_id_active_idx ON auth_session (user_id) WHERE revoked_at IS NULL;

-- The durable revocation record.
CREATE TABLE revoked_token (
    jti TEXT NOT NULL PRIMARY KEY,
    session_id TEXT,
    expires_at TEXT NOT NULL,
    revoked_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
) STRICT;
CREATE INDEX revoked_token_expires_at_idx ON revoked_token (expires_at);
CREATE INDEX revoked_token_session_id_idx ON revoked_token (session_id);

-- Security events. No foreign keys: the trail outlives users.
CREATE TABLE audit_event (
    id TEXT NOT NULL PRIMARY KEY,
    user_id TEXT,
    session_id TEXT,
    kind TEXT NOT NULL,
    detail TEXT,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f', 'now'))
) STRICT;
CREATE INDEX audit_event_user_id_created_at_idx ON audit_event (user_id, created_at);
