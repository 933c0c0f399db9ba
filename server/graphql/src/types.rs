//! GraphQL object types over the domain's models.

use async_graphql::{
    Context, Enum, ID, Json, Object, SimpleObject, connection::Connection, dataloader::DataLoader,
};
use chrono::{DateTime, Utc};
use tokio::sync::OnceCell;
use uuid::Uuid;
use wagent_domain::{
    Access, ApiToken, AuditEvent, Caller, Domain, Invitation, InvitationStatus, Member, Membership,
    Organization, Principal, Role, User, organizations::InvitationPreview,
};

use crate::{
    GqlResult, UserLoader,
    connection::{connection, parse_after},
    plain::{PlainJson, PlainObject, PlainSelection},
    require,
};

#[derive(Enum, Copy, Clone, Eq, PartialEq, Debug)]
#[graphql(name = "Role")]
pub enum GqlRole {
    Owner,
    Admin,
    Member,
}

impl From<Role> for GqlRole {
    fn from(r: Role) -> Self {
        match r {
            Role::Owner => GqlRole::Owner,
            Role::Admin => GqlRole::Admin,
            Role::Member => GqlRole::Member,
        }
    }
}

impl From<GqlRole> for Role {
    fn from(r: GqlRole) -> Self {
        match r {
            GqlRole::Owner => Role::Owner,
            GqlRole::Admin => Role::Admin,
            GqlRole::Member => Role::Member,
        }
    }
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
pub enum ViewerKind {
    User,
    ApiToken,
}

#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "InvitationStatus")]
pub enum GqlInvitationStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

impl From<InvitationStatus> for GqlInvitationStatus {
    fn from(s: InvitationStatus) -> Self {
        match s {
            InvitationStatus::Pending => Self::Pending,
            InvitationStatus::Accepted => Self::Accepted,
            InvitationStatus::Revoked => Self::Revoked,
            InvitationStatus::Expired => Self::Expired,
        }
    }
}

/// The caller: a signed-in user or an API token.
pub struct Viewer(pub Caller);

#[Object]
impl Viewer {
    async fn kind(&self) -> ViewerKind {
        match self.0.principal {
            Principal::ApiToken(_) => ViewerKind::ApiToken,
            _ => ViewerKind::User,
        }
    }

    /// The signed-in user; null for API tokens.
    async fn user(&self) -> Option<UserObject> {
        self.0.user().cloned().map(UserObject)
    }

    /// The API token in use; null for users.
    async fn api_token(&self) -> Option<ViewerApiToken> {
        match &self.0.principal {
            Principal::ApiToken(t) => Some(ViewerApiToken {
                id: t.id.into(),
                organization_id: t.org_id.into(),
                role: t.role.into(),
                read_only: !t.can_write,
                expires_at: t.expires_at,
            }),
            _ => None,
        }
    }

    /// Organizations the caller can act in, with its role in each.
    async fn memberships(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<MembershipObject>> {
        let memberships = ctx
            .data_unchecked::<Domain>()
            .memberships(&self.0)
            .await
            .gql(ctx)?;
        Ok(memberships.into_iter().map(MembershipObject).collect())
    }
}

#[derive(SimpleObject)]
pub struct ViewerApiToken {
    id: ID,
    organization_id: ID,
    role: GqlRole,
    /// True when the token was attenuated to `check if operation("read")`.
    read_only: bool,
    expires_at: DateTime<Utc>,
}

pub struct UserObject(pub User);

#[Object(name = "User", serial)]
impl UserObject {
    async fn id(&self) -> ID {
        self.0.id.into()
    }

    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }

    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
}

impl PlainObject for UserObject {
    fn plain_field(&self, name: &str, _: PlainSelection<'_>, out: &mut PlainJson) -> Option<()> {
        let u = &self.0;
        match name {
            "id" => out.value(&u.id),
            "name" => out.value(&u.name),
            "email" => out.value(&u.email),
            _ => return None,
        }
        Some(())
    }
}

pub struct MembershipObject(pub Membership);

#[Object(name = "Membership")]
impl MembershipObject {
    async fn organization(&self) -> OrganizationObject {
        OrganizationObject::loaded(self.0.access.clone(), self.0.organization.clone())
    }

    async fn role(&self) -> GqlRole {
        self.0.access.role().into()
    }
}

/// An organization, reached through a guard that checked the caller's role in it.
///
/// Its row is read only when a field needs it: the guard already proved the organization
/// exists, and the inbox asks for nothing but its id and conversations.
pub struct OrganizationObject {
    pub access: Access,
    org: OnceCell<Organization>,
}

impl OrganizationObject {
    /// An organization whose row the caller already holds.
    pub fn loaded(access: Access, org: Organization) -> Self {
        Self {
            access,
            org: OnceCell::new_with(Some(org)),
        }
    }

    /// An organization whose row is read when a field asks for it.
    pub fn guarded(access: Access) -> Self {
        Self {
            access,
            org: OnceCell::new(),
        }
    }

    async fn row(&self, ctx: &Context<'_>) -> async_graphql::Result<&Organization> {
        self.org
            .get_or_try_init(|| async {
                ctx.data_unchecked::<Domain>()
                    .organization(&self.access)
                    .await
                    .gql(ctx)
            })
            .await
    }
}

#[Object(name = "Organization")]
impl OrganizationObject {
    async fn id(&self) -> ID {
        self.access.org_id().into()
    }

    async fn name(&self, ctx: &Context<'_>) -> async_graphql::Result<&str> {
        Ok(&self.row(ctx).await?.name)
    }

    async fn created_at(&self, ctx: &Context<'_>) -> async_graphql::Result<DateTime<Utc>> {
        Ok(self.row(ctx).await?.created_at)
    }

    /// The IANA time zone that campaign schedules are read in (`America/Sao_Paulo`).
    async fn time_zone(&self, ctx: &Context<'_>) -> async_graphql::Result<&str> {
        Ok(&self.row(ctx).await?.time_zone)
    }

    /// ISO 3166 alpha-2 (`BR`): a contact list's numbers without a country code are read in
    /// it when the import names no country. Null: such numbers are tried as international.
    async fn default_country(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self.row(ctx).await?.default_country.as_deref())
    }

    /// Words that, sent alone, stop a customer's marketing messages.
    async fn opt_out_keywords(&self, ctx: &Context<'_>) -> async_graphql::Result<&[String]> {
        Ok(&self.row(ctx).await?.opt_out_keywords)
    }

    /// Words that, sent alone, resume a customer's marketing messages.
    async fn opt_in_keywords(&self, ctx: &Context<'_>) -> async_graphql::Result<&[String]> {
        Ok(&self.row(ctx).await?.opt_in_keywords)
    }

    /// The caller's role here.
    async fn viewer_role(&self) -> GqlRole {
        self.access.role().into()
    }

    async fn member_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        require(ctx, &self.access, Role::Member)?;
        ctx.data_unchecked::<Domain>()
            .member_count(&self.access)
            .await
            .gql(ctx)
    }

    #[graphql(complexity = "crate::connection::list_cost(first, child_complexity)")]
    async fn members(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, MemberObject>> {
        require(ctx, &self.access, Role::Member)?;
        let cursor = parse_after(ctx, after)?;
        let page = ctx
            .data_unchecked::<Domain>()
            .members(&self.access, first, cursor)
            .await
            .gql(ctx)?;
        Ok(connection(
            page,
            |m| m.user.id,
            MemberObject,
            cursor.is_some(),
        ))
    }

    /// Admin or Owner. Newest first.
    #[graphql(complexity = "crate::connection::list_cost(first, child_complexity)")]
    async fn invitations(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, InvitationObject>> {
        require(ctx, &self.access, Role::Admin)?;
        let cursor = parse_after(ctx, after)?;
        let page = ctx
            .data_unchecked::<Domain>()
            .invitations(&self.access, first, cursor)
            .await
            .gql(ctx)?;
        Ok(connection(
            page,
            |i| i.id,
            InvitationObject,
            cursor.is_some(),
        ))
    }

    /// Admin or Owner. Newest first.
    #[graphql(complexity = "crate::connection::list_cost(first, child_complexity)")]
    async fn api_tokens(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, ApiTokenObject>> {
        require(ctx, &self.access, Role::Admin)?;
        let cursor = parse_after(ctx, after)?;
        let page = ctx
            .data_unchecked::<Domain>()
            .api_tokens(&self.access, first, cursor)
            .await
            .gql(ctx)?;
        Ok(connection(page, |t| t.id, ApiTokenObject, cursor.is_some()))
    }

    /// The organization's WhatsApp numbers.
    async fn phone_numbers(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::inbox::PhoneNumberObject>> {
        require(ctx, &self.access, Role::Member)?;
        let numbers = ctx
            .data_unchecked::<Domain>()
            .phone_numbers(&self.access)
            .await
            .gql(ctx)?;
        Ok(numbers
            .into_iter()
            .map(crate::inbox::PhoneNumberObject::new)
            .collect())
    }

    /// Message templates of a number's account (all accounts when not given).
    async fn templates(
        &self,
        ctx: &Context<'_>,
        phone_number_id: Option<ID>,
    ) -> async_graphql::Result<Vec<crate::whatsapp::TemplateObject>> {
        require(ctx, &self.access, Role::Member)?;
        let number = phone_number_id
            .map(|id| crate::parse_id(ctx, &id, "phone number"))
            .transpose()?;
        let list = ctx
            .data_unchecked::<Domain>()
            .templates(&self.access, number)
            .await
            .gql(ctx)?;
        Ok(list
            .into_iter()
            .map(crate::whatsapp::TemplateObject)
            .collect())
    }

    /// The inbox, most recent activity first.
    #[graphql(complexity = "crate::connection::list_cost(first, child_complexity)")]
    async fn conversations(
        &self,
        ctx: &Context<'_>,
        filter: Option<crate::inbox::ConversationFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<crate::plain::PlainConnection<crate::inbox::ConversationObject>>
    {
        crate::inbox::conversations(ctx, &self.access, filter, first, after).await
    }

    /// The organization's contacts, newest first.
    #[graphql(complexity = "crate::connection::list_cost(first, child_complexity)")]
    async fn contacts(
        &self,
        ctx: &Context<'_>,
        filter: Option<crate::contacts::ContactFilterInput>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<crate::plain::PlainConnection<crate::contacts::ContactObject>> {
        crate::contacts::contacts(ctx, &self.access, filter, first, after).await
    }

    async fn contact(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<crate::contacts::ContactObject> {
        require(ctx, &self.access, Role::Member)?;
        let id = crate::parse_id(ctx, &id, "contact")?;
        let contact = ctx
            .data_unchecked::<Domain>()
            .contact(&self.access, id)
            .await
            .gql(ctx)?;
        Ok(crate::contacts::ContactObject::new(
            contact,
            self.access.clone(),
        ))
    }

    /// The organization's own contact fields, in the order they were defined.
    async fn contact_fields(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::contacts::ContactFieldObject>> {
        crate::contacts::contact_fields(ctx, &self.access).await
    }

    /// Saved filters over the contacts, by name (at most 100). Their `contactCount`s are
    /// counted together, in one scan of the contacts.
    async fn segments(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::segments::SegmentObject>> {
        crate::segments::segments(ctx, &self.access).await
    }

    async fn segment(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<crate::segments::SegmentObject> {
        crate::segments::segment(ctx, &self.access, &id).await
    }

    /// Admin. Contact lists uploaded for import, newest first; with `audiencesOnly`, the
    /// finished ones kept as a campaign audience (`asAudience`) only.
    #[graphql(complexity = "crate::connection::list_cost(first, child_complexity)")]
    async fn contact_imports(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        #[graphql(default = false)] audiences_only: bool,
    ) -> async_graphql::Result<
        async_graphql::connection::Connection<String, crate::imports::ContactImportObject>,
    > {
        crate::imports::contact_imports(ctx, &self.access, first, after, audiences_only).await
    }

    /// Broadcast campaigns, newest first.
    #[graphql(complexity = "crate::connection::list_cost(first, child_complexity)")]
    async fn campaigns(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<
        async_graphql::connection::Connection<String, crate::campaigns::CampaignObject>,
    > {
        crate::campaigns::campaigns(ctx, &self.access, first, after).await
    }

    /// One campaign.
    async fn campaign(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<crate::campaigns::CampaignObject> {
        crate::campaigns::campaign(ctx, &self.access, &id).await
    }

    /// Knowledge the AI agents answer from, newest first.
    async fn knowledge_sources(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::agents::KnowledgeSourceObject>> {
        crate::agents::knowledge_sources(ctx, &self.access).await
    }

    /// One knowledge source.
    async fn knowledge_source(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<crate::agents::KnowledgeSourceObject> {
        crate::agents::knowledge_source(ctx, &self.access, &id).await
    }

    /// The passages of the knowledge that best answer `question` (at most 20).
    async fn search_knowledge(
        &self,
        ctx: &Context<'_>,
        question: String,
        first: Option<i32>,
    ) -> async_graphql::Result<Vec<crate::agents::PassageObject>> {
        crate::agents::search_knowledge(ctx, &self.access, &question, first).await
    }

    /// AI agents, by name.
    async fn agents(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::agents::AgentObject>> {
        crate::agents::agents(ctx, &self.access).await
    }

    /// One AI agent.
    async fn agent(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<crate::agents::AgentObject> {
        crate::agents::agent(ctx, &self.access, &id).await
    }

    /// AI usage per month (the last 12): answers sent, tokens, estimated cost.
    async fn ai_usage(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::agents::AiUsageObject>> {
        crate::agents::ai_usage(ctx, &self.access).await
    }

    /// The placeholders a campaign with this template fills, in order.
    async fn template_placeholders(
        &self,
        ctx: &Context<'_>,
        template_id: ID,
    ) -> async_graphql::Result<Vec<crate::campaigns::GqlPlaceholder>> {
        crate::campaigns::template_placeholders(ctx, &self.access, &template_id).await
    }

    /// Admin. One contact import.
    async fn contact_import(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<crate::imports::ContactImportObject> {
        crate::imports::contact_import(ctx, &self.access, &id).await
    }

    async fn conversation(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<crate::inbox::ConversationObject> {
        require(ctx, &self.access, Role::Member)?;
        crate::inbox::conversation(ctx, &self.access, &id).await
    }

    /// Unread messages across the inbox.
    async fn unread_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        require(ctx, &self.access, Role::Member)?;
        ctx.data_unchecked::<Domain>()
            .unread_total(&self.access)
            .await
            .gql(ctx)
    }

    /// Member, people only. The caller's own notifications here, newest first (`first` ≤
    /// 100, default 20), only the unread ones with `unreadOnly`.
    async fn notifications(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: i32,
        #[graphql(default = false)] unread_only: bool,
    ) -> async_graphql::Result<Vec<crate::notifications::NotificationObject>> {
        require(ctx, &self.access, Role::Member)?;
        let list = ctx
            .data_unchecked::<Domain>()
            .notifications(&self.access, Some(first), unread_only)
            .await
            .gql(ctx)?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// Member, people only. How many of the caller's notifications here are unread, counted
    /// up to 100 (the bell shows "99+" beyond 99).
    async fn unread_notifications(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        require(ctx, &self.access, Role::Member)?;
        ctx.data_unchecked::<Domain>()
            .unread_notifications(&self.access)
            .await
            .gql(ctx)
    }

    async fn canned_responses(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::inbox::CannedResponseObject>> {
        require(ctx, &self.access, Role::Member)?;
        let list = ctx
            .data_unchecked::<Domain>()
            .canned_responses(&self.access)
            .await
            .gql(ctx)?;
        Ok(list.into_iter().map(Into::into).collect())
    }

    /// Admin or Owner. Newest first.
    #[graphql(complexity = "crate::connection::list_cost(first, child_complexity)")]
    async fn audit_log(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<Connection<String, AuditEventObject>> {
        require(ctx, &self.access, Role::Admin)?;
        let cursor = parse_after(ctx, after)?;
        let page = ctx
            .data_unchecked::<Domain>()
            .audit_log(&self.access, first, cursor)
            .await
            .gql(ctx)?;
        Ok(connection(
            page,
            |e| e.id,
            AuditEventObject,
            cursor.is_some(),
        ))
    }
}

pub(crate) async fn load_user(
    ctx: &Context<'_>,
    id: Option<Uuid>,
) -> async_graphql::Result<Option<UserObject>> {
    let Some(id) = id else { return Ok(None) };
    let user = ctx
        .data_unchecked::<DataLoader<UserLoader>>()
        .load_one(id)
        .await
        .map_err(|e| crate::to_gql(ctx, wagent_domain::CommonError::internal(e)))?;
    Ok(user.map(UserObject))
}

pub struct MemberObject(pub Member);

#[Object(name = "Member")]
impl MemberObject {
    async fn user(&self) -> UserObject {
        UserObject(self.0.user.clone())
    }

    async fn role(&self) -> GqlRole {
        self.0.role.into()
    }

    async fn joined_at(&self) -> DateTime<Utc> {
        self.0.joined_at
    }
}

pub struct InvitationObject(pub Invitation);

#[Object(name = "Invitation")]
impl InvitationObject {
    async fn id(&self) -> ID {
        self.0.id.into()
    }

    async fn email(&self) -> &str {
        &self.0.email
    }

    async fn role(&self) -> GqlRole {
        self.0.role.0.into()
    }

    async fn status(&self) -> GqlInvitationStatus {
        self.0.status(Utc::now()).into()
    }

    async fn invited_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserObject>> {
        load_user(ctx, self.0.invited_by).await
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }
}

#[derive(SimpleObject)]
#[graphql(name = "InvitationPreview")]
pub struct InvitationPreviewObject {
    organization_name: String,
    email: String,
    role: GqlRole,
    status: GqlInvitationStatus,
    expires_at: DateTime<Utc>,
}

impl From<InvitationPreview> for InvitationPreviewObject {
    fn from(p: InvitationPreview) -> Self {
        Self {
            organization_name: p.organization_name,
            email: p.email,
            role: p.role.into(),
            status: p.status.into(),
            expires_at: p.expires_at,
        }
    }
}

pub struct ApiTokenObject(pub ApiToken);

#[Object(name = "ApiToken")]
impl ApiTokenObject {
    async fn id(&self) -> ID {
        self.0.id.into()
    }

    async fn name(&self) -> &str {
        &self.0.name
    }

    async fn role(&self) -> GqlRole {
        self.0.role.0.into()
    }

    async fn created_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserObject>> {
        load_user(ctx, self.0.created_by).await
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    async fn expires_at(&self) -> DateTime<Utc> {
        self.0.expires_at
    }

    async fn revoked_at(&self) -> Option<DateTime<Utc>> {
        self.0.revoked_at
    }

    async fn last_used_at(&self) -> Option<DateTime<Utc>> {
        self.0.last_used_at
    }
}

pub struct AuditEventObject(pub AuditEvent);

#[Object(name = "AuditEvent")]
impl AuditEventObject {
    async fn id(&self) -> ID {
        self.0.id.into()
    }

    /// e.g. `member.invited`, `api_token.revoked`.
    async fn action(&self) -> &str {
        &self.0.action
    }

    /// The person who acted; null for API tokens and the operator's CLI.
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<UserObject>> {
        load_user(ctx, self.0.actor_user_id).await
    }

    async fn actor_api_token_id(&self) -> Option<ID> {
        self.0.actor_api_token_id.map(Into::into)
    }

    async fn target_type(&self) -> Option<&str> {
        self.0.target_type.as_deref()
    }

    async fn target_id(&self) -> Option<&str> {
        self.0.target_id.as_deref()
    }

    async fn ip(&self) -> Option<&str> {
        self.0.ip.as_deref()
    }

    async fn user_agent(&self) -> Option<&str> {
        self.0.user_agent.as_deref()
    }

    async fn details(&self) -> Json<serde_json::Value> {
        Json(self.0.details.clone())
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}
