-- 0007_user_changes: a durable feed of account changes that user caches must drop (roles granted
-- or taken, a role renamed or deleted, a credential event). user_id '*' means every user. Rows
-- older than an hour are deleted by maintenance.
CREATE TABLE auth_user_change (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    changed_at TEXT NOT NULL
) STRICT;
CREATE INDEX auth_user_change_changed_at_idx ON auth_user_change (changed_at);
