//! The organization's settings besides its name and time zone: the words that stop and
//! resume a customer's marketing messages, and the country a contact list's numbers without
//! a country code are read in.

use chrono::Utc;
use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde_json::json;
use wagent_db::{Conn, schema::organizations};

use super::{Organization, OrganizationError, Result, audit, audit::Entry};
use crate::{
    Access, Domain, Role,
    contacts::profile::read_country,
    values::InvalidValue,
    whatsapp::keywords::{KEYWORD_MAX_CHARS, normal_keyword},
};

/// The most words in either list (the columns' check).
pub const MAX_KEYWORDS: usize = 50;

/// An organization's opt-out and opt-in words, checked: each list has 1 to [`MAX_KEYWORDS`]
/// words, each trimmed, of at most [`KEYWORD_MAX_CHARS`] characters (a longer message is never
/// read as a keyword), with a letter or digit, and no two alike as messages are compared
/// (without case, accents or punctuation around them), in one list or across both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentKeywords {
    pub opt_out: Vec<String>,
    pub opt_in: Vec<String>,
}

impl ConsentKeywords {
    pub fn parse(opt_out: &[String], opt_in: &[String]) -> Result<Self> {
        let opt_out = keyword_list(opt_out, "opt-out")?;
        let opt_in = keyword_list(opt_in, "opt-in")?;
        let stops: Vec<String> = opt_out.iter().map(|w| normal_keyword(w)).collect();
        if let Some(both) = opt_in.iter().find(|w| stops.contains(&normal_keyword(w))) {
            return Err(OrganizationError::KeywordBothWays(both.clone()));
        }
        Ok(Self { opt_out, opt_in })
    }
}

fn keyword_list(words: &[String], which: &'static str) -> Result<Vec<String>> {
    // Counted before anything is read, so a huge list costs nothing.
    if words.len() > MAX_KEYWORDS {
        return Err(OrganizationError::TooManyKeywords(which));
    }
    let mut seen: Vec<String> = Vec::with_capacity(words.len());
    let mut kept = Vec::with_capacity(words.len());
    for word in words {
        let word = word.trim();
        if word.is_empty() {
            return Err(InvalidValue::Empty("keyword").into());
        }
        if word.chars().count() > KEYWORD_MAX_CHARS {
            return Err(OrganizationError::KeywordTooLong(
                word.chars().take(KEYWORD_MAX_CHARS).collect(),
            ));
        }
        if word.chars().any(char::is_control) {
            return Err(InvalidValue::ControlCharacters("keyword").into());
        }
        let normal = normal_keyword(word);
        if normal.is_empty() {
            return Err(OrganizationError::NotAKeyword(word.to_owned()));
        }
        if seen.contains(&normal) {
            return Err(OrganizationError::KeywordTwice(word.to_owned()));
        }
        seen.push(normal);
        kept.push(word.to_owned());
    }
    if kept.is_empty() {
        return Err(OrganizationError::NoKeywords(which));
    }
    Ok(kept)
}

/// An ISO 3166 alpha-2 code that the phone number library knows, in capitals; blank is none.
fn parse_country(country: Option<&str>) -> Result<Option<String>> {
    let Some(text) = country.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(None);
    };
    let unknown = || InvalidValue::Unknown {
        what: "country code (such as BR)",
        value: text.chars().take(8).collect(),
    };
    // The library also knows a few codes of other shapes (`001`); the column takes letters.
    if text.len() != 2 || !text.chars().all(|c| c.is_ascii_alphabetic()) {
        return Err(unknown().into());
    }
    Ok(Some(read_country(text).map_err(|_| unknown())?))
}

impl Domain {
    /// Admin or Owner: the words that, sent alone, stop and resume a customer's marketing
    /// messages. They apply to the next message a customer sends.
    pub async fn set_organization_consent_keywords(
        &self,
        access: &Access,
        opt_out: &[String],
        opt_in: &[String],
    ) -> Result<Organization> {
        access.ensure(Role::Admin)?;
        let words = ConsentKeywords::parse(opt_out, opt_in)?;
        self.tx(access.scope(), async |c| {
            let org =
                diesel::update(organizations::table.filter(organizations::id.eq(access.org_id)))
                    .set((
                        organizations::opt_out_keywords.eq(&words.opt_out),
                        organizations::opt_in_keywords.eq(&words.opt_in),
                        organizations::updated_at.eq(Utc::now()),
                    ))
                    .returning(Organization::as_returning())
                    .get_result(c)
                    .await?;
            keywords_changed(c, access, &org).await?;
            Ok(org)
        })
        .await
    }

    /// Admin or Owner: back to the words every organization starts with (the columns'
    /// defaults, so that there is one list of them).
    pub async fn reset_organization_consent_keywords(
        &self,
        access: &Access,
    ) -> Result<Organization> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            diesel::sql_query(
                "UPDATE organizations SET opt_out_keywords = DEFAULT, \
                 opt_in_keywords = DEFAULT, updated_at = now() WHERE id = $1",
            )
            .bind::<diesel::sql_types::Uuid, _>(access.org_id)
            .execute(c)
            .await?;
            let org = organizations::table
                .filter(organizations::id.eq(access.org_id))
                .select(Organization::as_select())
                .first(c)
                .await?;
            keywords_changed(c, access, &org).await?;
            Ok(org)
        })
        .await
    }

    /// Admin or Owner: the country (ISO 3166 alpha-2, `BR`) a contact list's numbers without
    /// a country code are read in when the import names none; `None` for none.
    pub async fn set_organization_default_country(
        &self,
        access: &Access,
        country: Option<&str>,
    ) -> Result<Organization> {
        access.ensure(Role::Admin)?;
        let country = parse_country(country)?;
        self.tx(access.scope(), async |c| {
            let org =
                diesel::update(organizations::table.filter(organizations::id.eq(access.org_id)))
                    .set((
                        organizations::default_country.eq(&country),
                        organizations::updated_at.eq(Utc::now()),
                    ))
                    .returning(Organization::as_returning())
                    .get_result(c)
                    .await?;
            audit::record(
                c,
                access.org_id,
                access.caller(),
                Entry {
                    action: "organization.default_country_changed",
                    target_type: "organization",
                    target_id: access.org_id.to_string(),
                    details: json!({ "default_country": country }),
                },
            )
            .await?;
            Ok(org)
        })
        .await
    }
}

async fn keywords_changed(c: &mut Conn, access: &Access, org: &Organization) -> Result<()> {
    audit::record(
        c,
        access.org_id,
        access.caller(),
        Entry {
            action: "organization.consent_keywords_changed",
            target_type: "organization",
            target_id: access.org_id.to_string(),
            details: json!({ "opt_out": org.opt_out_keywords, "opt_in": org.opt_in_keywords }),
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(w: &[&str]) -> Vec<String> {
        w.iter().map(|w| (*w).to_owned()).collect()
    }

    fn refusal(opt_out: &[&str], opt_in: &[&str]) -> String {
        ConsentKeywords::parse(&words(opt_out), &words(opt_in))
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn keywords_are_kept_trimmed_as_written() {
        let kept = ConsentKeywords::parse(&words(&[" Unsubscribe ", "chega"]), &words(&["Volto"]))
            .unwrap();
        assert_eq!(kept.opt_out, ["Unsubscribe", "chega"]);
        assert_eq!(kept.opt_in, ["Volto"]);
    }

    #[test]
    fn wrong_keywords_are_refused_saying_why() {
        assert_eq!(refusal(&[], &["START"]), "add at least one opt-out keyword");
        assert_eq!(refusal(&["STOP"], &[]), "add at least one opt-in keyword");
        assert_eq!(
            refusal(&["STOP", "  "], &["START"]),
            "the keyword must not be empty"
        );
        assert_eq!(
            refusal(&["STOP", "stop!"], &["START"]),
            "`stop!` is listed twice (keywords are compared without case or accents)"
        );
        assert_eq!(
            refusal(&["PARAR"], &["START", "Párar"]),
            "`Párar` cannot both stop and resume marketing messages"
        );
        assert_eq!(
            refusal(&["?!"], &["START"]),
            "`?!` is not a keyword: it needs a letter or a digit"
        );
        let long = "A".repeat(KEYWORD_MAX_CHARS + 1);
        assert!(
            refusal(&[&long], &["START"]).ends_with("a keyword is at most 40 characters"),
            "{}",
            refusal(&[&long], &["START"])
        );
        assert_eq!(
            refusal(&["STOP\u{7}"], &["START"]),
            "the keyword must not contain control characters"
        );
        let many: Vec<String> = (0..=MAX_KEYWORDS).map(|i| format!("W{i}")).collect();
        assert_eq!(
            ConsentKeywords::parse(&many, &words(&["START"]))
                .unwrap_err()
                .to_string(),
            "at most 50 opt-out keywords"
        );
    }

    #[test]
    fn a_default_country_is_a_known_two_letter_code_or_none() {
        assert_eq!(parse_country(Some(" br ")).unwrap().as_deref(), Some("BR"));
        assert_eq!(parse_country(Some("")).unwrap(), None);
        assert_eq!(parse_country(None).unwrap(), None);
        for wrong in ["XX", "001", "BRA", "B1"] {
            assert_eq!(
                parse_country(Some(wrong)).unwrap_err().to_string(),
                format!("`{wrong}` is not a country code (such as BR)")
            );
        }
    }
}
