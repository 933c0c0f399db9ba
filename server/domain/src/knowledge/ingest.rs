//! The `knowledge.ingest` job: reads a source (its stored file, or its web pages through the
//! SSRF-safe crawler), extracts the text, cuts it into chunks and replaces the source's
//! chunks in one transaction, so a search sees the old chunks or the new, never half. A
//! failure is kept on the source with its reason; an earlier run's chunks stay searchable.

use chrono::{Duration, Utc};
use diesel::{ExpressionMethods, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use wagent_db::{
    Conn, Scope,
    schema::{knowledge_chunks, knowledge_sources},
};
use wagent_jobs::{BackgroundJob, Job, JobError, NewJob};

use super::{
    KnowledgeError, KnowledgeSource, MAX_FILE_BYTES, Result, SourceKind, SourceStatus, publish,
    search::ts_config,
};
use crate::{CommonError, Domain, jobs};

/// Most chunks one source keeps.
const MAX_CHUNKS: usize = 5_000;

/// Ingest one source (`org_id` is the job's).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Ingest {
    pub source_id: Uuid,
}

impl Ingest {
    /// Queues the source's ingestion in the caller's transaction; at most one waits.
    pub(crate) async fn enqueue(
        c: &mut Conn,
        org_id: Uuid,
        source_id: Uuid,
    ) -> Result<(), CommonError> {
        Self::enqueue_at(c, org_id, source_id, Utc::now()).await
    }

    async fn enqueue_at(
        c: &mut Conn,
        org_id: Uuid,
        source_id: Uuid,
        at: chrono::DateTime<Utc>,
    ) -> Result<(), CommonError> {
        let job = NewJob::of(Some(org_id), &Self { source_id })
            .at(at)
            .unique(format!("{}:{source_id}", Self::KIND));
        wagent_jobs::enqueue(c, job).await?;
        Ok(())
    }
}

impl BackgroundJob for Ingest {
    const KIND: &'static str = "knowledge.ingest";
    type Context = Domain;

    async fn run(self, job: Job, domain: Domain) -> Result<(), JobError> {
        let org_id = jobs::organization(&job)?;
        match domain.ingest_knowledge(org_id, self.source_id).await {
            Ok(()) => Ok(()),
            // What the user must fix: no retry.
            Err(e @ (KnowledgeError::Unreadable(_) | KnowledgeError::BadUrl)) => domain
                .end_ingestion(org_id, self.source_id, &e.to_string())
                .await
                .map_err(jobs::retry),
            Err(e) if job.attempts >= job.max_attempts => {
                tracing::error!(error = %crate::Problem::internal_cause(&e), "a knowledge source failed for good");
                domain
                    .end_ingestion(
                        org_id,
                        self.source_id,
                        "an internal error stopped reading this source; try again",
                    )
                    .await
                    .map_err(jobs::retry)
            }
            Err(e) => Err(jobs::retry(e)),
        }
    }
}

/// The kind of file an upload is, from its name and first bytes: its content type.
pub(super) fn declared_format(file_name: &str, bytes: &[u8]) -> Result<&'static str> {
    let format = wagent_knowledge::detect(bytes, Some(file_name), None)
        .map_err(|e| KnowledgeError::Unreadable(e.to_string()))?;
    Ok(content_type(format))
}

fn content_type(format: wagent_knowledge::Format) -> &'static str {
    use wagent_knowledge::Format;
    match format {
        Format::Pdf => "application/pdf",
        Format::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Format::Text => "text/plain",
        Format::Markdown => "text/markdown",
        Format::Html => "text/html",
    }
}

/// A chunk ready to store.
struct NewChunk {
    url: Option<String>,
    page_title: Option<String>,
    page: Option<i32>,
    heading_path: Vec<String>,
    text: String,
}

/// Chunks of one document read from `bytes`.
fn chunks_of(
    bytes: &[u8],
    file_name: Option<&str>,
    content_type: Option<&str>,
    url: Option<&str>,
) -> Result<(Option<String>, Vec<NewChunk>), wagent_knowledge::KnowledgeError> {
    let limits = wagent_knowledge::Limits::default();
    let document = wagent_knowledge::read(bytes, file_name, content_type, &limits)?;
    let chunks = wagent_knowledge::chunk(&document, wagent_knowledge::ChunkOptions::default())?;
    let title = document.title.clone();
    Ok((
        title.clone(),
        chunks
            .into_iter()
            .map(|k| NewChunk {
                url: url.map(str::to_owned),
                page_title: if url.is_some() { title.clone() } else { None },
                page: k.page.map(|p| p as i32),
                heading_path: k.heading_path,
                text: k.text,
            })
            .collect(),
    ))
}

impl Domain {
    /// Reads a source and replaces its chunks.
    pub(crate) async fn ingest_knowledge(&self, org_id: Uuid, source_id: Uuid) -> Result<()> {
        let scope = Scope::org(org_id);
        let Some(source) = self
            .tx(scope, async |c| -> Result<Option<KnowledgeSource>> {
                let source: Option<KnowledgeSource> = diesel::update(
                    knowledge_sources::table.filter(knowledge_sources::id.eq(source_id)),
                )
                .set((
                    knowledge_sources::status.eq(SourceStatus::Processing),
                    knowledge_sources::status_reason.eq(None::<String>),
                    knowledge_sources::progress_done.eq(0),
                    knowledge_sources::progress_total.eq(1),
                    knowledge_sources::updated_at.eq(Utc::now()),
                ))
                .returning(KnowledgeSource::as_returning())
                .get_results(c)
                .await?
                .into_iter()
                .next();
                publish(c, org_id, source_id).await?;
                Ok(source)
            })
            .await?
        else {
            // Deleted while it waited.
            return Ok(());
        };
        let (chunks, pages, page_errors) = match source.kind {
            SourceKind::File => {
                let path = self.knowledge_file(org_id, source_id)?;
                let bytes = read_bounded(&path).await?;
                let name = source.file_name.clone();
                let kind = source.content_type.clone();
                let (_, chunks) = tokio::task::spawn_blocking(move || {
                    chunks_of(&bytes, name.as_deref(), kind.as_deref(), None)
                })
                .await
                .map_err(CommonError::internal)?
                .map_err(|e| KnowledgeError::Unreadable(e.to_string()))?;
                (chunks, 1, Vec::new())
            }
            SourceKind::Url => self.crawl_source(org_id, &source).await?,
        };
        if chunks.is_empty() {
            return Err(KnowledgeError::Unreadable(
                match page_errors.as_slice().first() {
                    Some((url, reason)) => format!("no page could be read: {url}: {reason}"),
                    None => "no text found".into(),
                },
            ));
        }
        let config = ts_config(&source.language);
        let (embeddings, embedding_error) = self.embed_chunks(&chunks).await;
        self.tx(scope, async |c| -> Result<()> {
            // Deleted meanwhile: nothing to store.
            let still: i64 = knowledge_sources::table
                .filter(knowledge_sources::id.eq(source_id))
                .count()
                .get_result(c)
                .await?;
            if still == 0 {
                return Ok(());
            }
            diesel::delete(
                knowledge_chunks::table.filter(knowledge_chunks::source_id.eq(source_id)),
            )
            .execute(c)
            .await?;
            store_chunks(c, org_id, source_id, config, &chunks, embeddings.as_ref()).await?;
            let errors: Vec<serde_json::Value> = page_errors
                .iter()
                .take(100)
                .map(|(url, reason)| serde_json::json!({ "url": url, "reason": reason }))
                .collect();
            let now = Utc::now();
            diesel::update(knowledge_sources::table.filter(knowledge_sources::id.eq(source_id)))
                .set((
                    knowledge_sources::status.eq(SourceStatus::Ready),
                    knowledge_sources::status_reason.eq(None::<String>),
                    knowledge_sources::chunk_count.eq(chunks.len() as i32),
                    knowledge_sources::pages.eq(pages),
                    knowledge_sources::progress_done.eq(pages),
                    knowledge_sources::progress_total.eq(pages),
                    knowledge_sources::page_errors.eq(serde_json::Value::Array(errors)),
                    knowledge_sources::embedding_error.eq(embedding_error.as_deref()),
                    knowledge_sources::ingested_at.eq(now),
                    knowledge_sources::updated_at.eq(now),
                ))
                .execute(c)
                .await?;
            if let Some(hours) = source.recrawl_hours {
                Ingest::enqueue_at(
                    c,
                    org_id,
                    source_id,
                    now + Duration::hours(i64::from(hours)),
                )
                .await?;
            }
            publish(c, org_id, source_id).await?;
            Ok(())
        })
        .await
    }

    /// The chunks' embeddings when an embeddings endpoint is configured, or why there are
    /// none: the source is searchable by its text all the same.
    async fn embed_chunks(&self, chunks: &[NewChunk]) -> (Option<ChunkVectors>, Option<String>) {
        let Some(client) = self.ai.as_ref().and_then(|ai| ai.embeddings.as_ref()) else {
            return (None, None);
        };
        let texts: Vec<String> = chunks
            .iter()
            .map(|k| {
                if k.heading_path.is_empty() {
                    k.text.clone()
                } else {
                    format!("{}\n\n{}", k.heading_path.join(" > "), k.text)
                }
            })
            .collect();
        match client.embed(&texts).await {
            Ok(e) if e.vectors.len() == chunks.len() => (
                Some(ChunkVectors {
                    vectors: e.vectors,
                    model: e.model,
                }),
                None,
            ),
            Ok(_) => (
                None,
                Some("the embeddings endpoint answered for other chunks".into()),
            ),
            Err(e) => {
                let reason: String = format!("not embedded (text search only): {e}")
                    .chars()
                    .take(2000)
                    .collect();
                (None, Some(reason))
            }
        }
    }

    /// Marks a source failed with `reason`, for the knowledge page.
    pub(crate) async fn end_ingestion(
        &self,
        org_id: Uuid,
        source_id: Uuid,
        reason: &str,
    ) -> Result<()> {
        let reason: String = reason.chars().take(2000).collect();
        self.tx(Scope::org(org_id), async |c| -> Result<()> {
            diesel::update(knowledge_sources::table.filter(knowledge_sources::id.eq(source_id)))
                .set((
                    knowledge_sources::status.eq(SourceStatus::Failed),
                    knowledge_sources::status_reason.eq(&reason),
                    knowledge_sources::updated_at.eq(Utc::now()),
                ))
                .execute(c)
                .await?;
            publish(c, org_id, source_id).await?;
            Ok(())
        })
        .await
    }

    /// Crawls a web source, reporting progress on the source as pages arrive.
    async fn crawl_source(
        &self,
        org_id: Uuid,
        source: &KnowledgeSource,
    ) -> Result<(Vec<NewChunk>, i32, Vec<(String, String)>)> {
        let fetcher = self.fetcher()?;
        let start = source.url.as_deref().ok_or(KnowledgeError::BadUrl)?;
        refuse_internal(start, &self.fetch_policy.allow_addresses).await?;
        let options = wagent_fetch::CrawlOptions {
            max_depth: source.crawl_depth.max(0) as usize,
            max_pages: source.crawl_max_pages.max(1) as usize,
            ..Default::default()
        };
        // The crawler reports each page; a task beside it keeps the source's progress.
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(i32, i32)>();
        let progress = {
            let domain = self.clone();
            let id = source.id;
            tokio::spawn(async move {
                while let Some(mut latest) = rx.recv().await {
                    while let Ok(newer) = rx.try_recv() {
                        latest = newer;
                    }
                    let _ = domain
                        .ingestion_progress(org_id, id, latest.0, latest.1)
                        .await;
                }
            })
        };
        let report = fetcher
            .crawl(start, &options, move |event| {
                let p = match event {
                    wagent_fetch::CrawlEvent::Page(_, p)
                    | wagent_fetch::CrawlEvent::NoIndex(_, p)
                    | wagent_fetch::CrawlEvent::Failed(_, p) => p,
                };
                let done = (p.pages + p.failures) as i32;
                let _ = tx.send((done, done + p.queued.min(options_cap(p.queued)) as i32));
            })
            .await;
        let _ = progress.await;
        let report = report.map_err(|e| KnowledgeError::Unreadable(e.to_string()))?;
        let mut chunks = Vec::new();
        let mut errors: Vec<(String, String)> = report
            .failures
            .iter()
            .map(|f| (f.url.to_string(), f.error.to_string()))
            .collect();
        let pages = report.pages.len() as i32;
        for crawled in report.pages {
            let url = crawled.page.final_url.to_string();
            let kind = crawled.page.content_type.clone();
            let bytes = crawled.page.bytes;
            let at = url.clone();
            let read = tokio::task::spawn_blocking(move || {
                chunks_of(&bytes, None, Some(&kind), Some(&at)).map(|(_, c)| c)
            })
            .await
            .map_err(CommonError::internal)?;
            match read {
                Ok(mut c) => chunks.append(&mut c),
                Err(e) => errors.push((url, e.to_string())),
            }
            if chunks.len() > MAX_CHUNKS {
                chunks.truncate(MAX_CHUNKS);
                break;
            }
        }
        Ok((chunks, pages, errors))
    }

    async fn ingestion_progress(
        &self,
        org_id: Uuid,
        source_id: Uuid,
        done: i32,
        total: i32,
    ) -> Result<()> {
        self.tx(Scope::org(org_id), async |c| -> Result<()> {
            diesel::update(knowledge_sources::table.filter(knowledge_sources::id.eq(source_id)))
                .set((
                    knowledge_sources::progress_done.eq(done),
                    knowledge_sources::progress_total.eq(total),
                ))
                .execute(c)
                .await?;
            publish(c, org_id, source_id).await?;
            Ok(())
        })
        .await
    }
}

/// Says clearly why an address that resolves inside our network is refused. The crawler's
/// resolver refuses such addresses anyway (at connect time, and on every redirect); this only
/// words the refusal of the first page for the person who added it.
async fn refuse_internal(start: &str, allowed: &[std::net::SocketAddr]) -> Result<()> {
    let url = url::Url::parse(start).map_err(|_| KnowledgeError::BadUrl)?;
    let Some(host) = url.host_str() else {
        return Err(KnowledgeError::BadUrl);
    };
    if let Some(why) = wagent_fetch::forbidden_name(host) {
        return Err(KnowledgeError::Unreadable(format!(
            "{why}: WAgent never fetches internal addresses"
        )));
    }
    let port = url.port_or_known_default().unwrap_or(80);
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let Ok(addresses) = tokio::net::lookup_host((host, port)).await else {
        return Err(KnowledgeError::Unreadable(format!(
            "{host} cannot be found (DNS)"
        )));
    };
    for address in addresses {
        if allowed.contains(&address) {
            continue;
        }
        if let Some(why) = wagent_fetch::forbidden_ip(address.ip()) {
            return Err(KnowledgeError::Unreadable(format!(
                "{host} resolves to {why}: WAgent never fetches private, loopback or link-local addresses"
            )));
        }
    }
    Ok(())
}

/// Pages still queued count toward the total shown, up to a bound (a large site's queue is
/// not its size).
fn options_cap(queued: usize) -> usize {
    queued.min(500)
}

/// The stored file, never more than the upload limit.
pub(super) async fn read_bounded(path: &std::path::Path) -> Result<Vec<u8>> {
    use tokio::io::AsyncReadExt;
    let file = tokio::fs::File::open(path).await.map_err(|_| {
        KnowledgeError::Unreadable("the uploaded file is gone; upload it again".into())
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .await
        .map_err(CommonError::internal)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(KnowledgeError::FileTooLarge(MAX_FILE_BYTES));
    }
    Ok(bytes)
}

/// The embeddings of a source's chunks, in their order, and the model that made them.
struct ChunkVectors {
    vectors: Vec<Vec<f32>>,
    model: String,
}

/// Inserts chunks with their search vectors (and embeddings, if any) in one statement
/// (arrays, not one row each).
async fn store_chunks(
    c: &mut Conn,
    org_id: Uuid,
    source_id: Uuid,
    config: &str,
    chunks: &[NewChunk],
    embeddings: Option<&ChunkVectors>,
) -> Result<(), wagent_db::Error> {
    use diesel::sql_types::{Array, Integer, Jsonb, Nullable, Text, Uuid as SqlUuid};

    // Embeddings travel as one JSON array of arrays, picked by ordinal: a PostgreSQL
    // array of arrays cannot be unnested row by row.
    let vectors = embeddings.map(|e| serde_json::json!(e.vectors));

    let ids: Vec<Uuid> = chunks.iter().map(|_| Uuid::now_v7()).collect();
    let ordinals: Vec<i32> = (0..chunks.len() as i32).collect();
    let urls: Vec<Option<&str>> = chunks.iter().map(|k| k.url.as_deref()).collect();
    let titles: Vec<Option<&str>> = chunks.iter().map(|k| k.page_title.as_deref()).collect();
    let pages: Vec<Option<i32>> = chunks.iter().map(|k| k.page).collect();
    // Heading paths travel as one text each (a unit separator between headings): PostgreSQL
    // arrays cannot be ragged.
    let headings: Vec<String> = chunks
        .iter()
        .map(|k| k.heading_path.join("\u{1f}"))
        .collect();
    let texts: Vec<&str> = chunks.iter().map(|k| k.text.as_str()).collect();
    diesel::sql_query(
        "INSERT INTO knowledge_chunks
             (org_id, id, source_id, ordinal, url, page_title, page, heading_path, text,
              ts_config, tsv, tsv_simple, search_text, embedding, embedding_model)
         SELECT $1, r.id, $2, r.ordinal, r.url, r.page_title, r.page,
                CASE WHEN r.headings = '' THEN '{}'::text[] ELSE string_to_array(r.headings, chr(31)) END,
                r.text, $3,
                setweight(to_tsvector($3::regconfig, replace(r.headings, chr(31), ' ')), 'A')
                    || to_tsvector($3::regconfig, r.text),
                setweight(to_tsvector('wagent_simple', replace(r.headings, chr(31), ' ')), 'A')
                    || to_tsvector('wagent_simple', r.text),
                wagent_fold(replace(r.headings, chr(31), ' ') || ' ' || r.text),
                (SELECT array_agg(e.x::real ORDER BY e.i)
                   FROM jsonb_array_elements_text($11 -> r.ordinal) WITH ORDINALITY AS e (x, i)),
                CASE WHEN $11 IS NOT NULL THEN $12 END
           FROM unnest($4::uuid[], $5::int[], $6::text[], $7::text[], $8::int[], $9::text[], $10::text[])
                AS r (id, ordinal, url, page_title, page, headings, text)",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<SqlUuid, _>(source_id)
    .bind::<Text, _>(config)
    .bind::<Array<SqlUuid>, _>(&ids)
    .bind::<Array<Integer>, _>(&ordinals)
    .bind::<Array<Nullable<Text>>, _>(&urls)
    .bind::<Array<Nullable<Text>>, _>(&titles)
    .bind::<Array<Nullable<Integer>>, _>(&pages)
    .bind::<Array<Text>, _>(&headings)
    .bind::<Array<Text>, _>(&texts)
    .bind::<Nullable<Jsonb>, _>(vectors)
    .bind::<Nullable<Text>, _>(embeddings.map(|e| e.model.as_str()))
    .execute(c)
    .await?;
    Ok(())
}
