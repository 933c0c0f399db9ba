//! Values from outside that can be wrong, parsed once at the edge.

/// A value that does not parse; every area's error carries it (code `VALIDATION`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvalidValue {
    #[error("the {0} must not be empty")]
    Empty(&'static str),
    #[error("the {what} must be at most {max} characters")]
    TooLong { what: &'static str, max: usize },
    #[error("the {0} must not contain control characters")]
    ControlCharacters(&'static str),
    #[error("`{0}` is not an e-mail address")]
    NotAnEmail(String),
    #[error("`first` must be between 1 and 100")]
    PageSize,
    #[error("`after` is not a cursor from this list")]
    Cursor,
}

type Result<T> = std::result::Result<T, InvalidValue>;

/// An organization's display name: 1 to 100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganizationName(String);

impl OrganizationName {
    pub fn parse(raw: &str) -> Result<Self> {
        Ok(Self(label(raw, "organization name", 100)?))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A name for an API token: 1 to 100 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenName(String);

impl TokenName {
    pub fn parse(raw: &str) -> Result<Self> {
        Ok(Self(label(raw, "token name", 100)?))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn label(raw: &str, what: &'static str, max: usize) -> Result<String> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(InvalidValue::Empty(what));
    }
    if trimmed.chars().count() > max {
        return Err(InvalidValue::TooLong { what, max });
    }
    if trimmed.chars().any(char::is_control) {
        return Err(InvalidValue::ControlCharacters(what));
    }
    Ok(trimmed.to_owned())
}

/// An e-mail address, lower-cased; checked for shape, not deliverability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self> {
        let email = raw.trim().to_lowercase();
        let invalid = || InvalidValue::NotAnEmail(raw.trim().to_owned());
        if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = email.split_once('@').ok_or_else(invalid)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || local.len() > 64 || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(email))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How many items a page holds: `first` between 1 and 100, 50 when not given.
pub fn page_size(first: Option<i32>) -> Result<i64> {
    match first {
        None => Ok(50),
        Some(n) if (1..=100).contains(&n) => Ok(i64::from(n)),
        Some(_) => Err(InvalidValue::PageSize),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(OrganizationName::parse("  Acme ").unwrap().as_str(), "Acme");
        assert!(OrganizationName::parse("   ").is_err());
        assert!(OrganizationName::parse(&"x".repeat(101)).is_err());
        assert!(OrganizationName::parse("a\u{0}b").is_err());
        assert!(OrganizationName::parse(&"é".repeat(100)).is_ok());
    }

    #[test]
    fn emails_are_lowercased_and_checked() {
        assert_eq!(
            EmailAddress::parse(" Bob@Example.COM ").unwrap().as_str(),
            "bob@example.com"
        );
        for bad in [
            "bob",
            "bob@",
            "@example.com",
            "bob@example",
            "b ob@example.com",
            "bob@.com",
            "a@b@c.com",
        ] {
            assert!(EmailAddress::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn page_sizes_are_bounded() {
        assert_eq!(page_size(None).unwrap(), 50);
        assert_eq!(page_size(Some(100)).unwrap(), 100);
        assert!(page_size(Some(0)).is_err());
        assert!(page_size(Some(101)).is_err());
    }
}
