-- 0006_tokens_valid_after: a per-user cut-off for tokens without a session (the original service's,
-- during an HS256 switch-over). A password change or "log out everywhere" sets it; such a token
-- issued before it is refused. Session-bound tokens end with their sessions.
ALTER TABLE "user" ADD COLUMN tokens_valid_after TEXT;
