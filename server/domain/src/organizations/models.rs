//! Rows as the rest of the server sees them.

use chrono::{DateTime, Utc};
use diesel::{Queryable, Selectable};
use uuid::Uuid;
use wagent_db::schema::{api_tokens, audit_events, invitations, organizations, users};

use crate::{Role, parse_role};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: Uuid,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = organizations)]
pub struct Organization {
    pub id: Uuid,
    pub name: String,
    pub created_at: DateTime<Utc>,
    /// The IANA time zone that campaign schedules are read in.
    pub time_zone: String,
    /// ISO 3166 alpha-2: a contact list's numbers without a country code are read in it.
    pub default_country: Option<String>,
    /// Words that, sent alone, stop marketing messages (compared without case or accents).
    pub opt_out_keywords: Vec<String>,
    /// Words that, sent alone, resume marketing messages.
    pub opt_in_keywords: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub user: User,
    pub role: Role,
    pub joined_at: DateTime<Utc>,
}

/// An organization the caller belongs to, with the caller's access to it.
#[derive(Debug, Clone)]
pub struct Membership {
    pub organization: Organization,
    pub access: crate::Access,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = invitations)]
pub struct Invitation {
    pub org_id: Uuid,
    pub id: Uuid,
    pub email: String,
    #[diesel(deserialize_as = String)]
    pub role: RoleColumn,
    pub invited_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

impl Invitation {
    pub fn status(&self, now: DateTime<Utc>) -> InvitationStatus {
        if self.accepted_at.is_some() {
            InvitationStatus::Accepted
        } else if self.revoked_at.is_some() {
            InvitationStatus::Revoked
        } else if self.expires_at <= now {
            InvitationStatus::Expired
        } else {
            InvitationStatus::Pending
        }
    }
}

/// A `role` column read into a [`Role`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoleColumn(pub Role);

impl From<String> for RoleColumn {
    fn from(s: String) -> Self {
        Self(parse_role(&s))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable)]
#[diesel(table_name = api_tokens)]
pub struct ApiToken {
    pub org_id: Uuid,
    pub id: Uuid,
    pub name: String,
    #[diesel(deserialize_as = String)]
    pub role: RoleColumn,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = audit_events)]
pub struct AuditEvent {
    pub id: Uuid,
    pub actor_user_id: Option<Uuid>,
    pub actor_api_token_id: Option<Uuid>,
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}
