-- 0003_signing_keys: the JWS signing key ring, shared by every instance (SPEC 4).
-- PostgreSQL migration. One row per key: the active signer of an algorithm has retired_at NULL
-- (at most one per algorithm, enforced below, so two instances generating a first key at once
-- cannot both win); a retired key still verifies tokens until not_after, and is then deleted by
-- the next rotation. kid is the RFC 7638 thumbprint of the public key. Times are UTC.
-- HS256 deployments keep their secret in JWT_SECRET_KEY and never use this table.
CREATE TABLE IF NOT EXISTS signing_key (
    kid text NOT NULL,
    alg text NOT NULL,
    private_pem text NOT NULL,
    created_at timestamp NOT NULL,
    retired_at timestamp,
    not_after timestamp,
    CONSTRAINT signing_key_pkey PRIMARY KEY (kid),
    CONSTRAINT signing_key_alg_check CHECK (alg IN ('RS256', 'ES256', 'EdDSA')),
    CONSTRAINT signing_key_retirement_check CHECK ((retired_at IS NULL) = (not_after IS NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS signing_key_one_active_per_alg
    ON signing_key (alg) WHERE retired_at IS NULL;
