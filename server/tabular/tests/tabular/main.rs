#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Files as users upload them, read the way the importer reads them.

mod csv;
mod memory;
mod refusals;
mod support;
mod xlsx;
