//! WhatsApp numbers and sending, in GraphQL.

use async_graphql::{Context, Enum, ID, InputObject, Object};
use wagent_domain::{
    Domain, Intent, Role,
    values::{LanguageTag, TemplateName},
    whatsapp::{Outgoing, TemplateCategory, TemplateStatus},
};

use crate::{
    GqlResult, guard,
    inbox::{MessageObject, PhoneNumberObject},
    parse_id,
};

#[derive(InputObject)]
struct ConnectWhatsAppInput {
    organization_id: ID,
    /// The WhatsApp Business Account id.
    waba_id: String,
    phone_number_id: String,
    /// A system user's access token; stored encrypted, never shown again.
    access_token: String,
}

#[derive(InputObject)]
struct CompleteEmbeddedSignupInput {
    organization_id: ID,
    /// The code from Meta's Embedded Signup (it expires 30 seconds after it is issued).
    code: String,
    waba_id: String,
    phone_number_id: String,
}

#[derive(InputObject)]
struct PhoneNumberRefInput {
    organization_id: ID,
    phone_number_id: ID,
}

/// A template to send, with the values of its body's parameters in order.
#[derive(InputObject)]
struct TemplateInput {
    name: String,
    /// Meta's language code, e.g. en_US or pt_BR (en-US is read as en_US).
    language: String,
    #[graphql(default)]
    body_parameters: Vec<String>,
}

#[derive(InputObject)]
struct SendMessageInput {
    organization_id: ID,
    conversation_id: ID,
    /// Free-form text: only while the 24-hour window is open.
    text: Option<String>,
    /// An approved template: any time.
    template: Option<TemplateInput>,
    /// Quote this message of the conversation.
    reply_to_message_id: Option<ID>,
}

#[derive(InputObject)]
struct ReactToMessageInput {
    organization_id: ID,
    conversation_id: ID,
    message_id: ID,
    /// An emoji; empty removes the reaction.
    emoji: String,
}

#[derive(InputObject)]
struct RetryMessageInput {
    organization_id: ID,
    /// A failed message sent from here.
    message_id: ID,
}

#[derive(Default)]
pub struct WhatsAppMutation;

fn domain<'a>(ctx: &'a Context<'_>) -> &'a Domain {
    ctx.data_unchecked::<Domain>()
}

#[Object]
impl WhatsAppMutation {
    /// Admin or Owner. Connects a number with its WABA id, phone number id and a system
    /// user's token; Meta is asked for the number first.
    async fn connect_whats_app(
        &self,
        ctx: &Context<'_>,
        input: ConnectWhatsAppInput,
    ) -> async_graphql::Result<PhoneNumberObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let n = domain(ctx)
            .connect_whatsapp(
                &access,
                &input.waba_id,
                &input.phone_number_id,
                &input.access_token,
                "manual",
            )
            .await
            .gql(ctx)?;
        Ok(PhoneNumberObject::new(n))
    }

    /// Admin or Owner. Finishes Embedded Signup: exchanges the code, subscribes the app to
    /// the WABA, registers the number and reads its details.
    async fn complete_embedded_signup(
        &self,
        ctx: &Context<'_>,
        input: CompleteEmbeddedSignupInput,
    ) -> async_graphql::Result<PhoneNumberObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let n = domain(ctx)
            .complete_embedded_signup(&access, &input.code, &input.waba_id, &input.phone_number_id)
            .await
            .gql(ctx)?;
        Ok(PhoneNumberObject::new(n))
    }

    /// Reads the number's name, quality, status and limits from Meta again.
    async fn refresh_phone_number(
        &self,
        ctx: &Context<'_>,
        input: PhoneNumberRefInput,
    ) -> async_graphql::Result<PhoneNumberObject> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        let id = parse_id(ctx, &input.phone_number_id, "phone number")?;
        let n = domain(ctx)
            .refresh_phone_number(&access, id)
            .await
            .gql(ctx)?;
        Ok(PhoneNumberObject::new(n))
    }

    /// Admin or Owner. Stops sending and receiving on the number; conversations stay.
    async fn disconnect_phone_number(
        &self,
        ctx: &Context<'_>,
        input: PhoneNumberRefInput,
    ) -> async_graphql::Result<PhoneNumberObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &input.phone_number_id, "phone number")?;
        let n = domain(ctx)
            .disconnect_phone_number(&access, id)
            .await
            .gql(ctx)?;
        Ok(PhoneNumberObject::new(n))
    }

    /// Any member. Queues a text (inside the 24-hour window) or a template (any time);
    /// its status moves PENDING → ACCEPTED → SENT → DELIVERED → READ, or FAILED with Meta's code.
    async fn send_message(
        &self,
        ctx: &Context<'_>,
        input: SendMessageInput,
    ) -> async_graphql::Result<MessageObject> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        let conversation = parse_id(ctx, &input.conversation_id, "conversation")?;
        let reply_to = input
            .reply_to_message_id
            .map(|id| parse_id(ctx, &id, "message"))
            .transpose()?;
        let outgoing = match (input.text, input.template) {
            (Some(body), None) => Outgoing::Text { body },
            (None, Some(t)) => Outgoing::Template {
                name: TemplateName::parse(&t.name).gql(ctx)?,
                language: LanguageTag::parse(&t.language).gql(ctx)?,
                body_parameters: t.body_parameters,
            },
            _ => {
                return Err(crate::to_gql(ctx, crate::InputError::TextOrTemplate));
            }
        };
        Ok(MessageObject::new(
            domain(ctx)
                .send_message(&access, conversation, outgoing, reply_to)
                .await
                .gql(ctx)?,
            access,
        ))
    }

    async fn react_to_message(
        &self,
        ctx: &Context<'_>,
        input: ReactToMessageInput,
    ) -> async_graphql::Result<MessageObject> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        let conversation = parse_id(ctx, &input.conversation_id, "conversation")?;
        let message_id = parse_id(ctx, &input.message_id, "message")?;
        if input.emoji.chars().count() > 8 {
            return Err(crate::to_gql(ctx, crate::InputError::NotOneEmoji));
        }
        let outgoing = Outgoing::Reaction {
            message_id,
            emoji: input.emoji,
        };
        Ok(MessageObject::new(
            domain(ctx)
                .send_message(&access, conversation, outgoing, None)
                .await
                .gql(ctx)?,
            access,
        ))
    }

    /// Member. Sends a failed message again (its status goes back to PENDING); the rules of a new
    /// send apply (the 24-hour window for anything but a template).
    async fn retry_message(
        &self,
        ctx: &Context<'_>,
        input: RetryMessageInput,
    ) -> async_graphql::Result<MessageObject> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        let message_id = parse_id(ctx, &input.message_id, "message")?;
        Ok(MessageObject::new(
            domain(ctx)
                .retry_message(&access, message_id)
                .await
                .gql(ctx)?,
            access,
        ))
    }
}

/// What a template is for, as Meta categorises (and prices) it.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "TemplateCategory")]
pub enum GqlTemplateCategory {
    Marketing,
    Utility,
    Authentication,
    /// A category Meta added after this server's version; never accepted as input.
    Other,
}

impl From<&TemplateCategory> for GqlTemplateCategory {
    fn from(c: &TemplateCategory) -> Self {
        match c {
            TemplateCategory::Marketing => Self::Marketing,
            TemplateCategory::Utility => Self::Utility,
            TemplateCategory::Authentication => Self::Authentication,
            TemplateCategory::Other(_) => Self::Other,
        }
    }
}

impl From<GqlTemplateCategory> for TemplateCategory {
    /// `OTHER` names no category: the domain refuses it.
    fn from(c: GqlTemplateCategory) -> Self {
        match c {
            GqlTemplateCategory::Marketing => Self::Marketing,
            GqlTemplateCategory::Utility => Self::Utility,
            GqlTemplateCategory::Authentication => Self::Authentication,
            GqlTemplateCategory::Other => Self::Other("OTHER".into()),
        }
    }
}

/// Where a template stands in Meta's review, as Meta last said; only APPROVED templates can
/// be sent.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "TemplateStatus")]
pub enum GqlTemplateStatus {
    Approved,
    /// In Meta's review.
    Pending,
    /// See `rejectedReason`.
    Rejected,
    Paused,
    Disabled,
    InAppeal,
    PendingDeletion,
    Deleted,
    /// Low quality: Meta may pause it next.
    Flagged,
    /// Approved again after a pause or a flag.
    Reinstated,
    LimitExceeded,
    Archived,
    Unarchived,
    Locked,
    /// A status Meta added after this server's version.
    Other,
}

impl From<&TemplateStatus> for GqlTemplateStatus {
    fn from(s: &TemplateStatus) -> Self {
        match s {
            TemplateStatus::Approved => Self::Approved,
            TemplateStatus::Pending => Self::Pending,
            TemplateStatus::Rejected => Self::Rejected,
            TemplateStatus::Paused => Self::Paused,
            TemplateStatus::Disabled => Self::Disabled,
            TemplateStatus::InAppeal => Self::InAppeal,
            TemplateStatus::PendingDeletion => Self::PendingDeletion,
            TemplateStatus::Deleted => Self::Deleted,
            TemplateStatus::Flagged => Self::Flagged,
            TemplateStatus::Reinstated => Self::Reinstated,
            TemplateStatus::LimitExceeded => Self::LimitExceeded,
            TemplateStatus::Archived => Self::Archived,
            TemplateStatus::Unarchived => Self::Unarchived,
            TemplateStatus::Locked => Self::Locked,
            TemplateStatus::Other(_) => Self::Other,
        }
    }
}

/// An approved (or pending, rejected...) message template.
pub struct TemplateObject(pub wagent_domain::whatsapp::Template);

#[Object(name = "MessageTemplate")]
impl TemplateObject {
    async fn id(&self) -> ID {
        self.0.id.into()
    }
    /// Lowercase letters, digits and underscores.
    async fn name(&self) -> &str {
        self.0.name.as_str()
    }
    /// Meta's language code, e.g. en_US.
    async fn language(&self) -> &str {
        self.0.language.as_str()
    }
    async fn category(&self) -> GqlTemplateCategory {
        (&self.0.category).into()
    }
    async fn status(&self) -> GqlTemplateStatus {
        (&self.0.status).into()
    }
    async fn quality_score(&self) -> Option<&str> {
        self.0.quality_score.as_deref()
    }
    async fn rejected_reason(&self) -> Option<&str> {
        self.0.rejected_reason.as_deref()
    }
    /// The body with its `{{1}}`-style placeholders.
    async fn body_text(&self) -> Option<String> {
        self.0.body_text()
    }
    /// How many body parameters a send must fill.
    async fn parameter_count(&self) -> usize {
        self.0.parameter_count()
    }
    async fn components(&self) -> async_graphql::Json<serde_json::Value> {
        async_graphql::Json(self.0.components.clone())
    }
    async fn updated_at(&self) -> chrono::DateTime<chrono::Utc> {
        self.0.updated_at
    }
}

/// A number's WhatsApp Business profile, read live from Meta.
#[derive(async_graphql::SimpleObject)]
pub struct BusinessProfile {
    about: Option<String>,
    address: Option<String>,
    description: Option<String>,
    email: Option<String>,
    vertical: Option<String>,
    websites: Vec<String>,
}

impl From<wagent_meta_types::BusinessProfile> for BusinessProfile {
    fn from(p: wagent_meta_types::BusinessProfile) -> Self {
        Self {
            about: p.about,
            address: p.address,
            description: p.description,
            email: p.email,
            vertical: p.vertical,
            websites: p.websites,
        }
    }
}

use wagent_domain::meta as wagent_meta_types;

#[derive(InputObject)]
struct TemplatesRefInput {
    organization_id: ID,
    phone_number_id: ID,
}

#[derive(InputObject)]
struct CreateTemplateInput {
    organization_id: ID,
    phone_number_id: ID,
    /// Lowercase letters, digits and underscores.
    name: String,
    /// Meta's language code, e.g. en_US or pt_BR (en-US is read as en_US).
    language: String,
    category: GqlTemplateCategory,
    /// With `{{1}}`, `{{2}}`... placeholders.
    body_text: String,
    /// One example value per placeholder, in order (Meta requires them).
    #[graphql(default)]
    body_examples: Vec<String>,
    header_text: Option<String>,
    footer_text: Option<String>,
}

#[derive(InputObject)]
struct DeleteTemplateInput {
    organization_id: ID,
    template_id: ID,
}

#[derive(InputObject)]
struct UpdateBusinessProfileInput {
    organization_id: ID,
    phone_number_id: ID,
    about: Option<String>,
    address: Option<String>,
    description: Option<String>,
    email: Option<String>,
    vertical: Option<String>,
    websites: Option<Vec<String>>,
}

#[derive(Default)]
pub struct TemplateMutation;

#[Object]
impl TemplateMutation {
    /// Reads the number's templates from Meta.
    async fn sync_templates(
        &self,
        ctx: &Context<'_>,
        input: TemplatesRefInput,
    ) -> async_graphql::Result<Vec<TemplateObject>> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        let id = parse_id(ctx, &input.phone_number_id, "phone number")?;
        Ok(domain(ctx)
            .sync_templates(&access, id)
            .await
            .gql(ctx)?
            .into_iter()
            .map(TemplateObject)
            .collect())
    }

    /// Admin or Owner. Submits a template for Meta's review.
    async fn create_template(
        &self,
        ctx: &Context<'_>,
        input: CreateTemplateInput,
    ) -> async_graphql::Result<TemplateObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &input.phone_number_id, "phone number")?;
        let draft = wagent_domain::whatsapp::TemplateDraft {
            name: TemplateName::parse(&input.name).gql(ctx)?,
            language: LanguageTag::parse(&input.language).gql(ctx)?,
            category: input.category.into(),
            body_text: input.body_text,
            body_examples: input.body_examples,
            header_text: input.header_text,
            footer_text: input.footer_text,
        };
        Ok(TemplateObject(
            domain(ctx)
                .create_template(&access, id, &draft)
                .await
                .gql(ctx)?,
        ))
    }

    /// Admin or Owner.
    async fn delete_template(
        &self,
        ctx: &Context<'_>,
        input: DeleteTemplateInput,
    ) -> async_graphql::Result<ID> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &input.template_id, "template")?;
        Ok(domain(ctx)
            .delete_template(&access, id)
            .await
            .gql(ctx)?
            .into())
    }

    /// Admin or Owner.
    async fn update_business_profile(
        &self,
        ctx: &Context<'_>,
        input: UpdateBusinessProfileInput,
    ) -> async_graphql::Result<BusinessProfile> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &input.phone_number_id, "phone number")?;
        let update = wagent_meta_types::BusinessProfileUpdate {
            about: input.about,
            address: input.address,
            description: input.description,
            email: input.email,
            vertical: input.vertical,
            websites: input.websites,
            profile_picture_handle: None,
        };
        Ok(domain(ctx)
            .update_business_profile(&access, id, &update)
            .await
            .gql(ctx)?
            .into())
    }
}
