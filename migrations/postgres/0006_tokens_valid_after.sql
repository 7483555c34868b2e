-- 0006_tokens_valid_after: a per-user cut-off for tokens without a session (the original service's,
-- during an HS256 switch-over). A password change or "log out everywhere" sets it; such a token
-- issued before it is refused. Session-bound tokens end with their sessions. Nullable, so the
-- original service, which never names it, keeps inserting users unchanged.
ALTER TABLE "user" ADD COLUMN IF NOT EXISTS tokens_valid_after timestamp;
