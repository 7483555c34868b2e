-- 0004_refresh_rotation: the session row arbitrates refresh rotation (see the PostgreSQL file).
ALTER TABLE auth_session ADD COLUMN refresh_jti TEXT;
ALTER TABLE auth_session ADD COLUMN previous_refresh_jti TEXT;
ALTER TABLE auth_session ADD COLUMN rotated_at TEXT;
