use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use wagent_domain::{Domain, Intent, Role};

use crate::{
    GqlResult, caller, guard, parse_id,
    types::{
        ApiTokenObject, GqlRole, InvitationObject, MemberObject, MembershipObject,
        OrganizationObject,
    },
};

/// Organizations, members, invitations and API tokens.
#[derive(Default)]
pub struct CoreMutation;

#[derive(InputObject)]
struct CreateOrganizationInput {
    name: String,
}

#[derive(InputObject)]
struct RenameOrganizationInput {
    organization_id: ID,
    name: String,
}

#[derive(InputObject)]
struct SetOrganizationTimeZoneInput {
    organization_id: ID,
    /// An IANA name, such as `America/Sao_Paulo` or `Europe/Lisbon`.
    time_zone: String,
}

#[derive(InputObject)]
struct SetOrganizationConsentKeywordsInput {
    organization_id: ID,
    /// Words that, sent alone, stop a customer's marketing messages: 1 to 50, each at most
    /// 40 characters. Compared without case, accents or punctuation around them.
    opt_out: Vec<String>,
    /// Words that, sent alone, resume them: 1 to 50, none also an opt-out word.
    opt_in: Vec<String>,
}

#[derive(InputObject)]
struct ResetOrganizationConsentKeywordsInput {
    organization_id: ID,
}

#[derive(InputObject)]
struct SetOrganizationDefaultCountryInput {
    organization_id: ID,
    /// ISO 3166 alpha-2 (`BR`); null for none.
    default_country: Option<String>,
}

#[derive(InputObject)]
struct InviteMemberInput {
    organization_id: ID,
    email: String,
    role: GqlRole,
}

#[derive(SimpleObject)]
struct InviteMemberPayload {
    invitation: InvitationObject,
    /// Shown once: the link to send to the invitee.
    accept_url: String,
}

#[derive(InputObject)]
struct RevokeInvitationInput {
    organization_id: ID,
    invitation_id: ID,
}

#[derive(InputObject)]
struct AcceptInvitationInput {
    token: String,
}

#[derive(InputObject)]
struct ChangeMemberRoleInput {
    organization_id: ID,
    user_id: ID,
    role: GqlRole,
}

#[derive(InputObject)]
struct RemoveMemberInput {
    organization_id: ID,
    user_id: ID,
}

#[derive(InputObject)]
struct LeaveOrganizationInput {
    organization_id: ID,
}

#[derive(InputObject)]
struct TransferOwnershipInput {
    organization_id: ID,
    user_id: ID,
}

#[derive(InputObject)]
struct CreateApiTokenInput {
    organization_id: ID,
    name: String,
    role: GqlRole,
    /// 1 to 365; 90 when not given.
    expires_in_days: Option<i32>,
}

#[derive(SimpleObject)]
struct CreateApiTokenPayload {
    api_token: ApiTokenObject,
    /// Shown once.
    token: String,
}

#[derive(InputObject)]
struct RevokeApiTokenInput {
    organization_id: ID,
    api_token_id: ID,
}

fn domain<'a>(ctx: &'a Context<'_>) -> &'a Domain {
    ctx.data_unchecked::<Domain>()
}

#[Object]
impl CoreMutation {
    /// Creates an organization with the signed-in user as its Owner.
    async fn create_organization(
        &self,
        ctx: &Context<'_>,
        input: CreateOrganizationInput,
    ) -> async_graphql::Result<OrganizationObject> {
        let caller = caller(ctx)?;
        let membership = domain(ctx)
            .create_organization(caller, &input.name)
            .await
            .gql(ctx)?;
        Ok(OrganizationObject::loaded(
            membership.access,
            membership.organization,
        ))
    }

    /// Admin or Owner.
    async fn rename_organization(
        &self,
        ctx: &Context<'_>,
        input: RenameOrganizationInput,
    ) -> async_graphql::Result<OrganizationObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let org = domain(ctx)
            .rename_organization(&access, &input.name)
            .await
            .gql(ctx)?;
        Ok(OrganizationObject::loaded(access, org))
    }

    /// Admin or Owner: the time zone that campaign schedules are read in.
    async fn set_organization_time_zone(
        &self,
        ctx: &Context<'_>,
        input: SetOrganizationTimeZoneInput,
    ) -> async_graphql::Result<OrganizationObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let org = domain(ctx)
            .set_organization_time_zone(&access, &input.time_zone)
            .await
            .gql(ctx)?;
        Ok(OrganizationObject::loaded(access, org))
    }

    /// Admin or Owner: the words that stop and resume a customer's marketing messages.
    async fn set_organization_consent_keywords(
        &self,
        ctx: &Context<'_>,
        input: SetOrganizationConsentKeywordsInput,
    ) -> async_graphql::Result<OrganizationObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let org = domain(ctx)
            .set_organization_consent_keywords(&access, &input.opt_out, &input.opt_in)
            .await
            .gql(ctx)?;
        Ok(OrganizationObject::loaded(access, org))
    }

    /// Admin or Owner: the consent keywords every organization starts with.
    async fn reset_organization_consent_keywords(
        &self,
        ctx: &Context<'_>,
        input: ResetOrganizationConsentKeywordsInput,
    ) -> async_graphql::Result<OrganizationObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let org = domain(ctx)
            .reset_organization_consent_keywords(&access)
            .await
            .gql(ctx)?;
        Ok(OrganizationObject::loaded(access, org))
    }

    /// Admin or Owner: the country a contact list's numbers without a country code are read
    /// in, when the import names none.
    async fn set_organization_default_country(
        &self,
        ctx: &Context<'_>,
        input: SetOrganizationDefaultCountryInput,
    ) -> async_graphql::Result<OrganizationObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let org = domain(ctx)
            .set_organization_default_country(&access, input.default_country.as_deref())
            .await
            .gql(ctx)?;
        Ok(OrganizationObject::loaded(access, org))
    }

    /// Admin or Owner; only an Owner invites Owners.
    async fn invite_member(
        &self,
        ctx: &Context<'_>,
        input: InviteMemberInput,
    ) -> async_graphql::Result<InviteMemberPayload> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let issued = domain(ctx)
            .invite_member(&access, &input.email, input.role.into())
            .await
            .gql(ctx)?;
        Ok(InviteMemberPayload {
            invitation: InvitationObject(issued.invitation),
            accept_url: issued.accept_url,
        })
    }

    /// Admin or Owner.
    async fn revoke_invitation(
        &self,
        ctx: &Context<'_>,
        input: RevokeInvitationInput,
    ) -> async_graphql::Result<InvitationObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &input.invitation_id, "invitation")?;
        Ok(InvitationObject(
            domain(ctx).revoke_invitation(&access, id).await.gql(ctx)?,
        ))
    }

    /// The signed-in user joins with the invited role; the invitation names their e-mail.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        input: AcceptInvitationInput,
    ) -> async_graphql::Result<MembershipObject> {
        let caller = caller(ctx)?;
        Ok(MembershipObject(
            domain(ctx)
                .accept_invitation(caller, &input.token)
                .await
                .gql(ctx)?,
        ))
    }

    /// Admin or Owner; only an Owner grants or removes the Owner role.
    async fn change_member_role(
        &self,
        ctx: &Context<'_>,
        input: ChangeMemberRoleInput,
    ) -> async_graphql::Result<MemberObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let user_id = parse_id(ctx, &input.user_id, "user")?;
        Ok(MemberObject(
            domain(ctx)
                .change_member_role(&access, user_id, input.role.into())
                .await
                .gql(ctx)?,
        ))
    }

    /// Admin or Owner; only an Owner removes an Owner. Returns the removed user's id.
    async fn remove_member(
        &self,
        ctx: &Context<'_>,
        input: RemoveMemberInput,
    ) -> async_graphql::Result<ID> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let user_id = parse_id(ctx, &input.user_id, "user")?;
        Ok(domain(ctx)
            .remove_member(&access, user_id)
            .await
            .gql(ctx)?
            .into())
    }

    /// Any member. Returns the organization's id.
    async fn leave_organization(
        &self,
        ctx: &Context<'_>,
        input: LeaveOrganizationInput,
    ) -> async_graphql::Result<ID> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        Ok(domain(ctx)
            .leave_organization(&access)
            .await
            .gql(ctx)?
            .into())
    }

    /// Owner: makes another member an Owner and the caller an Admin.
    async fn transfer_ownership(
        &self,
        ctx: &Context<'_>,
        input: TransferOwnershipInput,
    ) -> async_graphql::Result<OrganizationObject> {
        let access = guard(ctx, &input.organization_id, Role::Owner, Intent::Write).await?;
        let user_id = parse_id(ctx, &input.user_id, "user")?;
        domain(ctx)
            .transfer_ownership(&access, user_id)
            .await
            .gql(ctx)?;
        // The caller is an Admin now.
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Read).await?;
        Ok(OrganizationObject::guarded(access))
    }

    /// Admin or Owner; a token with the Owner role needs an Owner.
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        input: CreateApiTokenInput,
    ) -> async_graphql::Result<CreateApiTokenPayload> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let days = input.expires_in_days.map(i64::from);
        let issued = domain(ctx)
            .create_api_token(&access, &input.name, input.role.into(), days)
            .await
            .gql(ctx)?;
        Ok(CreateApiTokenPayload {
            api_token: ApiTokenObject(issued.api_token),
            token: issued.token,
        })
    }

    /// Admin or Owner.
    async fn revoke_api_token(
        &self,
        ctx: &Context<'_>,
        input: RevokeApiTokenInput,
    ) -> async_graphql::Result<ApiTokenObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &input.api_token_id, "API token")?;
        Ok(ApiTokenObject(
            domain(ctx).revoke_api_token(&access, id).await.gql(ctx)?,
        ))
    }
}
