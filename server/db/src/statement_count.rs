//! Counts the SQL statements run for each organization, so tests can check that a list is
//! answered with a bounded number of statements whatever its page size. Off unless a test
//! (which runs the server in its own process) calls [`enable`]; the `wagent` binary never does.

use std::{
    collections::HashMap,
    sync::{
        LazyLock, Mutex,
        atomic::{AtomicBool, Ordering},
    },
};

use diesel::connection::{Instrumentation, InstrumentationEvent};
use uuid::Uuid;

use crate::Conn;

static ENABLED: AtomicBool = AtomicBool::new(false);
static COUNTS: LazyLock<Mutex<HashMap<Uuid, u64>>> = LazyLock::new(Mutex::default);

/// Starts counting, for this process, from the next transaction on.
pub fn enable() {
    ENABLED.store(true, Ordering::Relaxed);
}

/// Statements run so far in transactions acting for `org_id` (BEGIN and COMMIT included).
pub fn statements(org_id: Uuid) -> u64 {
    COUNTS
        .lock()
        .map(|counts| counts.get(&org_id).copied().unwrap_or(0))
        .unwrap_or(0)
}

/// Counts the statements `conn` runs from now on toward `org_id`.
pub(crate) fn attribute(conn: &mut Conn, org_id: Option<Uuid>) {
    use diesel_async::AsyncConnection;
    if ENABLED.load(Ordering::Relaxed) {
        conn.set_instrumentation(Counter(org_id));
    }
}

struct Counter(Option<Uuid>);

impl Instrumentation for Counter {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let (Some(org_id), InstrumentationEvent::StartQuery { .. }) = (self.0, event)
            && let Ok(mut counts) = COUNTS.lock()
        {
            *counts.entry(org_id).or_default() += 1;
        }
    }
}
