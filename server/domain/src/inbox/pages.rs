//! The inbox list's pages lately read, so that the people of an organization asking for the
//! same page (every agent's inbox refreshing after a new message, an integrator polling) are
//! answered without reading it again.
//!
//! A page is kept under the organization's [`Stamp`] taken before it was read, and is good
//! while the stamp holds: any write to the conversations, contacts, numbers or people a page
//! shows moves it (see [`wagent_db::Changes`]), a transaction of this process at once, another
//! process's when its notice arrives. Requests arriving while a page is read wait for that
//! read. A page is also never older than [`PAGE_TTL`]. Searches are not kept (their texts are
//! many and each is asked for once), and nothing is kept while there are no stamps.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use tokio::sync::OnceCell;
use uuid::Uuid;
use wagent_db::Stamp;

use super::{
    ConversationFilter, ConversationStatus, ConversationSummary, LABEL_MAX_CHARS, TimeCursor,
};
use crate::Page;

/// The longest a page is answered from memory, changes or not.
pub(crate) const PAGE_TTL: Duration = Duration::from_secs(1);

/// Beyond this many pages the oldest go (a page of 50 rows is about 40 KB).
const MAX_PAGES: usize = 256;

/// Which page of which list: the organization, the filter, the page's size and start.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct PageKey {
    org_id: Uuid,
    status: Option<ConversationStatus>,
    assignee: Option<Option<Uuid>>,
    unread_only: bool,
    phone_number_id: Option<Uuid>,
    label: Option<String>,
    limit: i64,
    after: Option<TimeCursor>,
}

impl PageKey {
    /// The key of a list's page, or `None` for a search, which is never kept, and for a label
    /// longer than any label can be (no conversation has it, and a key holds what it names).
    pub(crate) fn of(
        org_id: Uuid,
        filter: &ConversationFilter,
        limit: i64,
        after: Option<TimeCursor>,
    ) -> Option<Self> {
        let label_too_long = filter
            .label
            .as_deref()
            .is_some_and(|l| l.trim().chars().count() > LABEL_MAX_CHARS);
        if filter.search.is_some() || label_too_long {
            return None;
        }
        Some(Self {
            org_id,
            status: filter.status,
            assignee: filter.assignee,
            unread_only: filter.unread_only,
            phone_number_id: filter.phone_number_id,
            label: filter.label.clone(),
            limit,
            after,
        })
    }
}

/// A page kept, or being read, under a stamp. Requests that find the same stamp share the
/// one read: the first runs it, the others wait for its page (if it fails or its request
/// goes away, the next of them reads).
struct Kept {
    stamp: Stamp,
    at: Instant,
    page: Arc<OnceCell<Arc<Page<ConversationSummary>>>>,
}

#[derive(Default)]
pub(crate) struct ConversationPages(Mutex<HashMap<PageKey, Kept>>);

impl ConversationPages {
    /// The page under `key` read (or being read) under `stamp` less than [`PAGE_TTL`] ago, or
    /// a new place for it, replacing what was kept under an older stamp.
    pub(crate) fn place(
        &self,
        key: PageKey,
        stamp: Stamp,
    ) -> Arc<OnceCell<Arc<Page<ConversationSummary>>>> {
        let Ok(mut pages) = self.0.lock() else {
            return Arc::default();
        };
        if let Some(kept) = pages.get(&key)
            && kept.stamp == stamp
            && kept.at.elapsed() < PAGE_TTL
        {
            return kept.page.clone();
        }
        // Pages past their time go as new ones come, so that memory holds only the last
        // second's.
        pages.retain(|_, kept| kept.at.elapsed() < PAGE_TTL);
        if pages.len() >= MAX_PAGES
            && !pages.contains_key(&key)
            && let Some(oldest) = pages
                .iter()
                .min_by_key(|(_, kept)| kept.at)
                .map(|(key, _)| key.clone())
        {
            pages.remove(&oldest);
        }
        let page = Arc::<OnceCell<_>>::default();
        pages.insert(
            key,
            Kept {
                stamp,
                at: Instant::now(),
                page: page.clone(),
            },
        );
        page
    }
}
