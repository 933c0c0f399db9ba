-- Foundation: identity, organizations (the tenants), membership, invitations, API tokens,
-- the audit log and the job queue.
--
-- Tenant tables carry org_id, key on (org_id, id), reference each other through org_id and
-- are guarded by row-level security on the transaction-local setting app.org_id, which only
-- the server's tenant transaction sets. FORCE makes the policies bind the table owner too.

CREATE FUNCTION app_current_org() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.org_id', true), '')::uuid $$;

CREATE FUNCTION app_current_user() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT NULLIF(current_setting('app.user_id', true), '')::uuid $$;

-- People who sign in through OpenID Connect. Not tenant data: one person belongs to many
-- organizations. A row made by `wagent org create --owner-email` has no subject until that
-- person first signs in with a verified e-mail address.
CREATE TABLE users (
    id uuid PRIMARY KEY,
    issuer text,
    subject text,
    email text CHECK (length(email) <= 320),
    email_verified boolean NOT NULL DEFAULT false,
    name text CHECK (length(name) <= 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz,
    UNIQUE (issuer, subject),
    CHECK ((issuer IS NULL) = (subject IS NULL))
);
CREATE UNIQUE INDEX users_unclaimed_email ON users (lower(email)) WHERE subject IS NULL;
CREATE INDEX users_email ON users (lower(email));

CREATE TABLE organizations (
    id uuid PRIMARY KEY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE organizations ENABLE ROW LEVEL SECURITY;
ALTER TABLE organizations FORCE ROW LEVEL SECURITY;

CREATE TABLE memberships (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id);
ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;

-- A person may read their own memberships (to list their organizations) and the
-- organizations they belong to; every write stays inside the current organization.
CREATE POLICY memberships_tenant ON memberships
    USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());
CREATE POLICY memberships_own ON memberships FOR SELECT
    USING (user_id = app_current_user());
CREATE POLICY organizations_tenant ON organizations
    USING (id = app_current_org()) WITH CHECK (id = app_current_org());
CREATE POLICY organizations_own ON organizations FOR SELECT
    USING (id IN (SELECT org_id FROM memberships WHERE user_id = app_current_user()));

CREATE TABLE invitations (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    email text NOT NULL CHECK (length(email) <= 320),
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    token_hash bytea NOT NULL UNIQUE,
    invited_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by uuid REFERENCES users (id) ON DELETE SET NULL,
    revoked_at timestamptz,
    PRIMARY KEY (org_id, id)
);
ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY invitations_tenant ON invitations
    USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

CREATE TABLE api_tokens (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    created_by uuid REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    revoked_by uuid REFERENCES users (id) ON DELETE SET NULL,
    last_used_at timestamptz,
    PRIMARY KEY (org_id, id)
);
ALTER TABLE api_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE api_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY api_tokens_tenant ON api_tokens
    USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

CREATE TABLE audit_events (
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    id uuid NOT NULL,
    actor_user_id uuid REFERENCES users (id) ON DELETE SET NULL,
    actor_api_token_id uuid,
    action text NOT NULL,
    target_type text,
    target_id text,
    ip text,
    user_agent text CHECK (length(user_agent) <= 512),
    details jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (org_id, id),
    FOREIGN KEY (org_id, actor_api_token_id) REFERENCES api_tokens (org_id, id) ON DELETE SET NULL (actor_api_token_id)
);
ALTER TABLE audit_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_events FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_events_tenant ON audit_events
    USING (org_id = app_current_org()) WITH CHECK (org_id = app_current_org());

-- The job queue. Infrastructure, not tenant data: a payload holds references (ids), never
-- message content, and the handler opens a tenant transaction for the job's org_id.
CREATE TABLE jobs (
    id uuid PRIMARY KEY,
    kind text NOT NULL,
    org_id uuid,
    payload jsonb NOT NULL DEFAULT '{}',
    unique_key text,
    run_at timestamptz NOT NULL DEFAULT now(),
    attempts integer NOT NULL DEFAULT 0,
    max_attempts integer NOT NULL DEFAULT 10,
    locked_by text,
    locked_until timestamptz,
    last_error text,
    failed_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE failed_at IS NULL;
-- At most one waiting job per key; a running job may enqueue its own successor.
CREATE UNIQUE INDEX jobs_unique_waiting ON jobs (unique_key)
    WHERE unique_key IS NOT NULL AND locked_by IS NULL AND failed_at IS NULL;

-- Routes an outside identifier to the organization that owns it, for callers that arrive
-- without an organization: an API token id given to `wagent token revoke`, and later a
-- WhatsApp phone number id in a webhook. Holds identifiers only, no tenant content.
CREATE TABLE org_routes (
    kind text NOT NULL,
    key text NOT NULL,
    org_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    PRIMARY KEY (kind, key)
);
CREATE INDEX org_routes_org ON org_routes (org_id);
