-- 0008_denylist_doubt: the cluster-wide, durable record that the Redis denylist may lack a
-- revocation the database has (a denylist write failed after the durable one succeeded). An
-- instance whose write failed raises doubt_epoch; every instance reads the row twice a second and,
-- while doubt_epoch > cleared_epoch, answers revocation checks from the database and withdraws the
-- denylist's marker. A rebuild of the denylist that saw no new doubt during its snapshot publishes
-- the marker and records the epoch it cleared. Survives restarts, unlike a flag in one process.
CREATE TABLE IF NOT EXISTS auth_denylist_state (
    id integer NOT NULL,
    doubt_epoch bigint NOT NULL DEFAULT 0,
    cleared_epoch bigint NOT NULL DEFAULT 0,
    CONSTRAINT auth_denylist_state_pkey PRIMARY KEY (id),
    CONSTRAINT auth_denylist_state_one_row CHECK (id = 1)
);
INSERT INTO auth_denylist_state (id) VALUES (1) ON CONFLICT (id) DO NOTHING;
CREATE INDEX IF NOT EXISTS auth_session_revoked_at_idx ON auth_session (revoked_at);
CREATE INDEX IF NOT EXISTS revoked_token_revoked_at_idx ON revoked_token (revoked_at);
