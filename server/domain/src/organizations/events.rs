//! Events about an organization, published on the bus when their transaction commits.

use uuid::Uuid;
use wagent_db::{Conn, bus};

use crate::CommonError;

/// What changed in an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganizationChange {
    Renamed,
    Members,
    Invitations,
    ApiTokens,
}

impl OrganizationChange {
    pub fn topic(self) -> &'static str {
        match self {
            Self::Renamed => "organization.renamed",
            Self::Members => "organization.members",
            Self::Invitations => "organization.invitations",
            Self::ApiTokens => "organization.api_tokens",
        }
    }

    pub fn from_topic(topic: &str) -> Option<Self> {
        [
            Self::Renamed,
            Self::Members,
            Self::Invitations,
            Self::ApiTokens,
        ]
        .into_iter()
        .find(|c| c.topic() == topic)
    }
}

pub(crate) async fn publish(
    c: &mut Conn,
    org_id: Uuid,
    change: OrganizationChange,
) -> Result<(), CommonError> {
    let event = bus::Event {
        org_id,
        topic: change.topic().into(),
        data: serde_json::Value::Null,
    };
    bus::publish(c, &event).await?;
    Ok(())
}
