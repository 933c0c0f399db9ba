use async_graphql::{Context, ID, Object};
use wagent_domain::{Domain, Intent, Role};

use crate::{
    GqlResult, caller, guard, parse_id,
    types::{InvitationPreviewObject, OrganizationObject, Viewer},
    whatsapp::BusinessProfile,
};

pub struct Query;

#[Object]
impl Query {
    /// The caller: a signed-in user or an API token.
    async fn viewer(&self, ctx: &Context<'_>) -> async_graphql::Result<Viewer> {
        Ok(Viewer(caller(ctx)?.clone()))
    }

    /// One organization the caller belongs to; NOT_FOUND otherwise.
    async fn organization(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<OrganizationObject> {
        let access = guard(ctx, &id, Role::Member, Intent::Read).await?;
        Ok(OrganizationObject::guarded(access))
    }

    /// A number's WhatsApp business profile, read live from Meta. A root field, never a field
    /// of a list row, and costly in complexity, so one query makes at most a few Meta calls.
    #[graphql(complexity = 1000)]
    async fn business_profile(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        phone_number_id: ID,
    ) -> async_graphql::Result<BusinessProfile> {
        let access = guard(ctx, &organization_id, Role::Member, Intent::Read).await?;
        let id = parse_id(ctx, &phone_number_id, "phone number")?;
        Ok(ctx
            .data_unchecked::<Domain>()
            .business_profile(&access, id)
            .await
            .gql(ctx)?
            .into())
    }

    /// Member. What a segment filter not yet saved matches now: its contact count and its
    /// newest `first` contacts (10 when not given, at most 50), for a segment builder's live
    /// count. Costs its contacts' complexity `first` times.
    #[graphql(complexity = "first.unwrap_or(10).clamp(1, 50) as usize * child_complexity")]
    async fn segment_preview(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        filter: crate::segments::SegmentFilterInput,
        first: Option<i32>,
    ) -> async_graphql::Result<crate::segments::SegmentPreviewObject> {
        crate::segments::preview(ctx, &organization_id, filter, first).await
    }

    /// What an invitation link offers, for its accept page (signed-in people only).
    async fn invitation(
        &self,
        ctx: &Context<'_>,
        token: String,
    ) -> async_graphql::Result<InvitationPreviewObject> {
        let caller = caller(ctx)?;
        let preview = ctx
            .data_unchecked::<Domain>()
            .invitation_preview(caller, &token)
            .await
            .gql(ctx)?;
        Ok(preview.into())
    }
}
