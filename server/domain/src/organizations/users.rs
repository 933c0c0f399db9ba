//! People, as the identity provider describes them.

use chrono::{Duration, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use uuid::Uuid;
use wagent_db::{Conn, Scope, is_unique_violation, schema::users};

use crate::{CommonError, Domain, Result, User, values::EmailAddress};

/// The facts an access token gives about its holder.
#[derive(Debug, Clone)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
}

impl Domain {
    /// Finds or creates the user behind an access token, keeping name and e-mail current.
    ///
    /// A user made by `wagent org create --owner-email` is claimed by the first person who
    /// signs in with that address, if the identity provider has verified it.
    pub async fn sign_in(&self, identity: &Identity) -> Result<User> {
        let email = identity
            .email
            .as_deref()
            .and_then(|e| EmailAddress::parse(e).ok())
            .map(|e| e.as_str().to_owned());
        let name = identity
            .name
            .as_deref()
            .map(|n| n.trim().chars().take(200).collect::<String>());
        let verified = identity.email_verified && email.is_some();
        for _ in 0..2 {
            let result = self
                .tx(Scope::system(), async |c| {
                    upsert(c, identity, email.as_deref(), verified, name.as_deref()).await
                })
                .await;
            match result {
                Ok(user) => return Ok(user),
                // Two first requests raced to insert the same person: read the winner's row.
                Err(Upsert::Raced) => continue,
                Err(Upsert::Failed(e)) => return Err(e),
            }
        }
        Err(CommonError::internal("could not record the signed-in user"))
    }

    pub async fn users_by_ids(&self, ids: &[Uuid]) -> Result<Vec<User>> {
        let ids = ids.to_vec();
        self.tx(Scope::system(), async |c| {
            Ok(users::table
                .filter(users::id.eq_any(ids))
                .select(User::as_select())
                .load(c)
                .await?)
        })
        .await
    }
}

/// How recording a signed-in person failed.
enum Upsert {
    /// Another request inserted the same person first.
    Raced,
    Failed(CommonError),
}

impl From<diesel::result::Error> for Upsert {
    fn from(e: diesel::result::Error) -> Self {
        Self::Failed(e.into())
    }
}

impl From<wagent_db::Error> for Upsert {
    fn from(e: wagent_db::Error) -> Self {
        Self::Failed(e.into())
    }
}

async fn upsert(
    c: &mut Conn,
    identity: &Identity,
    email: Option<&str>,
    verified: bool,
    name: Option<&str>,
) -> Result<User, Upsert> {
    let existing: Option<(User, Option<chrono::DateTime<Utc>>)> = users::table
        .filter(users::issuer.eq(&identity.issuer))
        .filter(users::subject.eq(&identity.subject))
        .select((User::as_select(), users::last_seen_at))
        .first(c)
        .await
        .optional()?;
    let now = Utc::now();
    if let Some((user, last_seen)) = existing {
        let changed = user.email.as_deref() != email
            || user.email_verified != verified
            || user.name.as_deref() != name;
        let stale = last_seen.is_none_or(|t| now - t > Duration::minutes(5));
        if !changed && !stale {
            return Ok(user);
        }
        return Ok(diesel::update(users::table.filter(users::id.eq(user.id)))
            .set((
                users::email.eq(email),
                users::email_verified.eq(verified),
                users::name.eq(name),
                users::updated_at.eq(now),
                users::last_seen_at.eq(now),
            ))
            .returning(User::as_returning())
            .get_result(c)
            .await?);
    }
    if let (Some(email), true) = (email, verified) {
        let claimed = diesel::update(
            users::table.filter(users::subject.is_null()).filter(
                diesel::dsl::sql::<diesel::sql_types::Bool>("lower(email) = ")
                    .bind::<diesel::sql_types::Text, _>(email),
            ),
        )
        .set((
            users::issuer.eq(&identity.issuer),
            users::subject.eq(&identity.subject),
            users::email_verified.eq(true),
            users::name.eq(name),
            users::updated_at.eq(now),
            users::last_seen_at.eq(now),
        ))
        .returning(User::as_returning())
        .get_result(c)
        .await
        .optional()?;
        if let Some(user) = claimed {
            return Ok(user);
        }
    }
    let inserted = diesel::insert_into(users::table)
        .values((
            users::id.eq(Uuid::now_v7()),
            users::issuer.eq(&identity.issuer),
            users::subject.eq(&identity.subject),
            users::email.eq(email),
            users::email_verified.eq(verified),
            users::name.eq(name),
            users::last_seen_at.eq(now),
        ))
        .returning(User::as_returning())
        .get_result(c)
        .await;
    match inserted {
        Err(e) if is_unique_violation(&e) => Err(Upsert::Raced),
        other => Ok(other?),
    }
}

/// The user with this e-mail address, made (unclaimed) if nobody has it yet. For the CLI.
pub(crate) async fn user_for_email(c: &mut Conn, email: &EmailAddress) -> Result<User> {
    let found: Option<User> = users::table
        .filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(email) = ")
                .bind::<diesel::sql_types::Text, _>(email.as_str()),
        )
        .order(users::subject.is_null())
        .select(User::as_select())
        .first(c)
        .await
        .optional()?;
    if let Some(user) = found {
        return Ok(user);
    }
    Ok(diesel::insert_into(users::table)
        .values((
            users::id.eq(Uuid::now_v7()),
            users::email.eq(email.as_str()),
        ))
        .returning(User::as_returning())
        .get_result(c)
        .await?)
}
