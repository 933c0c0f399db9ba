//! A segment's filter: what a contact must be to belong to it. Every condition must hold.
//!
//! A [`FilterDraft`] is what a person or an integrator gives (field values as text); checked
//! against the organization's fields it becomes a [`SegmentFilter`], the typed model stored
//! as `segments.filter` (jsonb, read back through serde, so a stored filter is always one
//! this code understands) and compiled to one SQL predicate by [`super::segment_predicate`].

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::contacts::{
    ContactError, Marketing,
    profile::{FieldKind, MAX_TAG, MAX_TEXT, clip, read_country, read_tag},
};

/// The most tags in each of a filter's tag lists, and the most countries.
pub const MAX_LIST: usize = 50;
/// The most field conditions, and the most activity conditions, in one filter.
pub const MAX_CONDITIONS: usize = 20;
/// The longest text a `contains` condition looks for.
pub const MAX_CONTAINS: usize = 100;
/// The most days an activity condition counts back (about ten years).
pub const MAX_DAYS: i32 = 3660;

/// What a contact must be to belong to a segment. Empty: every contact.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SegmentFilter {
    #[serde(default)]
    pub tags: TagCondition,
    #[serde(default)]
    pub fields: Vec<FieldCondition>,
    /// The contact's country is one of these (ISO 3166 alpha-2); any when empty.
    #[serde(default)]
    pub countries: Vec<String>,
    /// The contact's marketing consent is one of these; any when empty.
    #[serde(default)]
    pub marketing: Vec<Marketing>,
    #[serde(default)]
    pub activity: Vec<ActivityCondition>,
}

/// Tags, lower-case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TagCondition {
    /// Every one of these.
    #[serde(default)]
    pub all_of: Vec<String>,
    /// At least one of these.
    #[serde(default)]
    pub any_of: Vec<String>,
    /// None of these.
    #[serde(default)]
    pub none_of: Vec<String>,
}

/// A condition on one of the organization's fields, by key.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldCondition {
    pub key: String,
    #[serde(flatten)]
    pub test: FieldTest,
}

/// What a field's value must be. Values are stored as the field holds them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum FieldTest {
    /// The same value (text and choices compared without case).
    Equals {
        value: Value,
    },
    /// A text field that contains this text, without case.
    Contains {
        text: String,
    },
    /// A date field before this day.
    Before {
        date: NaiveDate,
    },
    /// A date field after this day.
    After {
        date: NaiveDate,
    },
    /// A number field greater than this.
    Greater {
        number: f64,
    },
    /// A number field less than this.
    Less {
        number: f64,
    },
    IsSet,
    IsNotSet,
}

/// Which way a conversation's last message went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The customer's last message to the business.
    Inbound,
    /// The business's last message to the customer.
    Outbound,
}

/// When the contact's last message (one way) was.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActivityCondition {
    pub direction: Direction,
    #[serde(flatten)]
    pub when: ActivityWhen,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum ActivityWhen {
    Before {
        at: DateTime<Utc>,
    },
    After {
        at: DateTime<Utc>,
    },
    /// Within the last `days` days.
    WithinDays {
        days: i32,
    },
    /// Not within the last `days` days, or never.
    NotWithinDays {
        days: i32,
    },
    Never,
}

/// The operators a person picks for a field condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldOperator {
    Equals,
    Contains,
    Before,
    After,
    Greater,
    Less,
    IsSet,
    IsNotSet,
}

impl FieldOperator {
    fn as_str(self) -> &'static str {
        match self {
            Self::Equals => "equals",
            Self::Contains => "contains",
            Self::Before => "before",
            Self::After => "after",
            Self::Greater => "greater",
            Self::Less => "less",
            Self::IsSet => "is set",
            Self::IsNotSet => "is not set",
        }
    }
}

/// The operators a person picks for an activity condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityOperator {
    Before,
    After,
    WithinDays,
    NotWithinDays,
    Never,
}

/// A field condition as given: the value as a person writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldConditionDraft {
    pub key: String,
    pub operator: FieldOperator,
    pub value: Option<String>,
}

/// An activity condition as given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityDraft {
    pub direction: Direction,
    pub operator: ActivityOperator,
    pub at: Option<DateTime<Utc>>,
    pub days: Option<i32>,
}

/// A filter as given, before it is checked against the organization's fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterDraft {
    pub tags: TagCondition,
    pub fields: Vec<FieldConditionDraft>,
    pub countries: Vec<String>,
    pub marketing: Vec<Marketing>,
    pub activity: Vec<ActivityDraft>,
}

fn refuse<T>(reason: String) -> Result<T, ContactError> {
    Err(ContactError::Filter(reason))
}

fn tag_list(which: &str, tags: &[String]) -> Result<Vec<String>, ContactError> {
    if tags.len() > MAX_LIST {
        return refuse(format!("{which}: name at most {MAX_LIST} tags"));
    }
    let mut kept: Vec<String> = Vec::new();
    for tag in tags {
        match read_tag(tag) {
            Ok(Some(tag)) if !kept.contains(&tag) => kept.push(tag),
            Ok(_) => {}
            Err(_) => {
                return refuse(format!(
                    "{which}: the tag `{}` is longer than {MAX_TAG} characters",
                    clip(tag)
                ));
            }
        }
    }
    Ok(kept)
}

impl FilterDraft {
    /// The filter, checked against the organization's fields (`kinds`, by key): each
    /// condition names a field that exists, its operator suits the field's kind, and its
    /// value is one the field could hold (the check imports and the contact page use).
    pub fn check(&self, kinds: &HashMap<String, FieldKind>) -> Result<SegmentFilter, ContactError> {
        let tags = TagCondition {
            all_of: tag_list("tags (all of)", &self.tags.all_of)?,
            any_of: tag_list("tags (any of)", &self.tags.any_of)?,
            none_of: tag_list("tags (none of)", &self.tags.none_of)?,
        };
        if self.fields.len() > MAX_CONDITIONS || self.activity.len() > MAX_CONDITIONS {
            return refuse(format!(
                "a segment has at most {MAX_CONDITIONS} field conditions and {MAX_CONDITIONS} activity conditions"
            ));
        }
        let fields = self
            .fields
            .iter()
            .map(|f| field_condition(f, kinds))
            .collect::<Result<_, _>>()?;
        if self.countries.len() > MAX_LIST {
            return refuse(format!("name at most {MAX_LIST} countries"));
        }
        let mut countries: Vec<String> = Vec::new();
        for country in &self.countries {
            let code = read_country(country).map_err(ContactError::Filter)?;
            if !countries.contains(&code) {
                countries.push(code);
            }
        }
        let mut marketing = self.marketing.clone();
        marketing.sort_by_key(|m| m.as_str());
        marketing.dedup();
        let activity = self
            .activity
            .iter()
            .map(activity_condition)
            .collect::<Result<_, _>>()?;
        Ok(SegmentFilter {
            tags,
            fields,
            countries,
            marketing,
            activity,
        })
    }
}

fn field_condition(
    draft: &FieldConditionDraft,
    kinds: &HashMap<String, FieldKind>,
) -> Result<FieldCondition, ContactError> {
    let key = draft.key.trim();
    let Some(kind) = kinds.get(key) else {
        return Err(ContactError::NoSuchField(clip(key)));
    };
    let op = draft.operator;
    let value = draft
        .value
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let needs_value = || {
        value.ok_or_else(|| ContactError::Filter(format!("{key}: `{}` needs a value", op.as_str())))
    };
    let read = |text: &str| {
        kind.read(text).map_err(|reason| ContactError::FieldValue {
            key: key.to_owned(),
            reason,
        })
    };
    let unsuited = || {
        refuse(format!(
            "{key}: `{}` does not apply to a {} field",
            op.as_str(),
            kind.as_str()
        ))
    };
    let test = match (op, kind) {
        (FieldOperator::IsSet, _) => FieldTest::IsSet,
        (FieldOperator::IsNotSet, _) => FieldTest::IsNotSet,
        (FieldOperator::Equals, _) => FieldTest::Equals {
            value: read(needs_value()?)?,
        },
        (FieldOperator::Contains, FieldKind::Text) => {
            let text = needs_value()?;
            if text.chars().count() > MAX_CONTAINS {
                return refuse(format!("{key}: look for at most {MAX_CONTAINS} characters"));
            }
            FieldTest::Contains {
                text: text.to_owned(),
            }
        }
        (FieldOperator::Before | FieldOperator::After, FieldKind::Date) => {
            let date = crate::contacts::profile::read_date(needs_value()?).ok_or_else(|| {
                ContactError::FieldValue {
                    key: key.to_owned(),
                    reason: format!(
                        "`{}` is not a date (YYYY-MM-DD)",
                        clip(value.unwrap_or_default())
                    ),
                }
            })?;
            if op == FieldOperator::Before {
                FieldTest::Before { date }
            } else {
                FieldTest::After { date }
            }
        }
        (FieldOperator::Greater | FieldOperator::Less, FieldKind::Number) => {
            let number = read(needs_value()?)?.as_f64().unwrap_or_default();
            if op == FieldOperator::Greater {
                FieldTest::Greater { number }
            } else {
                FieldTest::Less { number }
            }
        }
        _ => return unsuited(),
    };
    if let FieldTest::Equals {
        value: Value::String(s),
    } = &test
        && s.chars().count() > MAX_TEXT
    {
        return unsuited();
    }
    Ok(FieldCondition {
        key: key.to_owned(),
        test,
    })
}

fn activity_condition(draft: &ActivityDraft) -> Result<ActivityCondition, ContactError> {
    let way = match draft.direction {
        Direction::Inbound => "last message from the contact",
        Direction::Outbound => "last message to the contact",
    };
    let at = || {
        draft
            .at
            .ok_or_else(|| ContactError::Filter(format!("{way}: give the date and time")))
    };
    let days = || match draft.days {
        Some(d) if (1..=MAX_DAYS).contains(&d) => Ok(d),
        _ => refuse(format!("{way}: give a number of days from 1 to {MAX_DAYS}")),
    };
    let when = match draft.operator {
        ActivityOperator::Before => ActivityWhen::Before { at: at()? },
        ActivityOperator::After => ActivityWhen::After { at: at()? },
        ActivityOperator::WithinDays => ActivityWhen::WithinDays { days: days()? },
        ActivityOperator::NotWithinDays => ActivityWhen::NotWithinDays { days: days()? },
        ActivityOperator::Never => ActivityWhen::Never,
    };
    Ok(ActivityCondition {
        direction: draft.direction,
        when,
    })
}

impl SegmentFilter {
    /// The filter as a person would give it again (field values as text).
    pub fn draft(&self) -> FilterDraft {
        FilterDraft {
            tags: self.tags.clone(),
            fields: self
                .fields
                .iter()
                .map(|f| {
                    let (operator, value) = match &f.test {
                        FieldTest::Equals { value } => (
                            FieldOperator::Equals,
                            Some(crate::contacts::profile::field_text(value)),
                        ),
                        FieldTest::Contains { text } => {
                            (FieldOperator::Contains, Some(text.clone()))
                        }
                        FieldTest::Before { date } => (
                            FieldOperator::Before,
                            Some(date.format("%Y-%m-%d").to_string()),
                        ),
                        FieldTest::After { date } => (
                            FieldOperator::After,
                            Some(date.format("%Y-%m-%d").to_string()),
                        ),
                        FieldTest::Greater { number } => {
                            (FieldOperator::Greater, Some(number_text(*number)))
                        }
                        FieldTest::Less { number } => {
                            (FieldOperator::Less, Some(number_text(*number)))
                        }
                        FieldTest::IsSet => (FieldOperator::IsSet, None),
                        FieldTest::IsNotSet => (FieldOperator::IsNotSet, None),
                    };
                    FieldConditionDraft {
                        key: f.key.clone(),
                        operator,
                        value,
                    }
                })
                .collect(),
            countries: self.countries.clone(),
            marketing: self.marketing.clone(),
            activity: self
                .activity
                .iter()
                .map(|a| {
                    let (operator, at, days) = match &a.when {
                        ActivityWhen::Before { at } => (ActivityOperator::Before, Some(*at), None),
                        ActivityWhen::After { at } => (ActivityOperator::After, Some(*at), None),
                        ActivityWhen::WithinDays { days } => {
                            (ActivityOperator::WithinDays, None, Some(*days))
                        }
                        ActivityWhen::NotWithinDays { days } => {
                            (ActivityOperator::NotWithinDays, None, Some(*days))
                        }
                        ActivityWhen::Never => (ActivityOperator::Never, None, None),
                    };
                    ActivityDraft {
                        direction: a.direction,
                        operator,
                        at,
                        days,
                    }
                })
                .collect(),
        }
    }

    /// The keys of the fields its conditions name.
    pub fn field_keys(&self) -> impl Iterator<Item = &str> {
        self.fields.iter().map(|f| f.key.as_str())
    }
}

/// `12`, not `12.0`; `12.5`. As a person writes it.
fn number_text(n: f64) -> String {
    serde_json::Number::from_f64(n).map_or_else(String::new, |n| {
        crate::contacts::profile::field_text(&Value::Number(n))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds() -> HashMap<String, FieldKind> {
        HashMap::from([
            (
                "plan".to_owned(),
                FieldKind::Choice(vec!["Gold".into(), "Silver".into()]),
            ),
            ("city".to_owned(), FieldKind::Text),
            ("since".to_owned(), FieldKind::Date),
            ("spent".to_owned(), FieldKind::Number),
        ])
    }

    fn condition(key: &str, operator: FieldOperator, value: Option<&str>) -> FilterDraft {
        FilterDraft {
            fields: vec![FieldConditionDraft {
                key: key.into(),
                operator,
                value: value.map(Into::into),
            }],
            ..FilterDraft::default()
        }
    }

    #[test]
    fn values_are_read_as_the_field_holds_them() {
        let checked = condition("plan", FieldOperator::Equals, Some("gold"))
            .check(&kinds())
            .unwrap();
        assert_eq!(
            checked.fields[0].test,
            FieldTest::Equals {
                value: Value::String("Gold".into())
            }
        );
        let checked = condition("spent", FieldOperator::Greater, Some("1,5"))
            .check(&kinds())
            .unwrap();
        assert_eq!(checked.fields[0].test, FieldTest::Greater { number: 1.5 });
        // And back, as a person writes them.
        assert_eq!(checked.draft().fields[0].value.as_deref(), Some("1.5"));
    }

    #[test]
    fn a_wrong_condition_says_which_field_and_why() {
        let error = |draft: FilterDraft| draft.check(&kinds()).unwrap_err().to_string();
        assert_eq!(
            error(condition("plan", FieldOperator::Equals, Some("Bronze"))),
            "plan: `Bronze` is not one of its choices"
        );
        assert_eq!(
            error(condition("city", FieldOperator::Greater, Some("3"))),
            "city: `greater` does not apply to a text field"
        );
        assert_eq!(
            error(condition("since", FieldOperator::Before, Some("soon"))),
            "since: `soon` is not a date (YYYY-MM-DD)"
        );
        assert_eq!(
            error(condition("spent", FieldOperator::Less, None)),
            "spent: `less` needs a value"
        );
        assert_eq!(
            error(condition("nope", FieldOperator::IsSet, None)),
            "there is no contact field `nope`"
        );
        let too_many = FilterDraft {
            countries: vec!["BR".into(); MAX_LIST + 1],
            ..FilterDraft::default()
        };
        assert_eq!(error(too_many), "name at most 50 countries");
        let never_days = FilterDraft {
            activity: vec![ActivityDraft {
                direction: Direction::Inbound,
                operator: ActivityOperator::WithinDays,
                at: None,
                days: Some(0),
            }],
            ..FilterDraft::default()
        };
        assert_eq!(
            error(never_days),
            "last message from the contact: give a number of days from 1 to 3660"
        );
    }

    #[test]
    fn the_stored_form_reads_back_and_refuses_what_it_does_not_know() {
        let filter = FilterDraft {
            tags: TagCondition {
                all_of: vec!["VIP".into(), "vip".into()],
                ..TagCondition::default()
            },
            countries: vec!["br".into()],
            marketing: vec![Marketing::OptedIn],
            activity: vec![ActivityDraft {
                direction: Direction::Outbound,
                operator: ActivityOperator::Never,
                at: None,
                days: None,
            }],
            ..condition("since", FieldOperator::After, Some("31/01/2024"))
        }
        .check(&kinds())
        .unwrap();
        assert_eq!(filter.tags.all_of, ["vip"]);
        assert_eq!(filter.countries, ["BR"]);
        let stored = serde_json::to_value(&filter).unwrap();
        assert_eq!(
            stored["fields"][0],
            serde_json::json!({ "key": "since", "op": "after", "date": "2024-01-31" })
        );
        assert_eq!(stored["marketing"], serde_json::json!(["opted_in"]));
        assert_eq!(
            serde_json::from_value::<SegmentFilter>(stored).unwrap(),
            filter
        );
        assert!(
            serde_json::from_value::<SegmentFilter>(serde_json::json!({ "sql": "1=1" })).is_err()
        );
    }
}
