//! Which organizations' inbox rows may have changed, for the caches that keep a page of them.
//!
//! Statement triggers on `conversations`, `contacts` and `phone_numbers` send the writing
//! transaction's organization on the `wagent_changes` channel at commit (`*` when it acted
//! for none); a change to a person's name or address sends `*`, since one person is assignee
//! in many organizations (migration `inbox_change_notices`). The bus moves the organization's
//! clock when the notice arrives, so a write from any process, the `wagent` tools and SQL by
//! hand included, reaches every server. A transaction of this process moves its
//! organization's clock itself as soon as it commits, ahead of its notice, so a person's next
//! request after their own change never sees the page from before it. A bus event moves its
//! organization's clock before subscribers hear it, so a live inbox that reloads on an event
//! never gets the page from before it either.
//!
//! A cache takes a [`Stamp`] before it reads and keeps what it read under it; the entry is
//! good while [`Changes::stamp`] still gives the same value. Organizations share the clocks of
//! a fixed table by hash (a shared clock only forgets more often). Without a listening
//! connection nothing would move the clocks for other processes' writes, so there are no
//! stamps then: caches read through until the listener is back, and its return moves every
//! clock, whatever was missed meanwhile.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use uuid::Uuid;

/// The number of clocks organizations share.
const CLOCKS: usize = 1024;

/// What a page read under a stamp is still good for: equal stamps, no change in between.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    clock: u64,
    epoch: u64,
}

pub struct Changes {
    clocks: Box<[AtomicU64]>,
    /// Moves when every clock would: a person's change, a listener lost or back.
    epoch: AtomicU64,
    listening: AtomicBool,
}

impl Default for Changes {
    fn default() -> Self {
        Self {
            clocks: (0..CLOCKS).map(|_| AtomicU64::new(0)).collect(),
            epoch: AtomicU64::new(0),
            listening: AtomicBool::new(false),
        }
    }
}

impl Changes {
    /// The organization's clock now, or `None` while no listener hears other processes.
    pub fn stamp(&self, org_id: Uuid) -> Option<Stamp> {
        if !self.listening.load(Ordering::Acquire) {
            return None;
        }
        // The epoch last: a page stamped before a reconnection never matches after it.
        let clock = self.clock(org_id).load(Ordering::Acquire);
        let epoch = self.epoch.load(Ordering::Acquire);
        Some(Stamp { clock, epoch })
    }

    /// The organization's rows may have changed.
    pub fn changed(&self, org_id: Uuid) {
        self.clock(org_id).fetch_add(1, Ordering::AcqRel);
    }

    /// Any organization's rows may have changed.
    pub(crate) fn changed_everywhere(&self) {
        self.epoch.fetch_add(1, Ordering::AcqRel);
    }

    /// A notice's payload: an organization's id, or `*`.
    pub(crate) fn notice(&self, payload: &str) {
        match Uuid::parse_str(payload) {
            Ok(org_id) => self.changed(org_id),
            Err(_) => self.changed_everywhere(),
        }
    }

    /// The listener is (back) on its connection, or lost it; either way every clock moves.
    pub(crate) fn set_listening(&self, listening: bool) {
        if listening {
            self.changed_everywhere();
            self.listening.store(true, Ordering::Release);
        } else {
            self.listening.store(false, Ordering::Release);
            self.changed_everywhere();
        }
    }

    fn clock(&self, org_id: Uuid) -> &AtomicU64 {
        let (high, low) = org_id.as_u64_pair();
        &self.clocks[((high ^ low) % CLOCKS as u64) as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stamp_holds_until_its_organization_or_everything_changes() {
        let changes = Changes::default();
        let (acme, globex) = (Uuid::new_v4(), Uuid::new_v4());
        assert_eq!(
            changes.stamp(acme),
            None,
            "no stamps before the listener hears"
        );
        changes.set_listening(true);
        let before = changes.stamp(acme).unwrap();
        assert_eq!(changes.stamp(acme), Some(before));

        changes.notice(&acme.to_string());
        let after = changes.stamp(acme).unwrap();
        assert_ne!(after, before);

        let other = changes.stamp(globex).unwrap();
        changes.notice("*");
        assert_ne!(changes.stamp(acme), Some(after));
        assert_ne!(changes.stamp(globex), Some(other));

        let last = changes.stamp(acme).unwrap();
        changes.set_listening(false);
        assert_eq!(
            changes.stamp(acme),
            None,
            "no stamps while the listener is away"
        );
        changes.set_listening(true);
        assert_ne!(
            changes.stamp(acme),
            Some(last),
            "what was missed meanwhile is forgotten"
        );
    }
}
