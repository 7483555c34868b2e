-- 0005_original_schema_alignment: one schema, whatever the database's history, that the original
-- service can keep using during a switch-over.
-- PostgreSQL migration. Three histories meet here: a database the original service created (adopted:
-- 0001 recorded, 0002-0004 run), a fresh one (0001-0004 run), and one created by an earlier release
-- of this service, whose 0001 was written from memory instead of from the original ("password" for
-- password_hash, no is_active or date_joined, bounded varchars, ON DELETE CASCADE, ...). The last
-- kind is converted to the original's shape first; then all three get the same changes.
-- Nothing the original service reads or writes is renamed or dropped; what it does not know has a
-- default or is nullable.

DO $$
DECLARE
    fk record;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                    WHERE table_schema = current_schema() AND table_name = 'user'
                      AND column_name = 'password') THEN
        RETURN;
    END IF;
    ALTER TABLE "user" RENAME COLUMN password TO password_hash;
    ALTER TABLE "user" ADD COLUMN is_active boolean NOT NULL DEFAULT true;
    ALTER TABLE "user" ALTER COLUMN is_active DROP DEFAULT;
    ALTER TABLE "user" ADD COLUMN date_joined timestamp without time zone;
    -- (A column named by a trigger cannot change type: 0002's trigger goes and comes back.)
    DROP TRIGGER user_email_canonical ON "user";
    ALTER TABLE "user" ALTER COLUMN is_superuser DROP DEFAULT,
                       ALTER COLUMN email TYPE character varying,
                       ALTER COLUMN password_hash TYPE character varying;
    CREATE TRIGGER user_email_canonical BEFORE INSERT OR UPDATE OF email ON "user"
        FOR EACH ROW EXECUTE FUNCTION auth_user_email_canonical();
    ALTER TABLE profile ALTER COLUMN user_id DROP NOT NULL,
                        ALTER COLUMN first_name TYPE character varying,
                        ALTER COLUMN last_name TYPE character varying,
                        ALTER COLUMN phone TYPE character varying;
    UPDATE login_histories SET user_agent = '' WHERE user_agent IS NULL;
    ALTER TABLE login_histories ALTER COLUMN user_id DROP NOT NULL,
                                ALTER COLUMN user_agent TYPE character varying,
                                ALTER COLUMN user_agent SET NOT NULL,
                                ALTER COLUMN authentication_date DROP DEFAULT;
    ALTER TABLE role ALTER COLUMN name TYPE character varying,
                     ALTER COLUMN description TYPE character varying;
    -- The original's foreign keys have no ON DELETE action.
    FOR fk IN
        SELECT c.conrelid::regclass AS tbl, c.conname, pg_get_constraintdef(c.oid) AS def
          FROM pg_constraint AS c
         WHERE c.contype = 'f' AND c.confdeltype = 'c' AND c.conparentid = 0
           AND c.conname IN ('profile_user_id_fkey', 'login_histories_user_id_fkey',
                             'usersroles_user_id_fkey', 'usersroles_role_id_fkey',
                             'social_account_user_id_fkey')
    LOOP
        EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I', fk.tbl, fk.conname);
        EXECUTE format('ALTER TABLE %s ADD CONSTRAINT %I %s', fk.tbl, fk.conname,
                       replace(fk.def, ' ON DELETE CASCADE', ''));
    END LOOP;
END $$;

-- "user": the original's date_joined is the sign-up time (0002's created_at said the same and goes).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'user'
                  AND column_name = 'created_at') THEN
        UPDATE "user" SET date_joined = created_at WHERE date_joined IS NULL;
        ALTER TABLE "user" DROP COLUMN created_at;
    END IF;
END $$;

-- usersroles: several roles per user (SPEC 5); 0002 made (user_id, role_id) unique.
ALTER TABLE usersroles DROP CONSTRAINT IF EXISTS usersroles_user_id_key;

-- social_account: one link per provider account. The original did not enforce it, so a database
-- holding the same provider account twice is refused with the count, before anything changes.
DO $$
DECLARE
    clashes bigint;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_constraint
                WHERE conrelid = 'social_account'::regclass
                  AND conname = 'social_account_social_id_social_name_key') THEN
        RETURN;
    END IF;
    SELECT count(*) INTO clashes
      FROM (SELECT 1 FROM social_account GROUP BY social_name, social_id HAVING count(*) > 1) AS g;
    IF clashes > 0 THEN
        RAISE EXCEPTION '% social account(s) are linked more than once; keep one link each, then run the upgrade again', clashes;
    END IF;
    ALTER TABLE social_account
        ADD CONSTRAINT social_account_social_id_social_name_key UNIQUE (social_id, social_name);
END $$;
