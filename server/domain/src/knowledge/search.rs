//! Retrieval without any outside service: full-text search in each chunk's language (and in
//! `wagent_simple`, accent-folded and unstemmed, for everything else) plus trigram word
//! similarity (typos, word fragments), the two rankings merged by reciprocal rank fusion.
//!
//! A question's words are OR-ed: customers do not write the words of the document, and a
//! conjunction of all of them rarely matches. Whether a passage *answers* is judged apart
//! from its rank: by how many of the question's meaningful words it holds (`coverage`) or
//! how closely its words match the question's (`similarity`); [`Passage::grounded`] decides.

use diesel::{
    QueryableByName,
    sql_types::{Array, Double, Integer, Nullable, Text, Uuid as SqlUuid},
};
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use uuid::Uuid;
use wagent_db::Conn;

/// Candidates each ranking contributes before fusion.
const CANDIDATES: i64 = 40;
/// Reciprocal rank fusion's constant (the usual 60).
const RRF_K: f64 = 60.0;
/// Share of the question's meaningful words a passage must hold to answer it.
pub const MIN_COVERAGE: f64 = 0.5;
/// Trigram word similarity that alone makes a passage answer (a typo'd question).
pub const MIN_SIMILARITY: f64 = 0.75;
/// Longest question searched (characters): a long message is cut, not refused.
const MAX_QUERY_CHARS: usize = 1_000;

/// The text search configuration of a language tag (`pt-BR` → Portuguese).
pub fn ts_config(language: &str) -> &'static str {
    let primary = language
        .split(['-', '_'])
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match primary.as_str() {
        "en" => "wagent_english",
        "pt" => "wagent_portuguese",
        "es" => "wagent_spanish",
        _ => "wagent_simple",
    }
}

/// A retrieved chunk with its source and scores.
#[derive(Debug, Clone, PartialEq, QueryableByName, serde::Serialize, serde::Deserialize)]
pub struct Passage {
    #[diesel(sql_type = SqlUuid)]
    pub chunk_id: Uuid,
    #[diesel(sql_type = SqlUuid)]
    pub source_id: Uuid,
    /// The source's title (a crawled page's own title when it has one).
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Array<Text>)]
    pub heading_path: Vec<String>,
    #[diesel(sql_type = Nullable<Integer>)]
    pub page: Option<i32>,
    #[diesel(sql_type = Nullable<Text>)]
    pub url: Option<String>,
    #[diesel(sql_type = Text)]
    pub text: String,
    /// The fused rank score (higher is better; only comparable within one search).
    #[diesel(sql_type = Double)]
    pub score: f64,
    /// Share of the question's meaningful words found in the passage.
    #[diesel(sql_type = Double)]
    pub coverage: f64,
    /// Trigram word similarity of the question to the passage.
    #[diesel(sql_type = Double)]
    pub similarity: f64,
}

impl Passage {
    /// Whether the passage holds an answer to the question, not only some of its words.
    pub fn grounded(&self) -> bool {
        self.coverage >= MIN_COVERAGE || self.similarity >= MIN_SIMILARITY
    }

    /// Where the passage is, for a person: "Title › Heading (p. 3)".
    pub fn citation(&self) -> String {
        let mut out = self.title.clone();
        if let Some(h) = self.heading_path.last() {
            out.push_str(" › ");
            out.push_str(h);
        }
        if let Some(p) = self.page {
            out.push_str(&format!(" (p. {p})"));
        }
        out
    }
}

/// The best `limit` passages for `question` among the ready sources of the transaction's
/// organization (`sources` empty: all of them). One statement.
pub(crate) async fn search(
    c: &mut Conn,
    question: &str,
    sources: &[Uuid],
    limit: i64,
) -> Result<Vec<Passage>, wagent_db::Error> {
    let question: String = question.chars().take(MAX_QUERY_CHARS).collect();
    if question.trim().is_empty() {
        return Ok(Vec::new());
    }
    // Trigram candidates need a looser threshold than the default 0.6 for whole questions.
    c.batch_execute("SET LOCAL pg_trgm.word_similarity_threshold = 0.3")
        .await?;
    let rows = diesel::sql_query(SEARCH)
        .bind::<Text, _>(&question)
        .bind::<Array<SqlUuid>, _>(sources)
        .bind::<diesel::sql_types::BigInt, _>(CANDIDATES)
        .bind::<Double, _>(RRF_K)
        .bind::<diesel::sql_types::BigInt, _>(limit.clamp(1, 50))
        .load::<Passage>(c)
        .await?;
    Ok(rows)
}

const SEARCH: &str = "
WITH q AS (
    SELECT cfg,
           NULLIF(replace(plainto_tsquery(cfg::regconfig, $1)::text, ' & ', ' | '), '')::tsquery AS tsq,
           tsvector_to_array(to_tsvector(cfg::regconfig, $1)) AS words
      FROM unnest(ARRAY['wagent_english', 'wagent_portuguese', 'wagent_spanish', 'wagent_simple']) AS cfg
),
simple AS (SELECT tsq, words FROM q WHERE cfg = 'wagent_simple'),
scope AS (
    SELECT id, title FROM knowledge_sources
     WHERE status = 'ready' AND (cardinality($2) = 0 OR id = ANY ($2))
),
fts AS (
    SELECT k.id,
           row_number() OVER (ORDER BY ts_rank_cd(k.tsv, q.tsq, 1) + 0.5 * ts_rank_cd(k.tsv_simple, s.tsq, 1) DESC, k.id) AS r
      FROM knowledge_chunks k
      JOIN q ON q.cfg = k.ts_config
     CROSS JOIN simple s
     WHERE k.source_id IN (SELECT id FROM scope)
       AND (k.tsv @@ q.tsq OR k.tsv_simple @@ s.tsq)
     ORDER BY r
     LIMIT $3
),
tri AS (
    SELECT k.id,
           row_number() OVER (ORDER BY word_similarity(wagent_fold($1), k.search_text) DESC, k.id) AS r
      FROM knowledge_chunks k
     WHERE k.source_id IN (SELECT id FROM scope)
       AND wagent_fold($1) <% k.search_text
     ORDER BY r
     LIMIT $3
),
fused AS (
    SELECT id, coalesce(1.0 / ($4 + fts.r), 0) + coalesce(1.0 / ($4 + tri.r), 0) AS score
      FROM fts FULL JOIN tri USING (id)
)
SELECT k.id AS chunk_id, k.source_id, coalesce(k.page_title, sc.title) AS title, k.heading_path,
       k.page, k.url, k.text, f.score::float8 AS score,
       coalesce((SELECT count(*) FROM unnest(q.words) w WHERE w = ANY (tsvector_to_array(k.tsv)))::float8
                / NULLIF(cardinality(q.words), 0), 0)::float8 AS coverage,
       word_similarity(wagent_fold($1), k.search_text)::float8 AS similarity
  FROM fused f
  JOIN knowledge_chunks k ON k.id = f.id
  JOIN scope sc ON sc.id = k.source_id
  JOIN q ON q.cfg = k.ts_config
 ORDER BY f.score DESC, k.id
 LIMIT $5";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_map_to_their_search_configurations() {
        assert_eq!(ts_config("pt-BR"), "wagent_portuguese");
        assert_eq!(ts_config("EN"), "wagent_english");
        assert_eq!(ts_config("es_MX"), "wagent_spanish");
        assert_eq!(ts_config("ar"), "wagent_simple");
        assert_eq!(ts_config(""), "wagent_simple");
    }
}
