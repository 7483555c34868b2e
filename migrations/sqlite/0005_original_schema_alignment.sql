-- 0005_original_schema_alignment: the original service's column names and meanings, as the
-- PostgreSQL schema has them (one logical schema for both backends). Embedded databases created
-- before this release are converted in place: "password" becomes password_hash, is_active and
-- date_joined (the sign-up time, until now kept as created_at) are added.
ALTER TABLE "user" RENAME COLUMN password TO password_hash;
ALTER TABLE "user" ADD COLUMN is_active INTEGER NOT NULL DEFAULT 1 CHECK (is_active IN (0, 1));
ALTER TABLE "user" ADD COLUMN date_joined TEXT;
UPDATE "user" SET date_joined = created_at;

-- The trigger names created_at, which SQLite refuses to drop while it is named anywhere.
DROP TRIGGER user_defaults;
ALTER TABLE "user" DROP COLUMN created_at;
CREATE TRIGGER user_defaults AFTER INSERT ON "user"
WHEN NEW.email_canonical IS NULL
BEGIN
    UPDATE "user" SET email_canonical = lower(trim(email)) WHERE id = NEW.id;
END;

-- The original's user_agent is NOT NULL (an absent header is stored as '').
UPDATE login_histories SET user_agent = '' WHERE user_agent IS NULL;
