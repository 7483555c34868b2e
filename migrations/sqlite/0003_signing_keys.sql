-- 0003_signing_keys: the JWS signing key ring, shared by every instance (SPEC 4), in SQLite.
-- One row per key: the active signer of an algorithm has retired_at NULL (at most one per
-- algorithm, enforced below); a retired key still verifies tokens until not_after, and is then
-- deleted by the next rotation. kid is the RFC 7638 thumbprint of the public key. Times are UTC.
-- HS256 deployments keep their secret in JWT_SECRET_KEY and never use this table.
CREATE TABLE signing_key (
    kid TEXT NOT NULL PRIMARY KEY,
    alg TEXT NOT NULL CHECK (alg IN ('RS256', 'ES256', 'EdDSA')),
    private_pem TEXT NOT NULL,
    created_at TEXT NOT NULL,
    retired_at TEXT,
    not_after TEXT,
    CHECK ((retired_at IS NULL) = (not_after IS NULL))
) STRICT;
CREATE UNIQUE INDEX signing_key_one_active_per_alg ON signing_key (alg) WHERE retired_at IS NULL;
