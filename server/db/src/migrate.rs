//! Embedded SQL migrations, run as the owner role, and the grants that let the server's
//! role read and write rows (never own or alter tables).

use diesel::{
    QueryableByName,
    sql_types::{BigInt, Bool},
};
use diesel_async::{
    AsyncConnection, AsyncMigrationHarness, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection,
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::{Error, PgTarget};

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// Applies pending migrations as `owner`, then grants row access to `server_role`.
/// Returns the versions it applied.
pub async fn run(owner: &PgTarget, server_role: &str) -> Result<Vec<String>, Error> {
    let conn = AsyncPgConnection::establish(&owner.connection_string())
        .await
        .map_err(|e| Error::Connect(e.to_string()))?;
    let mut harness = AsyncMigrationHarness::new(conn);
    let applied = harness
        .run_pending_migrations(MIGRATIONS)
        .map_err(|e| Error::Setup(format!("migration failed: {e}")))?
        .into_iter()
        .map(|v| v.to_string())
        .collect();
    let mut conn = harness.into_inner();
    grant(&mut conn, server_role).await?;
    Ok(applied)
}

/// Versions not yet applied, as seen by a role that may only read the migrations table
/// (diesel's harness would try to create it).
pub async fn pending(target: &PgTarget) -> Result<Vec<String>, Error> {
    #[derive(QueryableByName)]
    struct Applied {
        #[diesel(sql_type = diesel::sql_types::Text)]
        version: String,
    }
    let mut conn = AsyncPgConnection::establish(&target.connection_string())
        .await
        .map_err(|e| Error::Connect(e.to_string()))?;
    let applied: Vec<Applied> = diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
        .load(&mut conn)
        .await
        .map_err(|e| Error::Setup(format!("cannot read applied migrations: {e}")))?;
    let embedded = diesel::migration::MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS)
        .map_err(|e| Error::Setup(e.to_string()))?;
    Ok(embedded
        .iter()
        .map(|m| m.name().version().to_string())
        .filter(|v| !applied.iter().any(|a| &a.version == v))
        .collect())
}

async fn grant(conn: &mut AsyncPgConnection, role: &str) -> Result<(), Error> {
    let role = quote_ident(role);
    conn.batch_execute(&format!(
        "GRANT USAGE ON SCHEMA public TO {role};
         GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
         GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
         GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {role};
         REVOKE INSERT, UPDATE, DELETE ON __diesel_schema_migrations FROM {role};
         REVOKE UPDATE ON audit_events FROM {role};"
    ))
    .await?;
    Ok(())
}

#[derive(QueryableByName)]
struct RoleFacts {
    #[diesel(sql_type = Bool)]
    superuser: bool,
    #[diesel(sql_type = Bool)]
    bypass_rls: bool,
    #[diesel(sql_type = BigInt)]
    owned_tables: i64,
    /// Roles that own tables and that this role is a member of, directly or through others.
    #[diesel(sql_type = diesel::sql_types::Text)]
    member_of_owners: String,
}

/// Refuses a server role that would make row-level security moot.
pub async fn check_server_role(target: &PgTarget) -> Result<(), Error> {
    let mut conn = AsyncPgConnection::establish(&target.connection_string())
        .await
        .map_err(|e| Error::Connect(e.to_string()))?;
    let facts: RoleFacts = diesel::sql_query(
        "SELECT r.rolsuper AS superuser, r.rolbypassrls AS bypass_rls,
                (SELECT count(*) FROM pg_class c
                  WHERE c.relowner = r.oid AND c.relkind IN ('r', 'p')
                    AND c.relnamespace = 'public'::regnamespace) AS owned_tables,
                (SELECT coalesce(string_agg(DISTINCT o.rolname::text, ', '), '')
                   FROM pg_class c JOIN pg_roles o ON o.oid = c.relowner
                  WHERE c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace
                    AND o.oid <> r.oid AND pg_has_role(r.oid, o.oid, 'MEMBER'))
                  AS member_of_owners
           FROM pg_roles r WHERE r.rolname = current_user",
    )
    .get_result(&mut conn)
    .await?;
    if facts.superuser || facts.bypass_rls || facts.owned_tables > 0 {
        return Err(Error::Setup(format!(
            "the server's database role `{}` must not be a superuser, have BYPASSRLS or own \
             tables (superuser: {}, bypassrls: {}, tables owned: {}); connect DATABASE_URL as a \
             plain role and run migrations as the owner (WAGENT_DATABASE_OWNER_URL)",
            target.user(),
            facts.superuser,
            facts.bypass_rls,
            facts.owned_tables
        )));
    }
    // A member of the owner can `SET ROLE` to it (or inherits its rights) and so act as the
    // table owner, e.g. ALTER TABLE ... DISABLE ROW LEVEL SECURITY.
    if !facts.member_of_owners.is_empty() {
        return Err(Error::Setup(format!(
            "the server's database role `{}` must not be a member of a role that owns tables \
             (member of: {}); revoke that membership",
            target.user(),
            facts.member_of_owners
        )));
    }
    Ok(())
}

fn quote_ident(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}
