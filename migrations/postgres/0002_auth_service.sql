-- 0002_auth_service: what the C++ service adds to the original schema (SPEC sections 4 and 5).
-- PostgreSQL migration. Databases of the original service may differ slightly from 0001, so every
-- step is written defensively (IF NOT EXISTS, catalogue checks). The original service may keep
-- writing during a switch-over: every new NOT NULL column has a default or is filled by a trigger.

-- "user": unique on the canonical email (trimmed, NFC, lower-case; the application writes it for
-- its rows, the trigger below approximates it for rows the original service writes).
ALTER TABLE "user" ADD COLUMN IF NOT EXISTS email_canonical text;
ALTER TABLE "user" ADD COLUMN IF NOT EXISTS has_password boolean NOT NULL DEFAULT true;
ALTER TABLE "user" ADD COLUMN IF NOT EXISTS created_at timestamp NOT NULL DEFAULT now();
UPDATE "user" SET email_canonical = lower(btrim(email)) WHERE email_canonical IS NULL;

DO $$
DECLARE
    clashes bigint;
BEGIN
    SELECT count(*) INTO clashes
      FROM (SELECT 1 FROM "user" GROUP BY email_canonical HAVING count(*) > 1) AS groups;
    IF clashes > 0 THEN
        RAISE EXCEPTION '% email address(es) belong to several accounts once trimmed and lower-cased; merge or rename those accounts, then run the upgrade again', clashes;
    END IF;
END $$;

CREATE OR REPLACE FUNCTION auth_user_email_canonical() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.email_canonical IS NULL THEN
            NEW.email_canonical := lower(btrim(NEW.email));
        END IF;
    ELSIF NEW.email IS DISTINCT FROM OLD.email
          AND NEW.email_canonical IS NOT DISTINCT FROM OLD.email_canonical THEN
        NEW.email_canonical := lower(btrim(NEW.email));
    END IF;
    RETURN NEW;
END $$;

DROP TRIGGER IF EXISTS user_email_canonical ON "user";
CREATE TRIGGER user_email_canonical BEFORE INSERT OR UPDATE OF email ON "user"
    FOR EACH ROW EXECUTE FUNCTION auth_user_email_canonical();

ALTER TABLE "user" ALTER COLUMN email_canonical SET NOT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS user_email_canonical_key ON "user" (email_canonical);

-- role: creation order for listing.
ALTER TABLE role ADD COLUMN IF NOT EXISTS created_seq bigint GENERATED ALWAYS AS IDENTITY;
ALTER TABLE role ADD COLUMN IF NOT EXISTS created_at timestamp NOT NULL DEFAULT now();
CREATE UNIQUE INDEX IF NOT EXISTS role_created_seq_key ON role (created_seq);

-- usersroles: one row per (user, role). Rows naming no user or no role grant nothing and are
-- removed; of exact duplicates the one with the smallest id is kept.
DELETE FROM usersroles WHERE user_id IS NULL OR role_id IS NULL;
DELETE FROM usersroles AS a
 USING usersroles AS b
 WHERE a.user_id = b.user_id AND a.role_id = b.role_id AND a.id > b.id;
ALTER TABLE usersroles ALTER COLUMN user_id SET NOT NULL;
ALTER TABLE usersroles ALTER COLUMN role_id SET NOT NULL;
ALTER TABLE usersroles ADD COLUMN IF NOT EXISTS created_at timestamp NOT NULL DEFAULT now();

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_constraint
                    WHERE conrelid = 'usersroles'::regclass
                      AND conname = 'usersroles_user_id_role_id_key') THEN
        ALTER TABLE usersroles ADD CONSTRAINT usersroles_user_id_role_id_key UNIQUE (user_id, role_id);
    END IF;
END $$;
CREATE INDEX IF NOT EXISTS usersroles_role_id_idx ON usersroles (role_id);

-- login_histories: where from, which session; listed newest first per user.
ALTER TABLE login_histories ADD COLUMN IF NOT EXISTS ip text;
ALTER TABLE login_histories ADD COLUMN IF NOT EXISTS session_id uuid;
CREATE INDEX IF NOT EXISTS login_histories_user_id_authentication_date_idx
    ON login_histories (user_id, authentication_date DESC);

-- social_account: provider email and link time; one partition per built-in provider plus DEFAULT
-- (generic OIDC providers). A provider value already covered by some partition is left alone.
ALTER TABLE social_account ADD COLUMN IF NOT EXISTS email text;
ALTER TABLE social_account ADD COLUMN IF NOT EXISTS linked_at timestamp NOT NULL DEFAULT now();

DO $$
DECLARE
    provider text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_partitioned_table WHERE partrelid = 'social_account'::regclass) THEN
        RAISE NOTICE 'social_account is not partitioned; provider partitions not created';
        RETURN;
    END IF;
    FOREACH provider IN ARRAY ARRAY['yandex', 'google', 'vk', 'mail', 'github', 'facebook', 'twitter']
    LOOP
        IF NOT EXISTS (
            SELECT 1
              FROM pg_inherits AS i
              JOIN pg_class AS c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'social_account'::regclass
               AND pg_get_expr(c.relpartbound, c.oid) LIKE '%' || quote_literal(provider) || '%') THEN
            EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF social_account FOR VALUES IN (%L)',
                           'social_account_' || provider, provider);
        END IF;
    END LOOP;
    IF (SELECT partdefid FROM pg_partitioned_table
         WHERE partrelid = 'social_account'::regclass) = 0 THEN
        CREATE TABLE IF NOT EXISTS social_account_default PARTITION OF social_account DEFAULT;
    END IF;
END $$;
CREATE INDEX IF NOT EXISTS social_account_user_id_idx ON social_account (user_id);

-- Sessions (one per device/login); revoking one ends all its tokens.
CREATE TABLE IF NOT EXISTS auth_session (
    id uuid NOT NULL,
    user_id uuid NOT NULL,
    user_agent text,
    ip text,
    provider text,
    created_at timestamp NOT NULL,
    refreshed_at timestamp NOT NULL,
    expires_at timestamp NOT NULL,
    revoked_at timestamp,
    revoke_reason text,
    CONSTRAINT auth_session_pkey PRIMARY KEY (id),
    CONSTRAINT auth_session_user_id_fkey FOREIGN KEY (user_id) REFERENCES "user" (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS auth_session_user_id_active_idx
    ON auth_session (user_id) WHERE revoked_at IS NULL;

-- The durable revocation record: a Redis flush must resurrect nothing. Rows can be purged once
-- expires_at has passed.
CREATE TABLE IF NOT EXISTS revoked_token (
    jti uuid NOT NULL,
    session_id uuid,
    expires_at timestamp NOT NULL,
    revoked_at timestamp NOT NULL DEFAULT now(),
    CONSTRAINT revoked_token_pkey PRIMARY KEY (jti)
);
CREATE INDEX IF NOT EXISTS revoked_token_expires_at_idx ON revoked_token (expires_at);
CREATE INDEX IF NOT EXISTS revoked_token_session_id_idx ON revoked_token (session_id);

-- Security events (refresh-token reuse, ...). No foreign keys: the trail outlives users.
CREATE TABLE IF NOT EXISTS audit_event (
    id uuid NOT NULL,
    user_id uuid,
    session_id uuid,
    kind text NOT NULL,
    detail text,
    created_at timestamp NOT NULL DEFAULT now(),
    CONSTRAINT audit_event_pkey PRIMARY KEY (id)
);
CREATE INDEX IF NOT EXISTS audit_event_user_id_created_at_idx ON audit_event (user_id, created_at);
