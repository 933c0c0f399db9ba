//! WAgent's GraphQL schema: queries, mutations and subscriptions over the domain.
//!
//! Every resolver that touches an organization starts with [`guard`], naming the role it
//! needs. Errors of every area are [`Problem`]s and carry their stable `extensions.code`
//! ([`to_gql`]); internal causes go to the log with the request id and never to the caller.

mod agents;
mod api;
mod campaigns;
mod connection;
mod contacts;
mod imports;
mod inbox;
mod mutation;
mod notifications;
mod plain;
mod query;
mod segments;
mod subscription;
mod types;
mod whatsapp;

use std::{collections::HashMap, sync::Arc};

use async_graphql::{
    Context, ErrorExtensions, ID, Schema, SchemaBuilder, ValidationMode,
    dataloader::{DataLoader, Loader},
};
use uuid::Uuid;
use wagent_domain::{Access, Bus, Caller, Code, CommonError, Domain, Intent, Problem, Role, User};

pub use async_graphql;

/// The raw-JSON splice, public for the crate's own tests (`tests/plain.rs`).
#[doc(hidden)]
pub use crate::plain::{RawJson, document_repeats_a_key};
pub use crate::{
    api::{Api, JsonAnswer},
    query::Query,
    subscription::Subscription,
};

/// Every mutation, grouped by area.
#[derive(async_graphql::MergedObject, Default)]
pub struct Mutation(
    mutation::CoreMutation,
    inbox::InboxMutation,
    contacts::ContactsMutation,
    imports::ImportsMutation,
    campaigns::CampaignsMutation,
    segments::SegmentsMutation,
    notifications::NotificationsMutation,
    whatsapp::WhatsAppMutation,
    whatsapp::TemplateMutation,
    agents::AgentsMutation,
);

pub type WagentSchema = Schema<Query, Mutation, Subscription>;

/// The id of the HTTP request or websocket message being served, for correlating logs.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Builds the schema with its limits. The transport adds the [`Caller`] to each request.
pub fn schema(domain: Domain, bus: Bus) -> Api {
    let build = |mode| {
        builder()
            .validation_mode(mode)
            .data(DataLoader::new(UserLoader(domain.clone()), tokio::spawn))
            .data(domain.clone())
            .data(bus.clone())
            .finish()
    };
    Api::new(build(ValidationMode::Strict), build(ValidationMode::Fast))
}

/// The schema's shape without data, for `wagent schema`.
pub fn sdl() -> String {
    builder().finish().sdl()
}

fn builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    Schema::build(Query, Mutation::default(), Subscription)
        .limit_depth(12)
        .limit_complexity(5000)
        .limit_recursive_depth(32)
        .limit_directives(20)
}

/// The caller, or `UNAUTHENTICATED`.
pub(crate) fn caller<'a>(ctx: &'a Context<'_>) -> async_graphql::Result<&'a Caller> {
    ctx.data_opt::<Caller>()
        .ok_or_else(|| to_gql(ctx, CommonError::Unauthenticated))
}

/// The guard every organization-scoped resolver starts with.
pub(crate) async fn guard(
    ctx: &Context<'_>,
    org_id: &ID,
    needed: Role,
    intent: Intent,
) -> async_graphql::Result<Access> {
    let caller = caller(ctx)?;
    let org_id = parse_id(ctx, org_id, "organization")?;
    ctx.data_unchecked::<Domain>()
        .authorize(caller, org_id, needed, intent)
        .await
        .map_err(|e| to_gql(ctx, e))
}

/// For fields under an organization already guarded: the stricter role a field needs.
pub(crate) fn require(
    ctx: &Context<'_>,
    access: &Access,
    needed: Role,
) -> async_graphql::Result<()> {
    if access.role().at_least(needed) {
        Ok(())
    } else if needed == Role::Owner {
        Err(to_gql(ctx, InputError::OwnerOnlyField))
    } else {
        Err(to_gql(ctx, CommonError::RoleNeeded(Role::Admin)))
    }
}

pub(crate) fn parse_id(ctx: &Context<'_>, id: &ID, what: &str) -> async_graphql::Result<Uuid> {
    Uuid::parse_str(id.as_str()).map_err(|_| {
        to_gql(
            ctx,
            InputError::NotAnId {
                id: id.as_str().to_owned(),
                what: what.to_owned(),
            },
        )
    })
}

/// What the schema refuses before the domain is asked.
#[derive(Debug, thiserror::Error)]
pub(crate) enum InputError {
    #[error("`{id}` is not a valid {what} id")]
    NotAnId { id: String, what: String },
    #[error("send either `text` or `template`")]
    TextOrTemplate,
    #[error("a reaction is one emoji")]
    NotOneEmoji,
    #[error("only an Owner of this organization can see this")]
    OwnerOnlyField,
    #[error("filter on at most 20 tags")]
    TooManyTags,
    #[error("the {0} is counted from 1")]
    CountedFromOne(&'static str),
    #[error("the delimiter is one character")]
    OneCharacterDelimiter,
    #[error("map at most 200 columns")]
    TooManyColumns,
    #[error("this schedule needs {0}")]
    ScheduleNeeds(&'static str),
    #[error("too many items in one list of the input")]
    TooManyItems,
}

impl Problem for InputError {
    fn code(&self) -> Code {
        match self {
            Self::NotAnId { .. }
            | Self::TextOrTemplate
            | Self::NotOneEmoji
            | Self::TooManyTags
            | Self::CountedFromOne(_)
            | Self::OneCharacterDelimiter
            | Self::TooManyColumns
            | Self::ScheduleNeeds(_)
            | Self::TooManyItems => Code::Validation,
            Self::OwnerOnlyField => Code::Forbidden,
        }
    }
}

/// Any area's error as a GraphQL error with its stable code; an internal cause is logged with
/// the request id, which the caller gets instead.
pub(crate) fn to_gql(ctx: &Context<'_>, e: impl Problem) -> async_graphql::Error {
    let request_id = ctx
        .data_opt::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let code = e.code();
    if code == Code::Internal {
        tracing::error!(request_id = %request_id, error = %e.internal_cause(), "internal error");
    }
    async_graphql::Error::new(e.to_string()).extend_with(|_, ext| {
        ext.set("code", code.as_str());
        if code == Code::Internal {
            ext.set("requestId", request_id.clone());
        }
    })
}

/// `.gql(ctx)?` on a domain result.
pub(crate) trait GqlResult<T> {
    fn gql(self, ctx: &Context<'_>) -> async_graphql::Result<T>;
}

impl<T, E: Problem> GqlResult<T> for Result<T, E> {
    fn gql(self, ctx: &Context<'_>) -> async_graphql::Result<T> {
        self.map_err(|e| to_gql(ctx, e))
    }
}

/// Batches the users that lists refer to (inviters, token creators, audit actors).
pub struct UserLoader(Domain);

impl Loader<Uuid> for UserLoader {
    type Value = User;
    type Error = Arc<String>;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, User>, Self::Error> {
        let users = self
            .0
            .users_by_ids(keys)
            .await
            .map_err(|e| Arc::new(format!("{e:?}")))?;
        Ok(users.into_iter().map(|u| (u.id, u)).collect())
    }
}
