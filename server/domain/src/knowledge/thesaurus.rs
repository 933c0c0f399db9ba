//! Query expansion from a thesaurus of customer service and home goods (`thesaurus.txt`):
//! customers ask in their words ("send something back", "installments", "Açores") what the
//! documents say in theirs ("returns", "10x sem juros", "Azores"), often in another language.
//! A question holding a term of a group is also searched with the group's other terms; the
//! search weighs them below the question's own words.

use std::{collections::BTreeSet, sync::LazyLock};

use unicode_normalization::UnicodeNormalization;

/// Most words between two words of a phrase term ("send *it* back").
const MAX_GAP: usize = 2;
/// A term word this long also matches as the start of a longer word ("return" → "returned").
const MIN_PREFIX: usize = 4;
/// How much longer than the term word that longer word may be.
const MAX_SUFFIX: usize = 4;

/// Groups of equivalent terms, each term its folded words.
struct Thesaurus {
    groups: Vec<Vec<Vec<String>>>,
}

static BUILT_IN: LazyLock<Thesaurus> =
    LazyLock::new(|| Thesaurus::parse(include_str!("thesaurus.txt")));

/// A group of the thesaurus that a question touches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Expansion {
    /// The question's words that belong to the group, space-separated.
    pub asked: String,
    /// The group's other terms, space-separated.
    pub terms: String,
}

/// The groups `question` touches, with the terms to search besides its own words.
pub(crate) fn expand(question: &str) -> Vec<Expansion> {
    BUILT_IN.expand(question)
}

/// Lower-case, accents removed, cut into words at anything not a letter or digit.
pub(crate) fn words(text: &str) -> Vec<String> {
    text.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn word_matches(term: &str, word: &str) -> bool {
    if term == word {
        return true;
    }
    let (t, w) = (term.chars().count(), word.chars().count());
    t >= MIN_PREFIX && w <= t + MAX_SUFFIX && word.starts_with(term)
}

impl Thesaurus {
    fn parse(text: &str) -> Self {
        let groups = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(|l| {
                l.split([',', '|'])
                    .map(words)
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
            })
            .filter(|g| g.len() > 1)
            .collect();
        Self { groups }
    }

    fn expand(&self, question: &str) -> Vec<Expansion> {
        let tokens = words(question);
        let mut used = vec![false; tokens.len()];
        // Longer terms first: "credit card" takes its words before "card" can.
        let mut terms: Vec<(usize, &Vec<String>)> = self
            .groups
            .iter()
            .enumerate()
            .flat_map(|(g, terms)| terms.iter().map(move |t| (g, t)))
            .collect();
        terms.sort_by_key(|(_, t)| {
            (
                std::cmp::Reverse(t.len()),
                std::cmp::Reverse(t.iter().map(String::len).sum::<usize>()),
            )
        });
        // Each group the question touches, with the question's words that touched it.
        let mut matched: std::collections::BTreeMap<usize, Vec<&str>> = Default::default();
        for (group, term) in terms {
            if let Some(at) = find(term, &tokens, &used) {
                let words = matched.entry(group).or_default();
                for i in at {
                    used[i] = true;
                    words.push(&tokens[i]);
                }
            }
        }
        let asked: BTreeSet<&str> = tokens.iter().map(String::as_str).collect();
        matched
            .into_iter()
            .map(|(group, by)| {
                let mut words: Vec<&str> = Vec::new();
                for word in self.groups[group].iter().flatten() {
                    if !asked.contains(word.as_str()) && !words.contains(&word.as_str()) {
                        words.push(word);
                    }
                }
                Expansion {
                    asked: by.join(" "),
                    terms: words.join(" "),
                }
            })
            .collect()
    }
}

/// Where `term`'s words are among the unused `tokens`, in order and close together.
fn find(term: &[String], tokens: &[String], used: &[bool]) -> Option<Vec<usize>> {
    let (first, rest) = term.split_first()?;
    'start: for start in 0..tokens.len() {
        if used[start] || !word_matches(first, &tokens[start]) {
            continue;
        }
        let mut at = vec![start];
        for word in rest {
            let last = at[at.len() - 1];
            let next = (last + 1..tokens.len().min(last + 2 + MAX_GAP))
                .find(|&i| !used[i] && word_matches(word, &tokens[i]));
            match next {
                Some(i) => at.push(i),
                None => continue 'start,
            }
        }
        return Some(at);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expanded(question: &str) -> Vec<String> {
        expand(question)
            .iter()
            .flat_map(|g| g.terms.split(' '))
            .filter(|w| !w.is_empty())
            .map(str::to_owned)
            .collect()
    }

    #[test]
    fn every_group_has_terms_and_no_term_is_blank() {
        assert!(BUILT_IN.groups.len() > 50);
        for group in &BUILT_IN.groups {
            assert!(group.len() > 1);
            assert!(group.iter().all(|t| !t.is_empty()));
        }
    }

    #[test]
    fn a_phrase_with_words_between_finds_its_group() {
        let words = expanded("how many days do I have to send it back?");
        assert!(words.contains(&"return".to_owned()), "{words:?}");
        assert!(words.contains(&"devolucao".to_owned()), "{words:?}");
        // "send" went to the phrase, not to shipping.
        assert!(!words.contains(&"dispatch".to_owned()), "{words:?}");
    }

    #[test]
    fn accents_case_and_languages_cross() {
        let words = expanded("Vocês entregam nos AÇORES?");
        assert!(words.contains(&"azores".to_owned()), "{words:?}");
        assert!(words.contains(&"delivery".to_owned()), "{words:?}");
        let words = expanded("can I split the payment into installments");
        assert!(words.contains(&"parcelas".to_owned()), "{words:?}");
        assert!(words.contains(&"juros".to_owned()), "{words:?}");
    }

    #[test]
    fn a_word_matches_longer_forms_but_not_inside_other_words() {
        let words = expanded("I returned it");
        assert!(words.contains(&"devolver".to_owned()), "{words:?}");
        // Returning and refunding are two groups: one does not bring the other.
        assert!(!words.contains(&"refund".to_owned()), "{words:?}");
        // "card" does not start "discard"; "open" alone is no group.
        assert!(expanded("discard the box").iter().all(|w| w != "cartao"));
        assert!(
            expanded("I already opened the pillow")
                .iter()
                .all(|w| w != "horario")
        );
    }

    #[test]
    fn each_group_keeps_the_words_that_asked_for_it() {
        let groups = expand("Posso devolver? Vocês entregam nos Açores?");
        let asked: Vec<&str> = groups.iter().map(|g| g.asked.as_str()).collect();
        assert!(asked.contains(&"devolver"), "{groups:?}");
        assert!(asked.contains(&"acores"), "{groups:?}");
        assert!(asked.contains(&"entregam"), "{groups:?}");
    }

    #[test]
    fn a_question_without_any_term_expands_to_nothing() {
        assert!(expand("xyzzy plugh").is_empty());
    }
}
