//! Column names as the importer shows them: trimmed, never blank, never twice the same.

use std::collections::HashSet;

use crate::{Limits, Position, TabularError};

/// Checks the header row's values and turns them into column names.
///
/// `at` is the header row, for the error when it holds nothing.
pub(crate) fn from_row(
    names: Vec<String>,
    limits: &Limits,
    at: Position,
) -> Result<Vec<String>, TabularError> {
    if names.iter().all(|name| name.trim().is_empty()) {
        return Err(TabularError::BlankHeader { at });
    }
    if names.len() > limits.max_columns {
        return Err(TabularError::TooManyColumns {
            found: names.len(),
            limit: limits.max_columns,
        });
    }
    if let Some(index) = names
        .iter()
        .position(|name| name.trim().len() > limits.max_field_bytes)
    {
        return Err(TabularError::HeaderTooLong {
            column: index + 1,
            limit: limits.max_field_bytes,
        });
    }
    Ok(unique(names))
}

/// A blank name becomes "Column N" (1-based); a repeated one gets " (2)", " (3)"...
/// Names are compared without case, as a person reading them would.
fn unique(names: Vec<String>) -> Vec<String> {
    let mut taken = HashSet::with_capacity(names.len());
    names
        .into_iter()
        .enumerate()
        .map(|(index, name)| {
            let trimmed = name.trim();
            let base = if trimmed.is_empty() {
                format!("Column {}", index + 1)
            } else {
                trimmed.to_owned()
            };
            let mut candidate = base.clone();
            let mut suffix = 2;
            while !taken.insert(candidate.to_lowercase()) {
                candidate = format!("{base} ({suffix})");
                suffix += 1;
            }
            candidate
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(raw: &[&str]) -> Vec<String> {
        unique(raw.iter().map(|name| (*name).to_owned()).collect())
    }

    #[test]
    fn blanks_are_numbered_and_repeats_suffixed() {
        assert_eq!(
            names(&[" Phone ", "", "phone", "Name", "Phone", "  "]),
            [
                "Phone",
                "Column 2",
                "phone (2)",
                "Name",
                "Phone (3)",
                "Column 6"
            ]
        );
    }

    #[test]
    fn a_suffix_never_collides_with_a_real_name() {
        assert_eq!(names(&["A", "A (2)", "A"]), ["A", "A (2)", "A (3)"]);
        assert_eq!(names(&["A", "A", "A (2)"]), ["A", "A (2)", "A (2) (2)"]);
    }
}
