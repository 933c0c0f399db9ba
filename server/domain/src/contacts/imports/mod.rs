//! Contact imports: a CSV or XLSX file is uploaded (stored, its kind checked from its bytes),
//! previewed with a mapping of its columns, then imported by a background job.
//!
//! An import is all or nothing: the job writes every batch in one transaction, which commits
//! with the import's final counts or not at all (a broken file, a cancel, a crash). Progress
//! is written beside it in short transactions of its own and published on the bus
//! (`contacts.import`). Rejected rows are kept, with their line and reason, for the report.
//!
//! The counts add up: `records = imported + updated + duplicates + invalid + empty`, where
//! `duplicates` are rows whose number came earlier in the file, and, under the `skip`
//! policy, rows of contacts that already existed.

mod rows;
mod run;

use std::{collections::HashMap, path::PathBuf, sync::Arc};

use chrono::{DateTime, Utc};
use diesel::{
    BoolExpressionMethods, ExpressionMethods, OptionalExtension, PgJsonbExpressionMethods,
    QueryDsl, SelectableHelper,
};
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;
use wagent_db::{
    LiteralLimitDsl,
    schema::{contact_fields, contact_import_rejects, contact_imports, organizations},
};
pub use wagent_tabular::Format;
use wagent_tabular::{Limits, ReadOptions, TabularError};

pub use self::rows::{ColumnMapping, ContactDraft, FieldKind, RowReader, Target, suggest_mapping};
pub(crate) use self::run::RunImport;
use crate::{
    Access, CommonError, Domain, Page, Role,
    error::{Code, Problem, wraps_common_error},
    organizations::audit::{self, Entry},
    values::{page_size, text_column},
};

/// The bus topic of an import's progress; the event's data names the import.
pub const TOPIC_IMPORT: &str = "contacts.import";

/// How many rows a preview shows.
pub const PREVIEW_ROWS: usize = 20;

/// What an import refuses.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Common(#[from] CommonError),
    /// The file cannot be read as a table (its reason reads as a sentence).
    #[error("{0}")]
    File(#[from] TabularError),
    #[error("the file is empty")]
    EmptyFile,
    #[error("the file is larger than {} MB", .limit >> 20)]
    FileTooLarge { limit: u64 },
    #[error("the upload stopped before the end of the file; send it again")]
    UploadInterrupted,
    #[error(
        "`{0}` is not something a column can become: phone, name, email, language, country, time_zone, tags, marketing, or a field key such as city"
    )]
    NotATarget(String),
    #[error("the file has no column `{0}`")]
    NoSuchColumn(String),
    #[error("only one column can be the {0}")]
    TargetTwice(String),
    #[error("map one column to the phone number")]
    NoPhoneColumn,
    #[error("`{0}` is not a country code (such as BR)")]
    NotACountry(String),
    #[error("this import is {0}; only an uploaded, failed or cancelled import can be started")]
    NotStartable(ImportStatus),
    #[error("this import has already {0}")]
    NotCancellable(ImportStatus),
    #[error("the file of this import is no longer kept; upload it again")]
    FileGone,
}

wraps_common_error!(ImportError);

impl Problem for ImportError {
    fn code(&self) -> Code {
        match self {
            Self::Common(e) => e.code(),
            Self::NotStartable(_) | Self::NotCancellable(_) => Code::Conflict,
            Self::File(TabularError::Io(_)) => Code::Internal,
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

/// Where an import stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum ImportStatus {
    /// The file is stored and can be previewed.
    Uploaded,
    Queued,
    Running,
    Done,
    Failed,
    Cancelled,
}

impl ImportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Uploaded => "uploaded",
            Self::Queued => "queued",
            Self::Running => "running",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Cancelled => "cancelled",
        }
    }

    fn parse(text: &str) -> Option<Self> {
        [
            Self::Uploaded,
            Self::Queued,
            Self::Running,
            Self::Done,
            Self::Failed,
            Self::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == text)
    }

    /// Whether the import has ended (its counts are final).
    pub fn is_final(self) -> bool {
        matches!(self, Self::Done | Self::Failed | Self::Cancelled)
    }
}

text_column!(ImportStatus, |text| ImportStatus::parse(&text)
    .ok_or_else(|| format!("unknown import status `{text}`").into()));

/// What happens to a row whose number is already a contact (or came earlier in the file).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicatePolicy {
    /// The existing contact stays as it is.
    #[default]
    Skip,
    /// The file's values replace the contact's (blank cells change nothing) and its tags
    /// are added. Consent: an opt-out is recorded; an opt-in only for a contact whose
    /// consent was unknown, so that an import never overrides a customer's own opt-out.
    Update,
    /// Only the file's tags are added.
    MergeTags,
}

/// How a file is read and mapped, as the import was started.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportOptions {
    /// XLSX: the sheet, 0-based.
    pub sheet: Option<usize>,
    /// The 1-based row holding the column names.
    pub header_row: Option<u64>,
    /// CSV: the delimiter, when detection got it wrong.
    pub delimiter: Option<char>,
    /// Numbers without a country code are read in this country; the organization's when
    /// not given.
    pub default_country: Option<String>,
    pub mapping: Vec<ColumnMapping>,
    pub duplicates: DuplicatePolicy,
    /// Remember which contacts the file's rows matched, so that a campaign can go to
    /// exactly them (a one-off file as its audience).
    #[serde(default)]
    pub as_audience: bool,
}

impl ImportOptions {
    fn read_options(&self) -> Result<ReadOptions, ImportError> {
        let delimiter = self
            .delimiter
            .map(|d| u8::try_from(d).ok().filter(u8::is_ascii))
            .map(|d| {
                d.ok_or(TabularError::InvalidOption(
                    "the delimiter must be one ASCII character other than a quote or a line break",
                ))
            })
            .transpose()?;
        Ok(ReadOptions {
            sheet: self.sheet,
            header_row: self.header_row,
            delimiter,
        })
    }
}

/// An uploaded file and its import.
#[derive(Debug, Clone, PartialEq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = contact_imports)]
pub struct ContactImport {
    pub id: Uuid,
    pub created_by: Option<Uuid>,
    pub file_name: String,
    /// `csv` or `xlsx`.
    pub format: String,
    pub size: i64,
    pub status: ImportStatus,
    pub options: Value,
    pub records: i64,
    pub imported: i64,
    pub updated: i64,
    pub duplicates: i64,
    pub invalid: i64,
    pub empty: i64,
    /// Share of the file read, 0 to 1.
    pub progress: f32,
    /// Why it failed.
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl ContactImport {
    /// The options it was started with (default ones before it was).
    pub fn options(&self) -> ImportOptions {
        serde_json::from_value(self.options.clone()).unwrap_or_default()
    }
}

/// A rejected row: where, why, and the row as it was read (cells joined by tabs).
#[derive(Debug, Clone, PartialEq, Eq, diesel::Queryable, diesel::Selectable)]
#[diesel(table_name = contact_import_rejects)]
pub struct RejectedRow {
    pub line: i64,
    pub reason: String,
    pub row: String,
}

/// How a preview reads the file; the stored options are used for what is not given.
#[derive(Debug, Clone, Default)]
pub struct PreviewRequest {
    pub sheet: Option<usize>,
    pub header_row: Option<u64>,
    pub delimiter: Option<char>,
    pub default_country: Option<String>,
    /// The suggested mapping when not given.
    pub mapping: Option<Vec<ColumnMapping>>,
}

/// The first rows of the file, each with what it would become.
#[derive(Debug, Clone)]
pub struct ImportPreview {
    pub format: Format,
    pub encoding: &'static str,
    pub delimiter: Option<char>,
    /// XLSX: the sheets' names, in order.
    pub sheets: Vec<String>,
    pub headers: Vec<String>,
    pub mapping: Vec<ColumnMapping>,
    /// The country numbers without a country code are read in.
    pub default_country: Option<String>,
    /// Why the mapping cannot be used, when it cannot.
    pub mapping_problem: Option<String>,
    pub rows: Vec<PreviewRow>,
}

/// One row of a preview.
#[derive(Debug, Clone)]
pub struct PreviewRow {
    pub line: u64,
    pub cells: Vec<String>,
    /// The contact, or why the row would be rejected; none for a blank row (passed over)
    /// and when the mapping is unusable.
    pub outcome: Option<Result<ContactDraft, String>>,
}

/// Where a started import runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunIn {
    /// A background job (the server, the API).
    Background,
    /// The caller's task, which waits for the end (the command line); a job waits 30
    /// minutes as a safety net, in case the caller dies first.
    Foreground,
}

/// The bounds of an imported file.
pub fn limits() -> Limits {
    Limits::default()
}

/// The longest file name kept.
const MAX_FILE_NAME: usize = 255;

impl Domain {
    pub(crate) fn imports_dir(&self) -> Result<&Arc<std::path::Path>, CommonError> {
        self.imports_dir
            .as_ref()
            .ok_or_else(|| CommonError::internal("no folder is set for imported files"))
    }

    fn import_file(&self, org_id: Uuid, import_id: Uuid) -> Result<PathBuf, CommonError> {
        Ok(self
            .imports_dir()?
            .join(org_id.to_string())
            .join(import_id.to_string()))
    }

    /// Removes the uploaded files of these imports (the retention sweep's).
    pub(crate) async fn remove_import_files(&self, org_id: Uuid, ids: &[Uuid]) {
        for id in ids {
            if let Ok(path) = self.import_file(org_id, *id) {
                let _ = tokio::fs::remove_file(path).await;
            }
        }
    }

    /// Stores an uploaded file for import. The body is read up to the size limit and
    /// streamed to disk; the file's kind is checked from its bytes. Admin or Owner.
    pub async fn upload_contact_import<R>(
        &self,
        access: &Access,
        file_name: &str,
        declared_size: Option<u64>,
        mut body: R,
    ) -> Result<ContactImport, ImportError>
    where
        R: tokio::io::AsyncRead + Unpin + Send,
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};

        access.ensure(Role::Admin)?;
        let limit = limits().max_file_bytes;
        if declared_size.is_some_and(|n| n > limit) {
            return Err(ImportError::FileTooLarge { limit });
        }
        let file_name: String = file_name
            .chars()
            .filter(|c| !c.is_control() && *c != '/' && *c != '\\')
            .take(MAX_FILE_NAME)
            .collect();
        let file_name = if file_name.trim().is_empty() {
            "contacts".to_owned()
        } else {
            file_name.trim().to_owned()
        };
        let id = Uuid::now_v7();
        let path = self.import_file(access.org_id, id)?;
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
                let n = body.read(&mut buf).await.map_err(|e| {
                    tracing::debug!(error = %e, "an import upload stopped");
                    ImportError::UploadInterrupted
                })?;
                if n == 0 {
                    break;
                }
                size += n as u64;
                if size > limit {
                    return Err(ImportError::FileTooLarge { limit });
                }
                out.write_all(&buf[..n])
                    .await
                    .map_err(CommonError::internal)?;
            }
            out.flush().await.map_err(CommonError::internal)?;
            if size == 0 {
                return Err(ImportError::EmptyFile);
            }
            let sniffed = path.clone();
            let format = tokio::task::spawn_blocking(move || wagent_tabular::sniff(&sniffed))
                .await
                .map_err(CommonError::internal)??;
            Ok((size, format))
        }
        .await;
        let (size, format) = match written {
            Ok(w) => w,
            Err(e) => {
                let _ = tokio::fs::remove_file(&path).await;
                return Err(e);
            }
        };
        let stored = self
            .tx(access.scope(), async |c| -> Result<_, ImportError> {
                Ok(diesel::insert_into(contact_imports::table)
                    .values((
                        contact_imports::org_id.eq(access.org_id),
                        contact_imports::id.eq(id),
                        contact_imports::created_by.eq(access.caller.user_id()),
                        contact_imports::file_name.eq(&file_name),
                        contact_imports::format.eq(format_name(format)),
                        contact_imports::size.eq(size as i64),
                    ))
                    .returning(ContactImport::as_returning())
                    .get_result(c)
                    .await?)
            })
            .await;
        if stored.is_err() {
            let _ = tokio::fs::remove_file(&path).await;
        }
        stored
    }

    /// One import. Admin or Owner.
    pub async fn contact_import(
        &self,
        access: &Access,
        id: Uuid,
    ) -> Result<ContactImport, ImportError> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| {
            contact_imports::table
                .filter(contact_imports::id.eq(id))
                .select(ContactImport::as_select())
                .first(c)
                .await
                .optional()?
                .ok_or(ImportError::Common(CommonError::NotFound("contact import")))
        })
        .await
    }

    /// The organization's imports, newest first. Admin or Owner.
    pub async fn contact_imports(
        &self,
        access: &Access,
        first: Option<i32>,
        after: Option<&str>,
        audiences_only: bool,
    ) -> Result<Page<ContactImport>, ImportError> {
        access.ensure(Role::Admin)?;
        let limit = page_size(first)?;
        let after = after.map(crate::inbox::TimeCursor::decode).transpose()?;
        self.tx(access.scope(), async |c| -> Result<_, ImportError> {
            let mut q = contact_imports::table
                .select(ContactImport::as_select())
                .order((
                    contact_imports::created_at.desc(),
                    contact_imports::id.desc(),
                ))
                .into_boxed();
            if audiences_only {
                // `as_audience` is how `ImportOptions` is stored in `options`.
                q = q
                    .filter(contact_imports::status.eq(ImportStatus::Done))
                    .filter(
                        contact_imports::options
                            .contains(serde_json::json!({ "as_audience": true })),
                    );
            }
            if let Some(after) = after {
                q = q.filter(
                    contact_imports::created_at
                        .lt(after.at)
                        .or(contact_imports::created_at
                            .eq(after.at)
                            .and(contact_imports::id.lt(after.id))),
                );
            }
            Ok(Page::from_rows(
                q.literal_limit(limit + 1).load(c).await?,
                limit,
            ))
        })
        .await
    }

    /// The first rows of an uploaded file as they would be imported. Admin or Owner.
    pub async fn preview_contact_import(
        &self,
        access: &Access,
        id: Uuid,
        request: PreviewRequest,
    ) -> Result<ImportPreview, ImportError> {
        let import = self.contact_import(access, id).await?;
        let stored = import.options();
        let path = self.import_file(access.org_id, id)?;
        if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Err(ImportError::FileGone);
        }
        let (saved, fields, org_country) = self.import_settings(access).await?;
        let options = ImportOptions {
            sheet: request.sheet.or(stored.sheet),
            header_row: request.header_row.or(stored.header_row),
            delimiter: request.delimiter.or(stored.delimiter),
            default_country: request
                .default_country
                .or(stored.default_country)
                .or(org_country),
            mapping: request.mapping.unwrap_or_default(),
            duplicates: stored.duplicates,
            as_audience: stored.as_audience,
        };
        let guess = options.mapping.is_empty();
        tokio::task::spawn_blocking(move || preview(&path, options, guess, &saved, &fields))
            .await
            .map_err(CommonError::internal)?
    }

    /// The organization's saved mapping, contact fields and default country.
    async fn import_settings(
        &self,
        access: &Access,
    ) -> Result<
        (
            HashMap<String, Target>,
            HashMap<String, FieldKind>,
            Option<String>,
        ),
        ImportError,
    > {
        let org_id = access.org_id;
        self.tx(access.scope(), async |c| -> Result<_, ImportError> {
            let (saved, country): (Value, Option<String>) = organizations::table
                .filter(organizations::id.eq(org_id))
                .select((
                    organizations::contact_import_mapping,
                    organizations::default_country,
                ))
                .first(c)
                .await?;
            let saved = saved
                .as_object()
                .map(|m| {
                    m.iter()
                        .filter_map(|(k, v)| Some((k.clone(), Target::parse(v.as_str()?).ok()?)))
                        .collect()
                })
                .unwrap_or_default();
            let fields = contact_fields::table
                .select((
                    contact_fields::key,
                    contact_fields::kind,
                    contact_fields::choices,
                ))
                .load::<(String, String, Vec<String>)>(c)
                .await?
                .into_iter()
                .map(|(key, kind, choices)| (key, FieldKind::from_row(&kind, choices)))
                .collect();
            Ok((saved, fields, country))
        })
        .await
    }

    /// Starts importing an uploaded file with `options`, after checking them against the
    /// file's columns. The mapping is saved for the organization's next file. Admin or Owner.
    pub async fn start_contact_import(
        &self,
        access: &Access,
        id: Uuid,
        mut options: ImportOptions,
        run_in: RunIn,
    ) -> Result<ContactImport, ImportError> {
        let import = self.contact_import(access, id).await?;
        if !matches!(
            import.status,
            ImportStatus::Uploaded | ImportStatus::Failed | ImportStatus::Cancelled
        ) {
            return Err(ImportError::NotStartable(import.status));
        }
        let path = self.import_file(access.org_id, id)?;
        if !tokio::fs::try_exists(&path).await.unwrap_or(false) {
            return Err(ImportError::FileGone);
        }
        let (_, fields, org_country) = self.import_settings(access).await?;
        if options.default_country.is_none() {
            options.default_country = org_country;
        }
        // The mapping is checked against the file's own columns before anything is queued.
        let read = options.read_options()?;
        let checked = options.clone();
        let headers = tokio::task::spawn_blocking(move || -> Result<Vec<String>, ImportError> {
            let table = wagent_tabular::open(&path, &read, &limits())?;
            let headers = table.headers().to_vec();
            RowReader::new(
                &headers,
                &checked.mapping,
                &fields,
                checked.default_country.as_deref(),
            )?;
            Ok(headers)
        })
        .await
        .map_err(CommonError::internal)??;
        let remembered: serde_json::Map<String, Value> = options
            .mapping
            .iter()
            .filter(|m| headers.contains(&m.column))
            .map(|m| (m.column.trim().to_lowercase(), json!(m.target.as_str())))
            .collect();
        let status = match run_in {
            RunIn::Background => ImportStatus::Queued,
            RunIn::Foreground => ImportStatus::Running,
        };
        let stored = serde_json::to_value(&options).map_err(CommonError::internal)?;
        let started = self
            .tx(access.scope(), async |c| -> Result<_, ImportError> {
                let started: Option<ContactImport> = diesel::update(
                    contact_imports::table
                        .filter(contact_imports::id.eq(id))
                        .filter(contact_imports::status.eq_any([
                            ImportStatus::Uploaded,
                            ImportStatus::Failed,
                            ImportStatus::Cancelled,
                        ])),
                )
                .set((
                    contact_imports::status.eq(status),
                    contact_imports::options.eq(&stored),
                    contact_imports::records.eq(0),
                    contact_imports::imported.eq(0),
                    contact_imports::updated.eq(0),
                    contact_imports::duplicates.eq(0),
                    contact_imports::invalid.eq(0),
                    contact_imports::empty.eq(0),
                    contact_imports::progress.eq(0.0),
                    contact_imports::error.eq(None::<String>),
                    contact_imports::started_at.eq(None::<DateTime<Utc>>),
                    contact_imports::finished_at.eq(None::<DateTime<Utc>>),
                ))
                .returning(ContactImport::as_returning())
                .get_result(c)
                .await
                .optional()?;
                let Some(started) = started else {
                    return Err(ImportError::NotStartable(import.status));
                };
                diesel::delete(
                    contact_import_rejects::table.filter(contact_import_rejects::import_id.eq(id)),
                )
                .execute(c)
                .await?;
                diesel::sql_query(
                    "UPDATE organizations SET contact_import_mapping = contact_import_mapping || $1
                      WHERE id = $2",
                )
                .bind::<diesel::sql_types::Jsonb, _>(Value::Object(remembered))
                .bind::<diesel::sql_types::Uuid, _>(access.org_id)
                .execute(c)
                .await?;
                audit::record(
                    c,
                    access.org_id,
                    &access.caller,
                    Entry {
                        action: "contacts.import_started",
                        target_type: "contact_import",
                        target_id: id.to_string(),
                        details: json!({ "file_name": started.file_name, "duplicates": options.duplicates }),
                    },
                )
                .await?;
                // Run here, the job still waits as a safety net: a command line killed halfway
                // leaves its import running, and the job then runs it again from the start.
                let at = match run_in {
                    RunIn::Background => None,
                    RunIn::Foreground => Some(Utc::now() + chrono::Duration::minutes(30)),
                };
                run::enqueue(c, access.org_id, id, at).await?;
                run::publish(c, access.org_id, id).await?;
                Ok(started)
            })
            .await?;
        if run_in == RunIn::Foreground {
            self.run_contact_import(access.org_id, id).await?;
            return self.contact_import(access, id).await;
        }
        Ok(started)
    }

    /// Stops a queued or running import; nothing of it stays. Admin or Owner.
    pub async fn cancel_contact_import(
        &self,
        access: &Access,
        id: Uuid,
    ) -> Result<ContactImport, ImportError> {
        let import = self.contact_import(access, id).await?;
        self.tx(access.scope(), async |c| -> Result<_, ImportError> {
            let cancelled: Option<ContactImport> = diesel::update(
                contact_imports::table
                    .filter(contact_imports::id.eq(id))
                    .filter(
                        contact_imports::status
                            .eq_any([ImportStatus::Queued, ImportStatus::Running]),
                    ),
            )
            .set((
                contact_imports::status.eq(ImportStatus::Cancelled),
                contact_imports::finished_at.eq(Utc::now()),
            ))
            .returning(ContactImport::as_returning())
            .get_result(c)
            .await
            .optional()?;
            let cancelled = cancelled.ok_or(ImportError::NotCancellable(import.status))?;
            run::publish(c, access.org_id, id).await?;
            Ok(cancelled)
        })
        .await
    }

    /// Rejected rows of an import in line order, `limit` after line `after`. Admin or Owner.
    pub async fn rejected_rows(
        &self,
        access: &Access,
        id: Uuid,
        after: i64,
        limit: i64,
    ) -> Result<Vec<RejectedRow>, ImportError> {
        access.ensure(Role::Admin)?;
        self.tx(access.scope(), async |c| -> Result<_, ImportError> {
            Ok(contact_import_rejects::table
                .filter(contact_import_rejects::import_id.eq(id))
                .filter(contact_import_rejects::line.gt(after))
                .order(contact_import_rejects::line)
                .select(RejectedRow::as_select())
                .literal_limit(limit.clamp(1, 10_000))
                .load(c)
                .await?)
        })
        .await
    }
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Csv => "csv",
        Format::Xlsx => "xlsx",
    }
}

/// Reads the first rows of the file (blocking).
fn preview(
    path: &std::path::Path,
    options: ImportOptions,
    guess: bool,
    saved: &HashMap<String, Target>,
    fields: &HashMap<String, FieldKind>,
) -> Result<ImportPreview, ImportError> {
    let limits = limits();
    let read = options.read_options()?;
    let table = wagent_tabular::open(path, &read, &limits)?;
    let sheets = match table.format() {
        Format::Xlsx => wagent_tabular::sheets(path, &limits)?,
        Format::Csv => Vec::new(),
    };
    let headers = table.headers().to_vec();
    let mapping = if guess {
        suggest_mapping(&headers, saved)
    } else {
        options.mapping.clone()
    };
    let reader = RowReader::new(
        &headers,
        &mapping,
        fields,
        options.default_country.as_deref(),
    );
    let (format, encoding) = (table.format(), table.encoding());
    let delimiter = table.delimiter().map(char::from);
    let mut rows = Vec::new();
    for item in table.take(PREVIEW_ROWS) {
        match item {
            // A blank row is passed over, as the import does.
            Ok(record) => rows.push(PreviewRow {
                outcome: reader
                    .as_ref()
                    .ok()
                    .filter(|_| !record.is_empty())
                    .map(|r| r.read(&record.cells)),
                line: record.line,
                cells: record.cells,
            }),
            Err(e) if e.is_fatal() => return Err(e.into()),
            Err(e) => rows.push(PreviewRow {
                line: e.line().unwrap_or(0),
                cells: Vec::new(),
                outcome: Some(Err(e.to_string())),
            }),
        }
    }
    Ok(ImportPreview {
        format,
        encoding,
        delimiter,
        sheets,
        headers,
        mapping,
        default_country: options.default_country,
        mapping_problem: reader.err().map(|e| e.to_string()),
        rows,
    })
}
