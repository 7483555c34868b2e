-- 0007_user_changes: a durable feed of account changes that user caches must drop (roles granted
-- or taken, a role renamed or deleted, a credential event). Every instance reads it twice a second,
-- so a change is seen everywhere within a second even when Redis pub/sub lost the message (a failed
-- publish, a subscriber that was disconnected). user_id '*' means every user. Rows older than an
-- hour are deleted by maintenance.
CREATE TABLE IF NOT EXISTS auth_user_change (
    seq bigserial NOT NULL,
    user_id text NOT NULL,
    changed_at timestamp NOT NULL,
    CONSTRAINT auth_user_change_pkey PRIMARY KEY (seq)
);
CREATE INDEX IF NOT EXISTS auth_user_change_changed_at_idx ON auth_user_change (changed_at);
