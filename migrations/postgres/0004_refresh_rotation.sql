-- 0004_refresh_rotation: the session row arbitrates refresh rotation. A refresh succeeds only for
-- the session's current refresh jti, swapped in one conditional UPDATE (the first use wins, on
-- every instance); the jti it replaced is kept with the time of the swap, so that a retry within
-- the grace window can be told apart from a reuse after it (theft).
ALTER TABLE auth_session ADD COLUMN IF NOT EXISTS refresh_jti uuid;
ALTER TABLE auth_session ADD COLUMN IF NOT EXISTS previous_refresh_jti uuid;
ALTER TABLE auth_session ADD COLUMN IF NOT EXISTS rotated_at timestamp;
