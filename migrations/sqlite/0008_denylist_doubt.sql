-- 0008_denylist_doubt: the durable record that the denylist may lack a revocation the database has
-- (see the PostgreSQL migration). One row.
CREATE TABLE auth_denylist_state (
    id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    doubt_epoch INTEGER NOT NULL DEFAULT 0,
    cleared_epoch INTEGER NOT NULL DEFAULT 0
) STRICT;
INSERT INTO auth_denylist_state (id) VALUES (1);
CREATE INDEX auth_session_revoked_at_idx ON auth_session (revoked_at);
CREATE INDEX revoked_token_revoked_at_idx ON revoked_token (revoked_at);
