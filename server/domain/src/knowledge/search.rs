//! Retrieval without any outside service: full-text search in each chunk's language (and in
//! `wagent_simple`, accent-folded and unstemmed, for everything else) plus trigram word
//! similarity (typos, word fragments), the two rankings merged by reciprocal rank fusion.
//!
//! A question's words are OR-ed: customers do not write the words of the document, and a
//! conjunction of all of them rarely matches. Whether a passage *answers* is judged apart
//! from its rank: by how many of the question's meaningful words it holds (`coverage`) or
//! how closely its words match the question's (`similarity`); [`Passage::grounded`] decides.
//!
//! The full-text ranking weighs each matched word by its rarity among the chunks searched
//! (BM25's inverse document frequency: "recliner" says more than "month") times how much
//! the chunk is about it (`ts_rank`: in a heading, or often, counts more), leaves out
//! words that any language takes for stop words, and adds the knowledge's own words that
//! look like the question's (`warrenty` finds `warranty`) and, at half weight, the words a
//! thesaurus of customer service gives for them (`thesaurus.rs`: "send back" finds
//! "returns", "Açores" finds "Azores"). With an embeddings endpoint
//! configured, the question's embedding ranks the chunks by cosine as a third list.

use diesel::{
    QueryableByName,
    sql_types::{Array, Double, Float4, Integer, Nullable, Text, Uuid as SqlUuid},
};
use diesel_async::{RunQueryDsl, SimpleAsyncConnection};
use uuid::Uuid;
use wagent_db::Conn;

/// Candidates each ranking contributes before fusion.
const CANDIDATES: i64 = 40;
/// Reciprocal rank fusion's constant: 10 rather than the usual 60, so that a passage first
/// in one ranking beats one fair in all (measured with `bench/run retrieval`).
const RRF_K: f64 = 10.0;
/// Share of the question's meaningful words a passage must hold to answer it.
pub const MIN_COVERAGE: f64 = 0.5;
/// Trigram word similarity that alone makes a passage answer (a typo'd question).
pub const MIN_SIMILARITY: f64 = 0.75;
/// Cosine similarity of embeddings that alone makes a passage answer: a near paraphrase.
pub const MIN_SEMANTIC: f64 = 0.8;
/// How much a word the thesaurus added counts against one of the question's own, when the
/// knowledge also uses the question's word (otherwise the equivalents stand in for it fully:
/// "Açores" asked of a text that only says "Azores").
const EXPANSION_WEIGHT: f64 = 0.5;
/// Words that shape a question rather than say what it is about ("how *many* days", "*quanto
/// tempo* leva"): no stop word in any language, but no measure of whether a passage answers.
/// Left out of `coverage`, where a word the knowledge never uses would weigh most.
const QUESTION_WORDS: &str = "many much long often soon way ways get got need needs want like \
    know tell please possible able anyone someone something anything thing things still ever \
    really just also kind sort quanto quanta quantos quantas muito muita muitos tempo jeito \
    forma preciso precisa quero queria posso pode podem saber sabe alguem algum alguma coisa \
    cuanto cuanta cuantos cuantas mucho mucha tiempo necesito quiero puedo puede saber alguien \
    algo cosa";
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
    /// Cosine similarity of the question's embedding to the passage's, when both have one
    /// of the same model.
    #[diesel(sql_type = Nullable<Double>)]
    #[serde(default)]
    pub semantic: Option<f64>,
}

impl Passage {
    /// Whether the passage holds an answer to the question, not only some of its words.
    pub fn grounded(&self) -> bool {
        self.coverage >= MIN_COVERAGE
            || self.similarity >= MIN_SIMILARITY
            || self.semantic.is_some_and(|s| s >= MIN_SEMANTIC)
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

/// A question's embedding and the model that made it: only chunks embedded by the same
/// model compare with it.
#[derive(Debug, Clone)]
pub(crate) struct QueryVector {
    pub vector: Vec<f32>,
    pub model: String,
}

/// The best `limit` passages for `question` among the ready sources of the transaction's
/// organization (`sources` empty: all of them), the question's embedding joining the
/// rankings when there is one. One statement.
pub(crate) async fn search(
    c: &mut Conn,
    question: &str,
    sources: &[Uuid],
    limit: i64,
    vector: Option<&QueryVector>,
) -> Result<Vec<Passage>, wagent_db::Error> {
    let question: String = question.chars().take(MAX_QUERY_CHARS).collect();
    if question.trim().is_empty() {
        return Ok(Vec::new());
    }
    // Trigram candidates need a looser threshold than the default 0.6 for whole questions.
    c.batch_execute("SET LOCAL pg_trgm.word_similarity_threshold = 0.3")
        .await?;
    let expansions = super::thesaurus::expand(&question);
    let rows = diesel::sql_query(SEARCH)
        .bind::<Text, _>(&question)
        .bind::<Array<SqlUuid>, _>(sources)
        .bind::<diesel::sql_types::BigInt, _>(CANDIDATES)
        .bind::<Double, _>(RRF_K)
        .bind::<diesel::sql_types::BigInt, _>(limit.clamp(1, 50))
        .bind::<Nullable<Array<Float4>>, _>(vector.map(|v| v.vector.as_slice()))
        .bind::<Nullable<Text>, _>(vector.map(|v| v.model.as_str()))
        .bind::<Array<Text>, _>(expansions.iter().map(|e| &e.terms).collect::<Vec<_>>())
        .bind::<Double, _>(EXPANSION_WEIGHT)
        .bind::<Array<Text>, _>(expansions.iter().map(|e| &e.asked).collect::<Vec<_>>())
        .bind::<Text, _>(QUESTION_WORDS)
        .load::<Passage>(c)
        .await?;
    Ok(rows)
}

const SEARCH: &str = "
WITH scope AS (
    SELECT id, title FROM knowledge_sources
     WHERE status = 'ready' AND (cardinality($2) = 0 OR id = ANY ($2))
),
q AS (
    SELECT cfg,
           NULLIF(replace(plainto_tsquery(cfg::regconfig, $1 || ' ' || array_to_string($8, ' '))::text,
                          ' & ', ' | '), '')::tsquery AS tsq,
           tsvector_to_array(to_tsvector(cfg::regconfig, $1)) AS words,
           tsvector_to_array(to_tsvector(cfg::regconfig, $11)) AS shaping
      FROM unnest(ARRAY['wagent_english', 'wagent_portuguese', 'wagent_spanish', 'wagent_simple']) AS cfg
),
-- The question's unstemmed words that no language takes for a stop word...
sw AS (
    SELECT w FROM q, unnest(q.words) AS w
     WHERE q.cfg = 'wagent_simple'
       AND length(to_tsvector('wagent_english', w)) > 0
       AND length(to_tsvector('wagent_portuguese', w)) > 0
       AND length(to_tsvector('wagent_spanish', w)) > 0
),
-- ...and the knowledge's own words that look like them (typos, fragments, spellings).
sx AS (
    SELECT w FROM sw
    UNION
    SELECT v.word
      FROM sw
      JOIN ts_stat('SELECT tsv_simple FROM knowledge_chunks') AS v
        ON length(sw.w) >= 4 AND v.word % sw.w AND similarity(v.word, sw.w) >= 0.4
),
-- The thesaurus's groups for the question (see thesaurus.rs), each weighed down unless the
-- knowledge never uses the question's words that brought it...
xt AS (
    SELECT g.n, g.t,
           CASE WHEN EXISTS (
                    SELECT 1 FROM knowledge_chunks k
                     WHERE k.source_id IN (SELECT id FROM scope)
                       AND (k.tsv @@ plainto_tsquery(k.ts_config::regconfig, g.asked)
                            OR k.tsv_simple @@ plainto_tsquery('wagent_simple', g.asked)))
                THEN $9 ELSE 1.0 END::float8 AS wt
      FROM unnest($8::text[], $10::text[]) WITH ORDINALITY AS g(t, asked, n)
),
-- ...and their words by configuration, the `simple` ones without stop words.
xg AS (
    SELECT q.cfg, 'g' || xt.n AS grp, w, xt.wt
      FROM q
     CROSS JOIN xt
     CROSS JOIN unnest(tsvector_to_array(to_tsvector(q.cfg::regconfig, xt.t))) AS w
     WHERE w <> ALL (q.words)
       AND (q.cfg <> 'wagent_simple'
            OR (length(to_tsvector('wagent_english', w)) > 0
                AND length(to_tsvector('wagent_portuguese', w)) > 0
                AND length(to_tsvector('wagent_spanish', w)) > 0
                AND w NOT IN (SELECT w FROM sx)))
),
simple AS (
    SELECT NULLIF(string_agg(quote_literal(w), ' | '), '')::tsquery AS tsq
      FROM (SELECT w FROM sx UNION SELECT w FROM xg WHERE cfg = 'wagent_simple') AS a
),
-- How rare each word is among the chunks searched (BM25's inverse document frequency). A
-- question's word is a group of its own; a thesaurus group counts by its best word only.
qw AS (
    SELECT DISTINCT q.cfg, w, 1.0::float8 AS wt, 'w:' || w AS grp
      FROM q, unnest(q.words) AS w WHERE q.cfg <> 'wagent_simple'
    UNION
    SELECT 'wagent_simple', w, 1.0, 'w:' || w FROM sx
    UNION
    SELECT cfg, w, wt, grp FROM xg
),
n AS (SELECT count(*)::float8 AS n FROM knowledge_chunks WHERE source_id IN (SELECT id FROM scope)),
idf AS (
    SELECT qw.cfg, qw.w, qw.grp, qw.wt * ln(1 + (n.n - count(k.id) + 0.5) / (count(k.id) + 0.5)) AS idf
      FROM qw CROSS JOIN n
      LEFT JOIN knowledge_chunks k
        ON (k.ts_config = qw.cfg OR qw.cfg = 'wagent_simple')
       AND k.source_id IN (SELECT id FROM scope)
       AND (CASE WHEN qw.cfg = 'wagent_simple' THEN k.tsv_simple ELSE k.tsv END)
           @@ quote_literal(qw.w)::tsquery
     GROUP BY qw.cfg, qw.w, qw.wt, qw.grp, n.n
),
fts AS (
    SELECT k.id,
           row_number() OVER (ORDER BY
               coalesce((SELECT sum(best) FROM (
                             SELECT max(i.idf * ts_rank(k.tsv, quote_literal(i.w)::tsquery)) AS best
                               FROM idf i
                              WHERE i.cfg = k.ts_config AND i.w = ANY (tsvector_to_array(k.tsv))
                              GROUP BY i.grp) AS b), 0)
               + 0.5 * coalesce((SELECT sum(best) FROM (
                                  SELECT max(i.idf * ts_rank(k.tsv_simple, quote_literal(i.w)::tsquery)) AS best
                                    FROM idf i
                                   WHERE i.cfg = 'wagent_simple'
                                     AND i.w = ANY (tsvector_to_array(k.tsv_simple))
                                   GROUP BY i.grp) AS b), 0)
               + ts_rank_cd(k.tsv, q.tsq, 1) + 0.5 * ts_rank_cd(k.tsv_simple, s.tsq, 1) DESC,
               k.id) AS r
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
emb AS (
    SELECT k.id, row_number() OVER (ORDER BY wagent_dot(k.embedding, $6) DESC, k.id) AS r
      FROM knowledge_chunks k
     WHERE $6 IS NOT NULL
       AND k.source_id IN (SELECT id FROM scope)
       AND k.embedding_model = $7
       AND cardinality(k.embedding) = cardinality($6)
     ORDER BY r
     LIMIT $3
),
fused AS (
    SELECT id, coalesce(1.0 / ($4 + fts.r), 0) + coalesce(1.0 / ($4 + tri.r), 0)
               + coalesce(1.0 / ($4 + emb.r), 0) AS score
      FROM fts FULL JOIN tri USING (id) FULL JOIN emb USING (id)
)
SELECT k.id AS chunk_id, k.source_id, coalesce(k.page_title, sc.title) AS title, k.heading_path,
       k.page, k.url, k.text, f.score::float8 AS score,
       coalesce((SELECT sum(i.idf) FILTER (WHERE i.w = ANY (tsvector_to_array(k.tsv)))
                        / NULLIF(sum(i.idf), 0)
                   FROM idf i
                  WHERE i.cfg = k.ts_config AND i.grp = 'w:' || i.w AND i.w = ANY (q.words)
                    AND i.w <> ALL (q.shaping)), 0)::float8
           AS coverage,
       word_similarity(wagent_fold($1), k.search_text)::float8 AS similarity,
       CASE WHEN k.embedding_model = $7 AND cardinality(k.embedding) = cardinality($6)
            THEN wagent_dot(k.embedding, $6) END AS semantic
  FROM fused f
  JOIN knowledge_chunks k ON k.id = f.id
  JOIN scope sc ON sc.id = k.source_id
  JOIN q ON q.cfg = k.ts_config
 ORDER BY f.score DESC, k.id
 LIMIT $5";

impl crate::Domain {
    /// The question's embedding (phone numbers and e-mail addresses masked), when an
    /// embeddings endpoint is configured. A failure is logged and leaves text search alone:
    /// a customer still gets an answer.
    pub(crate) async fn question_vector(&self, question: &str) -> Option<QueryVector> {
        let client = self.ai.as_ref()?.embeddings.as_ref()?;
        // What the endpoint receives is minimised like what the model receives.
        let question: String = crate::agents::mask::mask(question)
            .chars()
            .take(MAX_QUERY_CHARS)
            .collect();
        match client.embed(&[question]).await {
            Ok(mut e) if e.vectors.len() == 1 => Some(QueryVector {
                vector: e.vectors.swap_remove(0),
                model: e.model,
            }),
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(error = %e, "the question could not be embedded; text search alone");
                None
            }
        }
    }
}

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
