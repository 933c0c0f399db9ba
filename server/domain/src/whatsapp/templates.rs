//! Message templates: synced from Meta, created and deleted there; status and quality kept
//! current by webhooks (see `webhooks::apply_event`).

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde_json::{Value, json};
use uuid::Uuid;
use wagent_db::schema::{message_templates, phone_numbers, whatsapp_accounts};
use wagent_meta::{AccessToken, BusinessProfile, BusinessProfileUpdate, NewTemplate};

use super::{Result, WhatsAppError};
use crate::{
    Access, CommonError, Domain, Role,
    organizations::audit::{self, Entry},
    values::{LanguageTag, TemplateName, text_column},
};

/// What a template is for, as Meta categorises (and prices) it.
///
/// Meta owns the list: a category this version does not know, from Meta or read back from
/// the database, is kept as `Other` with Meta's text, stored unchanged. Only the three known
/// ones can be asked for when creating a template.
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Hash,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum TemplateCategory {
    Marketing,
    Utility,
    Authentication,
    Other(String),
}

impl TemplateCategory {
    pub fn as_str(&self) -> &str {
        match self {
            Self::Marketing => "MARKETING",
            Self::Utility => "UTILITY",
            Self::Authentication => "AUTHENTICATION",
            Self::Other(text) => text,
        }
    }

    /// Meta's text (`MARKETING`); anything else is `Other`.
    pub fn parse(text: &str) -> Self {
        match text {
            "MARKETING" => Self::Marketing,
            "UTILITY" => Self::Utility,
            "AUTHENTICATION" => Self::Authentication,
            other => Self::Other(other.to_owned()),
        }
    }

    /// The category to ask Meta for; `Other` cannot be asked for.
    fn for_meta(&self) -> Result<wagent_meta::TemplateCategory> {
        use wagent_meta::TemplateCategory as Meta;
        match self {
            Self::Marketing => Ok(Meta::Marketing),
            Self::Utility => Ok(Meta::Utility),
            Self::Authentication => Ok(Meta::Authentication),
            Self::Other(_) => Err(WhatsAppError::NotATemplateCategory),
        }
    }
}

text_column!(TemplateCategory, |text| Ok(TemplateCategory::parse(&text)));

/// Where a template stands in Meta's review, as Meta last said (the list, or a status
/// webhook's event): only an `Approved` template can be sent.
///
/// Meta owns the list and adds to it: a status this version does not know is kept as `Other`
/// with Meta's text, stored unchanged, never refused (the template stays listed, and a newer
/// version reads it by name).
#[derive(
    Debug,
    Clone,
    PartialEq,
    Eq,
    Hash,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum TemplateStatus {
    Approved,
    Pending,
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
    Other(String),
}

impl TemplateStatus {
    /// Every status Meta documents (not `Other`).
    pub const KNOWN: [Self; 14] = [
        Self::Approved,
        Self::Pending,
        Self::Rejected,
        Self::Paused,
        Self::Disabled,
        Self::InAppeal,
        Self::PendingDeletion,
        Self::Deleted,
        Self::Flagged,
        Self::Reinstated,
        Self::LimitExceeded,
        Self::Archived,
        Self::Unarchived,
        Self::Locked,
    ];

    pub fn as_str(&self) -> &str {
        match self {
            Self::Approved => "APPROVED",
            Self::Pending => "PENDING",
            Self::Rejected => "REJECTED",
            Self::Paused => "PAUSED",
            Self::Disabled => "DISABLED",
            Self::InAppeal => "IN_APPEAL",
            Self::PendingDeletion => "PENDING_DELETION",
            Self::Deleted => "DELETED",
            Self::Flagged => "FLAGGED",
            Self::Reinstated => "REINSTATED",
            Self::LimitExceeded => "LIMIT_EXCEEDED",
            Self::Archived => "ARCHIVED",
            Self::Unarchived => "UNARCHIVED",
            Self::Locked => "LOCKED",
            Self::Other(text) => text,
        }
    }

    /// Meta's text (`IN_APPEAL`); anything else is `Other`.
    pub fn parse(text: &str) -> Self {
        Self::KNOWN
            .into_iter()
            .find(|status| status.as_str() == text)
            .unwrap_or_else(|| Self::Other(text.to_owned()))
    }
}

text_column!(TemplateStatus, |text| Ok(TemplateStatus::parse(&text)));

#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = message_templates)]
pub struct Template {
    pub id: Uuid,
    pub account_id: Uuid,
    pub meta_template_id: Option<String>,
    pub name: TemplateName,
    pub language: LanguageTag,
    pub category: TemplateCategory,
    pub status: TemplateStatus,
    pub quality_score: Option<String>,
    pub rejected_reason: Option<String>,
    pub parameter_format: Option<String>,
    pub components: Value,
    pub updated_at: DateTime<Utc>,
}

impl Template {
    /// The body component's text, with its `{{n}}` placeholders.
    pub fn body_text(&self) -> Option<String> {
        self.components.as_array()?.iter().find(|c| {
            c["type"]
                .as_str()
                .is_some_and(|t| t.eq_ignore_ascii_case("body"))
        })?["text"]
            .as_str()
            .map(str::to_owned)
    }

    /// The body with `values` in its placeholders, in order of first appearance.
    pub fn render(&self, values: &[String]) -> Option<String> {
        let mut text = self.body_text()?;
        for (name, value) in placeholders(&text).into_iter().zip(values) {
            text = text.replace(&format!("{{{{{name}}}}}"), value);
        }
        Some(text)
    }

    /// How many distinct `{{…}}` placeholders the body has.
    pub fn parameter_count(&self) -> usize {
        self.body_text()
            .map(|t| placeholders(&t).len())
            .unwrap_or(0)
    }
}

pub(crate) fn placeholders(text: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let after = &rest[start + 2..];
        let Some(end) = after.find("}}") else { break };
        let name = after[..end].trim().to_owned();
        if !name.is_empty() && !found.contains(&name) {
            found.push(name);
        }
        rest = &after[end + 2..];
    }
    found
}

/// A new template as a person writes it.
#[derive(Debug, Clone)]
pub struct TemplateDraft {
    pub name: TemplateName,
    pub language: LanguageTag,
    pub category: TemplateCategory,
    pub body_text: String,
    pub body_examples: Vec<String>,
    pub header_text: Option<String>,
    pub footer_text: Option<String>,
}

impl Domain {
    /// The waba id and opened token of the account behind a number.
    async fn account_for_number(
        &self,
        access: &Access,
        number_id: Uuid,
    ) -> Result<(Uuid, String, AccessToken)> {
        let (_, token) = self.number_and_token(access, number_id).await?;
        let (account_id, waba_id) = self
            .tx(access.scope(), async |c| -> Result<_, CommonError> {
                let account_id: Uuid = phone_numbers::table
                    .filter(phone_numbers::id.eq(number_id))
                    .select(phone_numbers::account_id)
                    .first(c)
                    .await?;
                let waba: String = whatsapp_accounts::table
                    .filter(whatsapp_accounts::id.eq(account_id))
                    .select(whatsapp_accounts::waba_id)
                    .first(c)
                    .await?;
                Ok((account_id, waba))
            })
            .await?;
        Ok((account_id, waba_id, token))
    }

    /// Templates of the number's account (or of every account), by name.
    pub async fn templates(
        &self,
        access: &Access,
        number_id: Option<Uuid>,
    ) -> Result<Vec<Template>> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            let mut q = message_templates::table
                .select(Template::as_select())
                .order((
                    message_templates::name.asc(),
                    message_templates::language.asc(),
                ))
                .limit(1000)
                .into_boxed();
            if let Some(n) = number_id {
                let account: Option<Uuid> = phone_numbers::table
                    .filter(phone_numbers::id.eq(n))
                    .select(phone_numbers::account_id)
                    .first(c)
                    .await
                    .optional()?;
                q = q.filter(
                    message_templates::account_id
                        .eq(account.ok_or(CommonError::NotFound("phone number"))?),
                );
            }
            Ok(q.load(c).await?)
        })
        .await
    }

    /// Reads every template of the number's account from Meta and stores them.
    pub async fn sync_templates(&self, access: &Access, number_id: Uuid) -> Result<Vec<Template>> {
        access.ensure(Role::Member)?;
        let wa = self.whatsapp()?.clone();
        let (account_id, waba_id, token) = self.account_for_number(access, number_id).await?;
        let mut all = Vec::new();
        let mut after: Option<String> = None;
        for _ in 0..50 {
            let page = wa
                .graph
                .list_templates(&token, &waba_id, after.as_deref())
                .await
                .map_err(WhatsAppError::from_graph)?;
            all.extend(page.data);
            after = page.after;
            if after.is_none() {
                break;
            }
        }
        self.tx(access.scope(), async |c| -> Result<_, CommonError> {
            for t in &all {
                // Meta enforces both rules itself; a template that breaks them is skipped
                // rather than stored as something this version cannot read back.
                let (Ok(name), Ok(language)) =
                    (TemplateName::parse(&t.name), LanguageTag::parse(&t.language))
                else {
                    tracing::warn!(template = %t.id, name = %t.name, language = %t.language, "a template from Meta with an unreadable name or language was skipped");
                    continue;
                };
                let (category, status) = (
                    TemplateCategory::parse(&t.category),
                    TemplateStatus::parse(&t.status),
                );
                diesel::insert_into(message_templates::table)
                    .values((
                        message_templates::org_id.eq(access.org_id),
                        message_templates::id.eq(Uuid::now_v7()),
                        message_templates::account_id.eq(account_id),
                        message_templates::meta_template_id.eq(&t.id),
                        message_templates::name.eq(&name),
                        message_templates::language.eq(&language),
                        message_templates::category.eq(&category),
                        message_templates::status.eq(&status),
                        message_templates::quality_score
                            .eq(t.quality_score.as_ref().map(|q| q.score.clone())),
                        message_templates::rejected_reason.eq(&t.rejected_reason),
                        message_templates::parameter_format.eq(&t.parameter_format),
                        message_templates::components.eq(&t.components),
                    ))
                    .on_conflict((
                        message_templates::org_id,
                        message_templates::account_id,
                        message_templates::name,
                        message_templates::language,
                    ))
                    .do_update()
                    .set((
                        message_templates::meta_template_id.eq(&t.id),
                        message_templates::category.eq(&category),
                        message_templates::status.eq(&status),
                        message_templates::quality_score
                            .eq(t.quality_score.as_ref().map(|q| q.score.clone())),
                        message_templates::rejected_reason.eq(&t.rejected_reason),
                        message_templates::components.eq(&t.components),
                        message_templates::updated_at.eq(Utc::now()),
                    ))
                    .execute(c)
                    .await?;
            }
            Ok(())
        })
        .await?;
        self.templates(access, Some(number_id)).await
    }

    /// Admin or Owner. Submits a template for Meta's review; it starts PENDING and a
    /// webhook brings the verdict.
    pub async fn create_template(
        &self,
        access: &Access,
        number_id: Uuid,
        draft: &TemplateDraft,
    ) -> Result<Template> {
        access.ensure(Role::Admin)?;
        let wa = self.whatsapp()?.clone();
        let category = draft.category.for_meta()?;
        let params = placeholders(&draft.body_text);
        if params.len() != draft.body_examples.len() {
            return Err(WhatsAppError::TemplateExamples {
                parameters: params.len(),
                examples: draft.body_examples.len(),
            });
        }
        let mut components = Vec::new();
        if let Some(h) = draft
            .header_text
            .as_deref()
            .filter(|h| !h.trim().is_empty())
        {
            components.push(json!({ "type": "HEADER", "format": "TEXT", "text": h }));
        }
        let mut body = json!({ "type": "BODY", "text": draft.body_text });
        if !draft.body_examples.is_empty() {
            body["example"] = json!({ "body_text": [draft.body_examples] });
        }
        components.push(body);
        if let Some(f) = draft
            .footer_text
            .as_deref()
            .filter(|f| !f.trim().is_empty())
        {
            components.push(json!({ "type": "FOOTER", "text": f }));
        }
        let new = NewTemplate {
            name: draft.name.as_str().to_owned(),
            language: draft.language.as_str().to_owned(),
            category,
            parameter_format: None,
            components: components.clone(),
        };
        new.validate().map_err(WhatsAppError::BeyondMetaLimits)?;
        let (account_id, waba_id, token) = self.account_for_number(access, number_id).await?;
        let created = wa
            .graph
            .create_template(&token, &waba_id, &new)
            .await
            .map_err(WhatsAppError::from_graph)?;
        let (category, status) = (
            TemplateCategory::parse(&created.category),
            TemplateStatus::parse(&created.status),
        );
        self.tx(access.scope(), async |c| {
            let t = diesel::insert_into(message_templates::table)
                .values((
                    message_templates::org_id.eq(access.org_id),
                    message_templates::id.eq(Uuid::now_v7()),
                    message_templates::account_id.eq(account_id),
                    message_templates::meta_template_id.eq(&created.id),
                    message_templates::name.eq(&draft.name),
                    message_templates::language.eq(&draft.language),
                    message_templates::category.eq(&category),
                    message_templates::status.eq(&status),
                    message_templates::components.eq(json!(components)),
                ))
                .on_conflict((
                    message_templates::org_id,
                    message_templates::account_id,
                    message_templates::name,
                    message_templates::language,
                ))
                .do_update()
                .set((
                    message_templates::status.eq(&status),
                    message_templates::meta_template_id.eq(&created.id),
                    message_templates::components.eq(json!(components)),
                ))
                .returning(Template::as_returning())
                .get_result(c)
                .await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "whatsapp.template_created",
                    target_type: "template",
                    target_id: t.id.to_string(),
                    details: json!({ "name": t.name.as_str(), "language": t.language.as_str() }),
                },
            )
            .await?;
            Ok(t)
        })
        .await
    }

    /// Admin or Owner. Deletes the template (this language) at Meta and here.
    pub async fn delete_template(&self, access: &Access, template_id: Uuid) -> Result<Uuid> {
        access.ensure(Role::Admin)?;
        let wa = self.whatsapp()?.clone();
        let (template, number_id) = self
            .tx(access.scope(), async |c| -> Result<_, CommonError> {
                let t: Template = message_templates::table
                    .filter(message_templates::id.eq(template_id))
                    .select(Template::as_select())
                    .first(c)
                    .await
                    .optional()?
                    .ok_or(CommonError::NotFound("template"))?;
                let number: Uuid = phone_numbers::table
                    .filter(phone_numbers::account_id.eq(t.account_id))
                    .select(phone_numbers::id)
                    .first(c)
                    .await
                    .optional()?
                    .ok_or(CommonError::NotFound("phone number"))?;
                Ok((t, number))
            })
            .await?;
        let (_, waba_id, token) = self.account_for_number(access, number_id).await?;
        wa.graph
            .delete_template(
                &token,
                &waba_id,
                template.name.as_str(),
                template.meta_template_id.as_deref(),
            )
            .await
            .map_err(WhatsAppError::from_graph)?;
        self.tx(access.scope(), async |c| {
            diesel::delete(message_templates::table.filter(message_templates::id.eq(template_id)))
                .execute(c)
                .await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "whatsapp.template_deleted",
                    target_type: "template",
                    target_id: template_id.to_string(),
                    details: json!({ "name": template.name.as_str(), "language": template.language.as_str() }),
                },
            )
            .await?;
            Ok(template_id)
        })
        .await
    }

    /// The number's business profile, as Meta has it now.
    pub async fn business_profile(
        &self,
        access: &Access,
        number_id: Uuid,
    ) -> Result<BusinessProfile> {
        access.ensure(Role::Member)?;
        let wa = self.whatsapp()?.clone();
        let (number, token) = self.number_and_token(access, number_id).await?;
        wa.graph
            .business_profile(&token, &number.phone_number_id)
            .await
            .map_err(WhatsAppError::from_graph)
    }

    /// Admin or Owner.
    pub async fn update_business_profile(
        &self,
        access: &Access,
        number_id: Uuid,
        update: &BusinessProfileUpdate,
    ) -> Result<BusinessProfile> {
        access.ensure(Role::Admin)?;
        update.validate().map_err(WhatsAppError::BeyondMetaLimits)?;
        let wa = self.whatsapp()?.clone();
        let (number, token) = self.number_and_token(access, number_id).await?;
        wa.graph
            .update_business_profile(&token, &number.phone_number_id, update)
            .await
            .map_err(WhatsAppError::from_graph)?;
        self.tx(access.scope(), async |c| {
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "whatsapp.business_profile_updated",
                    target_type: "phone_number",
                    target_id: number.phone_number_id.clone(),
                    details: json!({}),
                },
            )
            .await
        })
        .await?;
        wa.graph
            .business_profile(&token, &number.phone_number_id)
            .await
            .map_err(WhatsAppError::from_graph)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rendered_body_reads_as_the_customer_sees_it() {
        let t = Template {
            id: Uuid::nil(),
            account_id: Uuid::nil(),
            meta_template_id: None,
            name: TemplateName::parse("order_update").unwrap(),
            language: LanguageTag::parse("en_US").unwrap(),
            category: TemplateCategory::Utility,
            status: TemplateStatus::Approved,
            quality_score: None,
            rejected_reason: None,
            parameter_format: None,
            components: json!([{ "type": "BODY", "text": "Hi {{1}}, order {{2}} shipped ({{1}})." }]),
            updated_at: Utc::now(),
        };
        assert_eq!(
            t.render(&["Ana".into(), "#42".into()]).unwrap(),
            "Hi Ana, order #42 shipped (Ana)."
        );
    }

    #[test]
    fn placeholders_are_counted_once_each() {
        assert_eq!(
            placeholders("Hi {{1}}, order {{2}} ({{1}})"),
            vec!["1", "2"]
        );
        assert_eq!(placeholders("Hi {{name}}"), vec!["name"]);
        assert!(placeholders("no params {{").is_empty());
    }

    #[test]
    fn meta_s_categories_and_statuses_read_back_and_new_ones_are_kept() {
        for status in TemplateStatus::KNOWN {
            assert_eq!(TemplateStatus::parse(status.as_str()), status);
        }
        assert_eq!(TemplateStatus::parse("IN_APPEAL"), TemplateStatus::InAppeal);
        let new = TemplateStatus::parse("UNDER_REVIEW");
        assert_eq!(new, TemplateStatus::Other("UNDER_REVIEW".into()));
        assert_eq!(new.as_str(), "UNDER_REVIEW");

        for category in [
            TemplateCategory::Marketing,
            TemplateCategory::Utility,
            TemplateCategory::Authentication,
        ] {
            assert_eq!(TemplateCategory::parse(category.as_str()), category);
            assert!(category.for_meta().is_ok());
        }
        let other = TemplateCategory::parse("MARKETING_LITE");
        assert_eq!(other.to_string(), "MARKETING_LITE");
        assert!(matches!(
            other.for_meta(),
            Err(WhatsAppError::NotATemplateCategory)
        ));
    }
}
