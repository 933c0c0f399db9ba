//! Contacts in GraphQL: the contact a business keeps, the contact list, and consent.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Json, MaybeUndefined, Object};
use chrono::{DateTime, Utc};
use uuid::Uuid;
use wagent_domain::{
    Access, Domain, Intent, Role,
    contacts::{
        ConsentEvent, Contact, ContactCard, ContactChanges, ContactField, ContactFilter, FieldKind,
        Marketing,
    },
    inbox::TimeCursor,
};

use crate::{
    GqlResult,
    connection::WholeRows,
    guard, parse_id,
    plain::{PlainConnection, PlainJson, PlainObject, PlainSelection},
    require,
    types::load_user,
};

/// Where a contact stands on marketing messages. Campaigns never reach OPTED_OUT.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "MarketingConsent",
    remote = "wagent_domain::contacts::Marketing"
)]
pub enum GqlMarketing {
    /// Neither the customer nor the business has said.
    Unknown,
    OptedIn,
    OptedOut,
}

/// A customer of the organization: what WhatsApp tells and what the business keeps.
#[derive(Clone)]
pub struct ContactObject {
    contact: ContactRow,
    /// The organization the request was authorized for, for the fields that query.
    pub access: Access,
}

/// A contact as read: whole, or as a page of conversations read it (who the customer is),
/// the page's contacts then read whole together when a row is asked for anything else.
#[derive(Clone)]
enum ContactRow {
    Whole(Box<Contact>),
    Card(ContactCard, Arc<WholeRows<Contact>>),
}

impl ContactRow {
    fn id(&self) -> Uuid {
        match self {
            Self::Whole(c) => c.id,
            Self::Card(c, _) => c.id,
        }
    }

    /// The phone number (Meta's wa_id).
    fn phone(&self) -> Option<&str> {
        match self {
            Self::Whole(c) => c.wa_id.as_deref(),
            Self::Card(c, _) => c.wa_id.as_deref(),
        }
    }

    fn user_id(&self) -> Option<&str> {
        match self {
            Self::Whole(c) => c.user_id.as_deref(),
            Self::Card(c, _) => c.user_id.as_deref(),
        }
    }

    fn profile_name(&self) -> Option<&str> {
        match self {
            Self::Whole(c) => c.profile_name.as_deref(),
            Self::Card(c, _) => c.profile_name.as_deref(),
        }
    }

    fn username(&self) -> Option<&str> {
        match self {
            Self::Whole(c) => c.username.as_deref(),
            Self::Card(c, _) => c.username.as_deref(),
        }
    }

    fn name(&self) -> Option<&str> {
        match self {
            Self::Whole(c) => c.name.as_deref(),
            Self::Card(c, _) => c.name.as_deref(),
        }
    }

    /// `Contact.waId`: the phone number, else the user id.
    fn wa_id(&self) -> &str {
        self.phone().or(self.user_id()).unwrap_or_default()
    }

    /// `name`, else `profileName`.
    fn display_name(&self) -> Option<&str> {
        self.name().or(self.profile_name())
    }
}

impl ContactObject {
    pub fn new(contact: Contact, access: Access) -> Self {
        Self {
            contact: ContactRow::Whole(Box::new(contact)),
            access,
        }
    }

    /// A row of a page of conversations, whose other contacts are in `page`.
    pub(crate) fn card(card: ContactCard, page: Arc<WholeRows<Contact>>, access: Access) -> Self {
        Self {
            contact: ContactRow::Card(card, page),
            access,
        }
    }

    /// The whole contact; for a page's row, the page's contacts are read on first need.
    async fn whole(&self, ctx: &Context<'_>) -> async_graphql::Result<&Contact> {
        match &self.contact {
            ContactRow::Whole(c) => Ok(c),
            ContactRow::Card(card, page) => {
                page.get(
                    ctx,
                    card.id,
                    "contact",
                    |c| c.id,
                    async |ids| {
                        ctx.data_unchecked::<Domain>()
                            .contacts_by_ids(page.access(), &ids)
                            .await
                    },
                )
                .await
            }
        }
    }
}

#[Object(name = "Contact", serial)]
impl ContactObject {
    async fn id(&self) -> ID {
        self.contact.id().into()
    }
    /// The customer's WhatsApp id: their phone number, else their business-scoped user id
    /// (prefer `phone` and `userId`: a customer may have no phone number).
    async fn wa_id(&self) -> &str {
        self.contact.wa_id()
    }
    /// The customer's phone number (Meta's wa_id); none for a customer known only by user id.
    async fn phone(&self) -> Option<&str> {
        self.contact.phone()
    }
    /// Meta's business-scoped user id (e.g. `BR.1520436779021845`), when Meta sent one.
    async fn user_id(&self) -> Option<&str> {
        self.contact.user_id()
    }
    /// The customer's WhatsApp username, when they have one.
    async fn username(&self) -> Option<&str> {
        self.contact.username()
    }
    /// The name the customer gave themselves on WhatsApp.
    async fn profile_name(&self) -> Option<&str> {
        self.contact.profile_name()
    }
    async fn created_at(&self, ctx: &Context<'_>) -> async_graphql::Result<DateTime<Utc>> {
        Ok(self.whole(ctx).await?.created_at)
    }
    /// The name the business gave the contact.
    async fn name(&self) -> Option<&str> {
        self.contact.name()
    }
    /// `name`, else `profileName`.
    async fn display_name(&self) -> Option<&str> {
        self.contact.display_name()
    }
    async fn email(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self.whole(ctx).await?.email.as_deref())
    }
    /// The language to write to the customer in (`pt_BR`, `es`), when known.
    async fn language(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self.whole(ctx).await?.language.as_deref())
    }
    /// ISO 3166 country code, from the number unless set by hand.
    async fn country(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self.whole(ctx).await?.country.as_deref())
    }
    /// IANA time zone (`America/Sao_Paulo`), from the country unless set by hand.
    async fn time_zone(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self.whole(ctx).await?.time_zone.as_deref())
    }
    /// Lower-case tags; a group of contacts is a tag.
    async fn tags(&self, ctx: &Context<'_>) -> async_graphql::Result<&[String]> {
        Ok(&self.whole(ctx).await?.tags)
    }
    /// Values of the organization's contact fields, by key.
    async fn fields(&self, ctx: &Context<'_>) -> async_graphql::Result<Json<serde_json::Value>> {
        Ok(Json(self.whole(ctx).await?.fields.clone()))
    }
    async fn marketing(&self, ctx: &Context<'_>) -> async_graphql::Result<GqlMarketing> {
        Ok(self.whole(ctx).await?.marketing.into())
    }
    /// Where the current consent came from: keyword, meta, manual, import or api; none
    /// while UNKNOWN.
    async fn marketing_source(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<&str>> {
        Ok(self.whole(ctx).await?.marketing_source.as_deref())
    }
    async fn marketing_changed_at(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<DateTime<Utc>>> {
        Ok(self.whole(ctx).await?.marketing_at)
    }
    /// When the customer last wrote.
    async fn last_inbound_at(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<DateTime<Utc>>> {
        Ok(self.whole(ctx).await?.last_inbound_at)
    }
    /// When the business last wrote to the customer.
    async fn last_outbound_at(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<DateTime<Utc>>> {
        Ok(self.whole(ctx).await?.last_outbound_at)
    }
    /// Every change of the contact's consent, newest first (at most 100). Read per contact,
    /// so costly in complexity: ask for it on one contact, not on a list.
    #[graphql(complexity = 1000)]
    async fn consent_history(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<ConsentEventObject>> {
        let events = Box::pin(
            ctx.data_unchecked::<Domain>()
                .consent_history(&self.access, self.contact.id()),
        )
        .await
        .gql(ctx)?;
        Ok(events.into_iter().map(ConsentEventObject).collect())
    }
}

impl PlainObject for ContactObject {
    fn plain_field(&self, name: &str, _: PlainSelection<'_>, out: &mut PlainJson) -> Option<()> {
        let row = &self.contact;
        match name {
            "id" => out.value(&row.id()),
            "waId" => out.value(row.wa_id()),
            "phone" => out.value(&row.phone()),
            "userId" => out.value(&row.user_id()),
            "username" => out.value(&row.username()),
            "profileName" => out.value(&row.profile_name()),
            "name" => out.value(&row.name()),
            "displayName" => out.value(&row.display_name()),
            _ => {
                // The rest only a whole contact holds; a page's card goes through the
                // resolvers, which read the page's contacts.
                let ContactRow::Whole(c) = row else {
                    return None;
                };
                match name {
                    "createdAt" => out.value(&c.created_at),
                    "email" => out.value(&c.email),
                    "language" => out.value(&c.language),
                    "country" => out.value(&c.country),
                    "timeZone" => out.value(&c.time_zone),
                    "tags" => out.value(&c.tags),
                    "fields" => out.any(&c.fields),
                    "marketing" => out.enum_item(GqlMarketing::from(c.marketing)),
                    "marketingSource" => out.value(&c.marketing_source),
                    "marketingChangedAt" => out.value(&c.marketing_at),
                    "lastInboundAt" => out.value(&c.last_inbound_at),
                    "lastOutboundAt" => out.value(&c.last_outbound_at),
                    _ => return None,
                }
            }
        }
        Some(())
    }
}

/// One change of a contact's marketing consent.
pub struct ConsentEventObject(ConsentEvent);

#[Object(name = "ConsentEvent")]
impl ConsentEventObject {
    async fn marketing(&self) -> GqlMarketing {
        self.0.marketing.into()
    }
    /// keyword, meta, manual, import or api.
    async fn source(&self) -> &str {
        &self.0.source
    }
    /// The member's note, or the word the customer sent.
    async fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }
    /// The member who made the change by hand.
    async fn actor(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::types::UserObject>> {
        Box::pin(load_user(ctx, self.0.actor_id)).await
    }
    async fn at(&self) -> DateTime<Utc> {
        self.0.at
    }
}

/// Filters for `Organization.contacts`.
#[derive(InputObject, Default)]
pub struct ContactFilterInput {
    /// Name, profile name, e-mail, username, or digits of the number.
    pub search: Option<String>,
    /// Contacts carrying every one of these tags.
    pub tags: Option<Vec<String>>,
    pub marketing: Option<GqlMarketing>,
    /// ISO 3166 country code.
    pub country: Option<String>,
}

/// `Organization.contacts`: newest first.
pub async fn contacts(
    ctx: &Context<'_>,
    access: &Access,
    filter: Option<ContactFilterInput>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<PlainConnection<ContactObject>> {
    require(ctx, access, Role::Member)?;
    let filter = filter.unwrap_or_default();
    if filter.tags.as_ref().is_some_and(|t| t.len() > 20) {
        return Err(crate::to_gql(ctx, crate::InputError::TooManyTags));
    }
    let filter = ContactFilter {
        search: filter.search,
        tags: filter.tags.unwrap_or_default(),
        marketing: filter.marketing.map(Marketing::from),
        country: filter.country,
    };
    let page = ctx
        .data_unchecked::<Domain>()
        .contacts(access, &filter, first, after.as_deref())
        .await
        .gql(ctx)?;
    let mut c = async_graphql::connection::Connection::new(after.is_some(), page.has_next);
    c.edges.extend(page.items.into_iter().map(|contact| {
        let cursor = TimeCursor {
            at: contact.created_at,
            id: contact.id,
        }
        .encode();
        async_graphql::connection::Edge::new(cursor, ContactObject::new(contact, access.clone()))
    }));
    Ok(PlainConnection(c))
}

#[derive(InputObject)]
pub struct SetContactOptInInput {
    pub organization_id: ID,
    pub contact_id: ID,
    /// True: the customer agreed to marketing messages; false: they asked to stop.
    pub opted_in: bool,
    /// Why, for the consent history (at most 500 characters kept).
    pub note: Option<String>,
}

#[derive(InputObject)]
pub struct EraseContactInput {
    pub organization_id: ID,
    pub contact_id: ID,
}

/// What erasing a contact removed.
#[derive(async_graphql::SimpleObject)]
pub struct ErasedContact {
    pub contact_id: ID,
    pub conversations: i64,
    pub messages: i64,
    pub media_files: i64,
}

/// What values a contact field holds.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(name = "ContactFieldKind")]
pub enum GqlFieldKind {
    /// Up to 1,000 characters.
    Text,
    Number,
    /// A day, YYYY-MM-DD.
    Date,
    /// Yes or no.
    Boolean,
    /// One of the field's `choices`.
    Choice,
}

impl GqlFieldKind {
    fn as_str(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Number => "number",
            Self::Date => "date",
            Self::Boolean => "boolean",
            Self::Choice => "choice",
        }
    }
}

impl From<&FieldKind> for GqlFieldKind {
    fn from(kind: &FieldKind) -> Self {
        match kind {
            FieldKind::Text => Self::Text,
            FieldKind::Number => Self::Number,
            FieldKind::Date => Self::Date,
            FieldKind::Boolean => Self::Boolean,
            FieldKind::Choice(_) => Self::Choice,
        }
    }
}

/// One of the organization's own contact fields; contacts hold its values in `Contact.fields`
/// under its key.
pub struct ContactFieldObject(pub ContactField);

#[Object(name = "ContactField")]
impl ContactFieldObject {
    /// How values are named in `Contact.fields`, imports and segments (`city`, `plan`).
    async fn key(&self) -> &str {
        &self.0.key
    }
    /// The name people see.
    async fn label(&self) -> &str {
        &self.0.label
    }
    async fn kind(&self) -> GqlFieldKind {
        (&self.0.kind).into()
    }
    /// A CHOICE field's choices, in order; empty for other kinds.
    async fn choices(&self) -> &[String] {
        self.0.kind.choices()
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// `Organization.contactFields`.
pub async fn contact_fields(
    ctx: &Context<'_>,
    access: &Access,
) -> async_graphql::Result<Vec<ContactFieldObject>> {
    require(ctx, access, Role::Member)?;
    let fields = ctx
        .data_unchecked::<Domain>()
        .contact_fields(access)
        .await
        .gql(ctx)?;
    Ok(fields.into_iter().map(ContactFieldObject).collect())
}

#[derive(InputObject)]
pub struct DefineContactFieldInput {
    pub organization_id: ID,
    /// A lowercase letter, then up to 39 lowercase letters, digits or `_`; not a name a
    /// contact already has (phone, name, email, language, country, time_zone, tags, ...).
    pub key: String,
    /// 1 to 100 characters.
    pub label: String,
    pub kind: GqlFieldKind,
    /// CHOICE only: 1 to 100 choices, distinct whatever their case.
    pub choices: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct UpdateContactFieldInput {
    pub organization_id: ID,
    pub key: String,
    pub label: Option<String>,
    /// CHOICE only: the choices from now on (values contacts already hold stay).
    pub choices: Option<Vec<String>>,
}

#[derive(InputObject)]
pub struct DeleteContactFieldInput {
    pub organization_id: ID,
    pub key: String,
}

/// A contact field deleted with its values.
#[derive(async_graphql::SimpleObject)]
pub struct DeletedContactField {
    pub key: String,
    /// Contacts that held a value, now removed.
    pub contacts_cleared: i64,
}

/// A value of one of the organization's fields, as a person writes it.
#[derive(InputObject)]
pub struct ContactFieldValueInput {
    pub key: String,
    /// Checked against the field's kind: a number (`12.5`), a date (`2024-01-31` or
    /// `31/01/2024`), yes or no, one of the choices. Null or blank clears the value.
    pub value: Option<String>,
}

/// What to change on a contact. A field left out stays as it is; null (or a blank text)
/// clears it. The phone number is the customer's and cannot be changed.
#[derive(InputObject)]
pub struct UpdateContactInput {
    pub organization_id: ID,
    pub contact_id: ID,
    pub name: MaybeUndefined<String>,
    pub email: MaybeUndefined<String>,
    /// `pt_BR`, `es`, ...
    pub language: MaybeUndefined<String>,
    /// ISO 3166 alpha-2 (BR).
    pub country: MaybeUndefined<String>,
    /// IANA name (America/Sao_Paulo).
    pub time_zone: MaybeUndefined<String>,
    /// Replaces every tag (before `addTags` and `removeTags`); at most 100.
    pub tags: Option<Vec<String>>,
    pub add_tags: Option<Vec<String>>,
    pub remove_tags: Option<Vec<String>>,
    /// Values of the organization's contact fields, at most 100.
    pub fields: Option<Vec<ContactFieldValueInput>>,
}

fn change(value: MaybeUndefined<String>) -> Option<Option<String>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

#[derive(Default)]
pub struct ContactsMutation;

#[Object]
impl ContactsMutation {
    /// Member. Records a contact's marketing consent by hand (or, with an API token, as
    /// given by an integrator), with a note, in the contact's consent history.
    async fn set_contact_opt_in(
        &self,
        ctx: &Context<'_>,
        input: SetContactOptInInput,
    ) -> async_graphql::Result<ContactObject> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        let id = parse_id(ctx, &input.contact_id, "contact")?;
        let marketing = if input.opted_in {
            Marketing::OptedIn
        } else {
            Marketing::OptedOut
        };
        let contact = ctx
            .data_unchecked::<Domain>()
            .set_contact_marketing(&access, id, marketing, input.note.as_deref())
            .await
            .gql(ctx)?;
        Ok(ContactObject::new(contact, access))
    }

    /// Member. Changes what the business keeps about a contact; every value is checked as
    /// an import checks it, field values against their field's kind (`VALIDATION` naming
    /// the field).
    async fn update_contact(
        &self,
        ctx: &Context<'_>,
        input: UpdateContactInput,
    ) -> async_graphql::Result<ContactObject> {
        let access = guard(ctx, &input.organization_id, Role::Member, Intent::Write).await?;
        let id = parse_id(ctx, &input.contact_id, "contact")?;
        let changes = ContactChanges {
            name: change(input.name),
            email: change(input.email),
            language: change(input.language),
            country: change(input.country),
            time_zone: change(input.time_zone),
            tags: input.tags,
            add_tags: input.add_tags.unwrap_or_default(),
            remove_tags: input.remove_tags.unwrap_or_default(),
            fields: input
                .fields
                .unwrap_or_default()
                .into_iter()
                .map(|f| (f.key, f.value))
                .collect(),
        };
        let contact = ctx
            .data_unchecked::<Domain>()
            .update_contact(&access, id, changes)
            .await
            .gql(ctx)?;
        Ok(ContactObject::new(contact, access))
    }

    /// Admin. Defines a contact field of the organization.
    async fn define_contact_field(
        &self,
        ctx: &Context<'_>,
        input: DefineContactFieldInput,
    ) -> async_graphql::Result<ContactFieldObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let field = ctx
            .data_unchecked::<Domain>()
            .define_contact_field(
                &access,
                &input.key,
                &input.label,
                input.kind.as_str(),
                input.choices.unwrap_or_default(),
            )
            .await
            .gql(ctx)?;
        Ok(ContactFieldObject(field))
    }

    /// Admin. Renames a contact field or changes its choices; its kind stays.
    async fn update_contact_field(
        &self,
        ctx: &Context<'_>,
        input: UpdateContactFieldInput,
    ) -> async_graphql::Result<ContactFieldObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let field = ctx
            .data_unchecked::<Domain>()
            .update_contact_field(&access, &input.key, input.label.as_deref(), input.choices)
            .await
            .gql(ctx)?;
        Ok(ContactFieldObject(field))
    }

    /// Admin. Deletes a contact field and its values from every contact, at once. Refused
    /// (`CONFLICT`) while a segment's condition names it.
    async fn delete_contact_field(
        &self,
        ctx: &Context<'_>,
        input: DeleteContactFieldInput,
    ) -> async_graphql::Result<DeletedContactField> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let cleared = ctx
            .data_unchecked::<Domain>()
            .delete_contact_field(&access, &input.key)
            .await
            .gql(ctx)?;
        Ok(DeletedContactField {
            key: input.key,
            contacts_cleared: cleared as i64,
        })
    }

    /// Admin. Erases a contact completely for a data-subject request: the contact, every
    /// conversation with them (messages, notes, stored files) and their consent history.
    /// Recorded in the audit log (`contacts.erased`, with counts only). Cannot be undone.
    async fn erase_contact(
        &self,
        ctx: &Context<'_>,
        input: EraseContactInput,
    ) -> async_graphql::Result<ErasedContact> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &input.contact_id, "contact")?;
        let erased = ctx
            .data_unchecked::<Domain>()
            .erase_contact(&access, id)
            .await
            .gql(ctx)?;
        Ok(ErasedContact {
            contact_id: input.contact_id,
            conversations: erased.conversations,
            messages: erased.messages,
            media_files: erased.media_files,
        })
    }
}
