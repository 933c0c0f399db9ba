//! The business's own knowledge, which its AI agents answer from: uploaded files (PDF, DOCX,
//! TXT, Markdown, HTML) and web pages (one page, or a site crawled to a depth and a page
//! count). A source is ingested by a background job (`ingest.rs`): its text extracted, cut into
//! chunks by headings, and stored with search vectors; `search.rs` retrieves chunks for a
//! question. Everything is tenant data under row-level security.

mod ingest;
pub mod search;
pub(crate) mod thesaurus;

pub(crate) use self::ingest::Ingest;
pub use self::search::{Passage, ts_config};

use chrono::{DateTime, Utc};
use diesel::{ExpressionMethods, OptionalExtension, QueryDsl, SelectableHelper};
use diesel_async::RunQueryDsl;
use uuid::Uuid;
use wagent_db::{
    Conn, LiteralLimitDsl,
    bus::{self, Event},
    schema::{knowledge_chunks, knowledge_sources},
};

use crate::{
    Access, Code, CommonError, Domain, Page, Problem, Role,
    error::wraps_common_error,
    organizations::audit::{self, Entry},
    values::{page_size, text_enum},
};

/// Topic of the events that tell a knowledge source changed (`{"source_id": …}`).
pub const TOPIC_KNOWLEDGE: &str = "knowledge.source";
/// Most sources an organization keeps.
pub const MAX_SOURCES: i64 = 200;
/// Largest file accepted as knowledge.
pub const MAX_FILE_BYTES: u64 = 25 * 1024 * 1024;
const MAX_FILE_NAME: usize = 255;

text_enum! {
    /// Where a source's ingestion stands.
    pub enum SourceStatus as "knowledge source status" {
        Queued = "queued",
        Processing = "processing",
        Ready = "ready",
        /// Ingestion failed (its reason is kept); the chunks of an earlier run stay.
        Failed = "failed",
    }
}

text_enum! {
    pub enum SourceKind as "knowledge source kind" {
        File = "file",
        Url = "url",
    }
}

#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = knowledge_sources)]
pub struct KnowledgeSource {
    pub id: Uuid,
    pub kind: SourceKind,
    pub title: String,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<i64>,
    pub url: Option<String>,
    pub crawl_depth: i32,
    pub crawl_max_pages: i32,
    pub recrawl_hours: Option<i32>,
    pub language: String,
    pub status: SourceStatus,
    pub status_reason: Option<String>,
    pub progress_done: i32,
    pub progress_total: i32,
    pub pages: i32,
    pub chunk_count: i32,
    pub page_errors: serde_json::Value,
    /// Why its chunks have no embeddings although an embeddings endpoint is configured.
    pub embedding_error: Option<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub ingested_at: Option<DateTime<Utc>>,
}

impl KnowledgeSource {
    /// Pages of a crawl that failed: (url, reason).
    pub fn page_errors(&self) -> Vec<(String, String)> {
        self.page_errors
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|e| {
                        Some((
                            e.get("url")?.as_str()?.to_owned(),
                            e.get("reason")?.as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One chunk of a source, as the knowledge page previews it.
#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = knowledge_chunks)]
pub struct Chunk {
    pub id: Uuid,
    pub source_id: Uuid,
    pub ordinal: i32,
    pub url: Option<String>,
    pub page_title: Option<String>,
    pub page: Option<i32>,
    pub heading_path: Vec<String>,
    pub text: String,
}

/// A URL to learn from.
#[derive(Debug, Clone)]
pub struct NewUrlSource {
    pub url: String,
    pub title: Option<String>,
    /// Links followed from the first page (0: that page only).
    pub depth: i32,
    pub max_pages: i32,
    pub language: Option<String>,
    pub recrawl_hours: Option<i32>,
}

#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    #[error(transparent)]
    Common(#[from] CommonError),
    #[error("knowledge files are not enabled on this server")]
    NoStorage,
    #[error("the file is larger than {} MB", .0 / 1024 / 1024)]
    FileTooLarge(u64),
    #[error("the file is empty")]
    EmptyFile,
    #[error("the upload stopped before the file was complete")]
    UploadInterrupted,
    #[error("{0}")]
    Unreadable(String),
    #[error(
        "give an http or https address without a user name or password, up to 2,048 characters"
    )]
    BadUrl,
    #[error("crawl depth is 0 to 5 and pages 1 to 500")]
    CrawlLimits,
    #[error("re-crawl every 1 to 8,760 hours")]
    RecrawlHours,
    #[error("`{0}` is not a language code (en, pt, es, ...)")]
    Language(String),
    #[error("a title is 1 to 512 characters")]
    Title,
    #[error("an organization keeps at most {MAX_SOURCES} knowledge sources")]
    TooManySources,
    #[error("only a web page can be crawled again; upload a new version of a file")]
    NotAUrl,
}

wraps_common_error!(KnowledgeError);

impl Problem for KnowledgeError {
    fn code(&self) -> Code {
        match self {
            Self::Common(e) => e.code(),
            Self::NoStorage => Code::Internal,
            _ => Code::Validation,
        }
    }

    fn internal_cause(&self) -> String {
        match self {
            Self::Common(e) => e.internal_cause(),
            other => other.to_string(),
        }
    }
}

type Result<T, E = KnowledgeError> = std::result::Result<T, E>;

/// A language code as sources keep it: `pt`, `pt-BR`, `en`.
fn language(code: Option<&str>) -> Result<String> {
    let code = code
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .unwrap_or("en");
    let ok = (2..=16).contains(&code.len())
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && code.chars().take(2).all(|c| c.is_ascii_alphabetic());
    if ok {
        Ok(code.to_owned())
    } else {
        Err(KnowledgeError::Language(code.chars().take(20).collect()))
    }
}

/// An address the crawler may be given: http(s), a host, no credentials.
fn web_address(raw: &str) -> Result<url::Url> {
    let raw = raw.trim();
    if raw.len() > 2048 {
        return Err(KnowledgeError::BadUrl);
    }
    let url = url::Url::parse(raw).map_err(|_| KnowledgeError::BadUrl)?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host_str().is_none()
        || !url.username().is_empty()
        || url.password().is_some()
    {
        return Err(KnowledgeError::BadUrl);
    }
    Ok(url)
}

impl Domain {
    /// Keeps uploaded knowledge files in `dir`.
    pub fn with_knowledge_dir(self, dir: impl Into<std::path::PathBuf>) -> Self {
        Self {
            knowledge_dir: Some(std::sync::Arc::from(dir.into().as_path())),
            ..self
        }
    }

    /// Fetches web knowledge under `policy` (tests and the local demo allow exact local
    /// addresses through it; nothing else may reach a private address).
    pub fn with_fetch_policy(self, policy: wagent_fetch::FetchPolicy) -> Self {
        Self {
            fetch_policy: std::sync::Arc::new(policy),
            ..self
        }
    }

    pub(crate) fn fetcher(&self) -> Result<wagent_fetch::Fetcher> {
        wagent_fetch::Fetcher::new((*self.fetch_policy).clone())
            .map_err(|e| KnowledgeError::Common(CommonError::internal(e)))
    }

    /// Where a knowledge file is kept.
    pub(crate) fn knowledge_file(&self, org_id: Uuid, id: Uuid) -> Result<std::path::PathBuf> {
        let dir = self
            .knowledge_dir
            .as_ref()
            .ok_or(KnowledgeError::NoStorage)?;
        Ok(dir.join(org_id.to_string()).join(id.to_string()))
    }

    /// Stores an uploaded file as a knowledge source and queues its ingestion. The caller
    /// and the limits are checked before a byte is written; the file's bytes must be of a
    /// kind we read (checked again, thoroughly, when ingested). Admin.
    pub async fn upload_knowledge_file<R>(
        &self,
        access: &Access,
        file_name: &str,
        declared_size: Option<u64>,
        language_code: Option<&str>,
        mut body: R,
    ) -> Result<KnowledgeSource>
    where
        R: tokio::io::AsyncRead + Unpin + Send,
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        access.ensure(Role::Admin)?;
        if declared_size.is_some_and(|n| n > MAX_FILE_BYTES) {
            return Err(KnowledgeError::FileTooLarge(MAX_FILE_BYTES));
        }
        let language = language(language_code)?;
        let file_name: String = file_name
            .chars()
            .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
            .take(MAX_FILE_NAME)
            .collect();
        let file_name = match file_name.trim() {
            "" => "document".to_owned(),
            name => name.to_owned(),
        };
        self.tx(access.scope(), async |c| room_for_one_more(c).await)
            .await?;
        let id = Uuid::now_v7();
        let path = self.knowledge_file(access.org_id, id)?;
        if let Some(dir) = path.parent() {
            tokio::fs::create_dir_all(dir)
                .await
                .map_err(CommonError::internal)?;
        }
        let written = async {
            let mut out = tokio::fs::File::create(&path)
                .await
                .map_err(CommonError::internal)?;
            let mut size = 0u64;
            let mut buf = vec![0u8; 64 * 1024];
            loop {
                let n = body
                    .read(&mut buf)
                    .await
                    .map_err(|_| KnowledgeError::UploadInterrupted)?;
                if n == 0 {
                    break;
                }
                size += n as u64;
                if size > MAX_FILE_BYTES {
                    return Err(KnowledgeError::FileTooLarge(MAX_FILE_BYTES));
                }
                out.write_all(&buf[..n])
                    .await
                    .map_err(CommonError::internal)?;
            }
            out.flush().await.map_err(CommonError::internal)?;
            if size == 0 {
                return Err(KnowledgeError::EmptyFile);
            }
            // The bytes must be what the name says (a DOCX is judged by its whole zip).
            let bytes = ingest::read_bounded(&path).await?;
            let name = file_name.clone();
            let format =
                tokio::task::spawn_blocking(move || ingest::declared_format(&name, &bytes))
                    .await
                    .map_err(CommonError::internal)??;
            Ok((size, format))
        }
        .await;
        let (size, content_type) = match written {
            Ok(w) => w,
            Err(e) => {
                let _ = tokio::fs::remove_file(&path).await;
                return Err(e);
            }
        };
        let stored = self
            .tx(access.scope(), async |c| -> Result<KnowledgeSource> {
                room_for_one_more(c).await?;
                let source: KnowledgeSource = diesel::insert_into(knowledge_sources::table)
                    .values((
                        knowledge_sources::org_id.eq(access.org_id),
                        knowledge_sources::id.eq(id),
                        knowledge_sources::kind.eq(SourceKind::File),
                        knowledge_sources::title.eq(&file_name),
                        knowledge_sources::file_name.eq(&file_name),
                        knowledge_sources::content_type.eq(content_type),
                        knowledge_sources::size.eq(size as i64),
                        knowledge_sources::language.eq(&language),
                        knowledge_sources::created_by.eq(access.caller.user_id()),
                    ))
                    .returning(KnowledgeSource::as_returning())
                    .get_result(c)
                    .await?;
                Ingest::enqueue(c, access.org_id, id).await?;
                publish(c, access.org_id, id).await?;
                Ok(source)
            })
            .await;
        if stored.is_err() {
            let _ = tokio::fs::remove_file(&path).await;
        }
        stored
    }

    /// Adds a web page (or a site, crawled from it) as a knowledge source and queues its
    /// ingestion. Admin.
    pub async fn add_knowledge_url(
        &self,
        access: &Access,
        new: NewUrlSource,
    ) -> Result<KnowledgeSource> {
        access.ensure(Role::Admin)?;
        let url = web_address(&new.url)?;
        if !(0..=5).contains(&new.depth) || !(1..=500).contains(&new.max_pages) {
            return Err(KnowledgeError::CrawlLimits);
        }
        if new.recrawl_hours.is_some_and(|h| !(1..=8760).contains(&h)) {
            return Err(KnowledgeError::RecrawlHours);
        }
        let language = language(new.language.as_deref())?;
        let title = match new.title.as_deref().map(str::trim) {
            Some("") | None => url.host_str().unwrap_or("web page").to_owned(),
            Some(t) if t.chars().count() <= 512 => t.to_owned(),
            Some(_) => return Err(KnowledgeError::Title),
        };
        self.tx(access.scope(), async |c| -> Result<KnowledgeSource> {
            room_for_one_more(c).await?;
            let id = Uuid::now_v7();
            let source: KnowledgeSource = diesel::insert_into(knowledge_sources::table)
                .values((
                    knowledge_sources::org_id.eq(access.org_id),
                    knowledge_sources::id.eq(id),
                    knowledge_sources::kind.eq(SourceKind::Url),
                    knowledge_sources::title.eq(&title),
                    knowledge_sources::url.eq(url.as_str()),
                    knowledge_sources::crawl_depth.eq(new.depth),
                    knowledge_sources::crawl_max_pages.eq(new.max_pages),
                    knowledge_sources::recrawl_hours.eq(new.recrawl_hours),
                    knowledge_sources::language.eq(&language),
                    knowledge_sources::created_by.eq(access.caller.user_id()),
                ))
                .returning(KnowledgeSource::as_returning())
                .get_result(c)
                .await?;
            Ingest::enqueue(c, access.org_id, id).await?;
            publish(c, access.org_id, id).await?;
            Ok(source)
        })
        .await
    }

    /// The organization's sources, newest first (at most [`MAX_SOURCES`]). Member.
    pub async fn knowledge_sources(&self, access: &Access) -> Result<Vec<KnowledgeSource>> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| {
            Ok(knowledge_sources::table
                .order((
                    knowledge_sources::created_at.desc(),
                    knowledge_sources::id.desc(),
                ))
                .select(KnowledgeSource::as_select())
                .literal_limit(MAX_SOURCES)
                .load(c)
                .await?)
        })
        .await
    }

    /// One source. Member.
    pub async fn knowledge_source(&self, access: &Access, id: Uuid) -> Result<KnowledgeSource> {
        access.ensure(Role::Member)?;
        self.tx(access.scope(), async |c| find_source(c, id).await)
            .await
    }

    /// A source's chunks in order, a page at a time (`after`: the last ordinal seen). Member.
    pub async fn knowledge_chunks(
        &self,
        access: &Access,
        source_id: Uuid,
        first: Option<i32>,
        after: Option<i32>,
    ) -> Result<Page<Chunk>> {
        access.ensure(Role::Member)?;
        let limit = page_size(first).map_err(CommonError::from)?;
        self.tx(access.scope(), async |c| {
            let rows = knowledge_chunks::table
                .filter(knowledge_chunks::source_id.eq(source_id))
                .filter(knowledge_chunks::ordinal.gt(after.unwrap_or(-1)))
                .order(knowledge_chunks::ordinal)
                .select(Chunk::as_select())
                .literal_limit(limit + 1)
                .load(c)
                .await?;
            Ok(Page::from_rows(rows, limit))
        })
        .await
    }

    /// Reads a source now, in the caller's process (the CLI), rather than on a worker; its
    /// waiting job is withdrawn. Admin.
    pub async fn ingest_knowledge_source_now(
        &self,
        access: &Access,
        id: Uuid,
    ) -> Result<KnowledgeSource> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| -> Result<()> {
            find_source(c, id).await?;
            diesel::delete(
                wagent_db::schema::jobs::table
                    .filter(wagent_db::schema::jobs::unique_key.eq(format!(
                        "{}:{id}",
                        <Ingest as wagent_jobs::BackgroundJob>::KIND
                    )))
                    .filter(wagent_db::schema::jobs::locked_by.is_null()),
            )
            .execute(c)
            .await?;
            Ok(())
        })
        .await?;
        match self.ingest_knowledge(access.org_id, id).await {
            Ok(()) => {}
            Err(e @ (KnowledgeError::Unreadable(_) | KnowledgeError::BadUrl)) => {
                self.end_ingestion(access.org_id, id, &e.to_string())
                    .await?;
            }
            Err(e) => return Err(e),
        }
        self.tx(access.scope(), async |c| find_source(c, id).await)
            .await
    }

    /// Deletes a source with its chunks (and its file). Admin.
    pub async fn delete_knowledge_source(&self, access: &Access, id: Uuid) -> Result<()> {
        access.ensure(Role::Admin)?;
        let source = self
            .tx(access.scope(), async |c| -> Result<KnowledgeSource> {
                let source = find_source(c, id).await?;
                diesel::delete(knowledge_sources::table.filter(knowledge_sources::id.eq(id)))
                    .execute(c)
                    .await?;
                audit::record(
                    c,
                    access.org_id,
                    &access.caller,
                    Entry {
                        action: "knowledge.source_deleted",
                        target_type: "knowledge_source",
                        target_id: id.to_string(),
                        details: serde_json::json!({ "title": source.title }),
                    },
                )
                .await?;
                publish(c, access.org_id, id).await?;
                Ok(source)
            })
            .await?;
        if source.kind == SourceKind::File
            && let Ok(path) = self.knowledge_file(access.org_id, id)
        {
            let _ = tokio::fs::remove_file(path).await;
        }
        Ok(())
    }

    /// Fetches a web source again now. Admin.
    pub async fn recrawl_knowledge_source(
        &self,
        access: &Access,
        id: Uuid,
    ) -> Result<KnowledgeSource> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| -> Result<KnowledgeSource> {
            let source = find_source(c, id).await?;
            if source.kind != SourceKind::Url {
                return Err(KnowledgeError::NotAUrl);
            }
            let source =
                diesel::update(knowledge_sources::table.filter(knowledge_sources::id.eq(id)))
                    .set((
                        knowledge_sources::status.eq(SourceStatus::Queued),
                        knowledge_sources::status_reason.eq(None::<String>),
                        knowledge_sources::updated_at.eq(Utc::now()),
                    ))
                    .returning(KnowledgeSource::as_returning())
                    .get_result(c)
                    .await?;
            Ingest::enqueue(c, access.org_id, id).await?;
            publish(c, access.org_id, id).await?;
            Ok(source)
        })
        .await
    }

    /// The passages that best answer `question` (`sources` empty: every ready source).
    /// Member.
    pub async fn search_knowledge(
        &self,
        access: &Access,
        question: &str,
        sources: &[Uuid],
        limit: i64,
    ) -> Result<Vec<Passage>> {
        access.ensure(Role::Member)?;
        let vector = self.question_vector(question).await;
        self.tx(access.scope(), async |c| {
            Ok(search::search(c, question, sources, limit, vector.as_ref()).await?)
        })
        .await
    }
}

async fn room_for_one_more(c: &mut Conn) -> Result<()> {
    let n: i64 = knowledge_sources::table.count().get_result(c).await?;
    if n >= MAX_SOURCES {
        return Err(KnowledgeError::TooManySources);
    }
    Ok(())
}

async fn find_source(c: &mut Conn, id: Uuid) -> Result<KnowledgeSource> {
    Ok(knowledge_sources::table
        .filter(knowledge_sources::id.eq(id))
        .select(KnowledgeSource::as_select())
        .first(c)
        .await
        .optional()?
        .ok_or(CommonError::NotFound("knowledge source"))?)
}

/// Tells subscribers the source changed, when the transaction commits.
pub(crate) async fn publish(
    c: &mut Conn,
    org_id: Uuid,
    source_id: Uuid,
) -> Result<(), CommonError> {
    bus::publish(
        c,
        &Event {
            org_id,
            topic: TOPIC_KNOWLEDGE.into(),
            data: serde_json::json!({ "source_id": source_id }),
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_web_addresses_are_crawled() {
        assert!(web_address("https://example.com/help").is_ok());
        assert!(web_address("ftp://example.com/").is_err());
        assert!(web_address("https://user:pw@example.com/").is_err());
        assert!(web_address("file:///etc/passwd").is_err());
        assert!(web_address("not a url").is_err());
    }

    #[test]
    fn language_codes_are_checked() {
        assert_eq!(language(None).unwrap(), "en");
        assert_eq!(language(Some("pt-BR")).unwrap(), "pt-BR");
        assert!(language(Some("12")).is_err());
        assert!(language(Some("pt;drop")).is_err());
    }
}
