//! The import itself: a blocking thread reads and checks the rows and hands batches over a
//! bounded channel to the task that writes them, each batch in one `unnest` statement, all
//! of them in one transaction.

use std::{
    collections::{HashMap, HashSet, hash_map::Entry as MapEntry},
    path::Path,
    time::{Duration, Instant},
};

use chrono::Utc;
use diesel::{
    ExpressionMethods, OptionalExtension, QueryDsl, QueryableByName,
    sql_types::{Array, BigInt, Jsonb, Nullable, Text, Uuid as SqlUuid},
};
use diesel_async::RunQueryDsl;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use uuid::Uuid;
use wagent_db::{
    Conn, Scope, bus,
    schema::{contact_imports, contacts},
};
use wagent_jobs::{BackgroundJob, Job, JobError, NewJob};

use super::{
    ContactDraft, DuplicatePolicy, ImportError, ImportOptions, ImportStatus, RowReader,
    TOPIC_IMPORT, Target, limits,
};
use crate::{CommonError, Domain, contacts::profile::MAX_TAGS, jobs};

/// Rows written per statement: large enough that a statement's cost is spread thin, small
/// enough that a batch's arrays stay a few megabytes.
const BATCH: usize = 5_000;
/// How often progress is written while an import runs.
const PROGRESS_EVERY: Duration = Duration::from_millis(300);
/// An import that writes this many contacts has their planner statistics refreshed after
/// it (`wagent_db::Db::refresh_statistics`): below it, stale statistics cost little.
const BULK_WRITE: i64 = 5_000;
/// Tags travel to the statement joined by this (a control character no tag holds).
const TAG_SEPARATOR: char = '\u{1f}';

/// Imports one uploaded file (`contacts.import`).
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct RunImport {
    pub import_id: Uuid,
}

impl BackgroundJob for RunImport {
    const KIND: &'static str = "contacts.import";
    type Context = Domain;

    async fn run(self, job: Job, domain: Domain) -> Result<(), JobError> {
        let org_id = jobs::organization(&job)?;
        match domain.run_contact_import(org_id, self.import_id).await {
            Ok(()) => Ok(()),
            Err(e) if job.attempts >= job.max_attempts => {
                tracing::error!(error = %crate::Problem::internal_cause(&e), "a contact import failed for good");
                domain
                    .end_import(
                        org_id,
                        self.import_id,
                        "an internal error stopped the import; start it again",
                    )
                    .await
                    .map_err(jobs::retry)
            }
            Err(e) => Err(jobs::retry(e)),
        }
    }
}

/// Queues the import's job: to run now, or (for an import the caller runs itself) at `at`,
/// as a safety net that runs it again if the caller dies before it ends.
pub(crate) async fn enqueue(
    c: &mut Conn,
    org_id: Uuid,
    import_id: Uuid,
    at: Option<chrono::DateTime<Utc>>,
) -> Result<(), CommonError> {
    let job = NewJob::of(Some(org_id), &RunImport { import_id });
    let job = match at {
        Some(at) => job.at(at),
        None => job,
    };
    wagent_jobs::enqueue(c, job).await?;
    Ok(())
}

/// Tells subscribers that the import changed, when the transaction commits.
pub(crate) async fn publish(
    c: &mut Conn,
    org_id: Uuid,
    import_id: Uuid,
) -> Result<(), CommonError> {
    bus::publish(
        c,
        &bus::Event {
            org_id,
            topic: TOPIC_IMPORT.into(),
            data: json!({ "import_id": import_id }),
        },
    )
    .await?;
    Ok(())
}

/// What the reader hands the writer.
struct Batch {
    contacts: Vec<ContactDraft>,
    /// How many of `contacts` came earlier in the file (sent again to update them).
    repeats: u64,
    /// Rows folded into an earlier row of the file, or dropped as its duplicates.
    duplicates: u64,
    rejects: Vec<(i64, String, String)>,
    records: u64,
    empty: u64,
    progress: f64,
}

/// Running totals.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    records: i64,
    imported: i64,
    updated: i64,
    duplicates: i64,
    invalid: i64,
    empty: i64,
}

#[derive(QueryableByName)]
struct Written {
    #[diesel(sql_type = BigInt)]
    inserted: i64,
    #[diesel(sql_type = BigInt)]
    updated: i64,
}

/// Why the writer stopped before the end: each rolls its transaction back.
enum Stop {
    Cancelled,
    /// The file or the mapping was refused: the import fails with this reason.
    Refused(String),
    /// A contact of the file was already there (or came meanwhile) while the rows were
    /// written as new ones.
    Taken,
    Error(ImportError),
}

/// One import's file and what its rows become.
#[derive(Clone, Copy)]
struct ImportFile<'a> {
    org_id: Uuid,
    import_id: Uuid,
    path: &'a Path,
    options: &'a ImportOptions,
    fields: &'a HashMap<String, super::FieldKind>,
    detail: &'a str,
    actor: Option<Uuid>,
}

impl From<ImportError> for Stop {
    fn from(e: ImportError) -> Self {
        Stop::Error(e)
    }
}

impl From<CommonError> for Stop {
    fn from(e: CommonError) -> Self {
        Stop::Error(e.into())
    }
}

impl From<wagent_db::Error> for Stop {
    fn from(e: wagent_db::Error) -> Self {
        Stop::Error(e.into())
    }
}

impl From<diesel::result::Error> for Stop {
    fn from(e: diesel::result::Error) -> Self {
        Stop::Error(e.into())
    }
}

impl Domain {
    /// Runs a queued (or interrupted) import to its end: done, failed with its reason, or
    /// cancelled. A database error is returned, for the job to try again from the start.
    pub(crate) async fn run_contact_import(
        &self,
        org_id: Uuid,
        import_id: Uuid,
    ) -> Result<(), ImportError> {
        let scope = Scope::org(org_id);
        let claimed = self
            .tx(scope, async |c| -> Result<_, ImportError> {
                let row: Option<(Value, String, Option<Uuid>)> = diesel::update(
                    contact_imports::table
                        .filter(contact_imports::id.eq(import_id))
                        .filter(
                            contact_imports::status
                                .eq_any([ImportStatus::Queued, ImportStatus::Running]),
                        ),
                )
                .set((
                    contact_imports::status.eq(ImportStatus::Running),
                    contact_imports::started_at.eq(Utc::now()),
                ))
                .returning((
                    contact_imports::options,
                    contact_imports::file_name,
                    contact_imports::created_by,
                ))
                .get_result(c)
                .await
                .optional()?;
                if row.is_some() {
                    publish(c, org_id, import_id).await?;
                }
                Ok(row)
            })
            .await?;
        // Cancelled before it ran, or already ended.
        let Some((options, file_name, actor)) = claimed else {
            return Ok(());
        };
        let options: ImportOptions = serde_json::from_value(options).unwrap_or_default();
        let path = self.import_file(org_id, import_id)?;
        let access = crate::Access::operator(org_id);
        let (_, fields, _) = self.import_settings(&access).await?;
        let started = Instant::now();
        let detail = format!("import of {file_name}");
        let file = ImportFile {
            org_id,
            import_id,
            path: &path,
            options: &options,
            fields: &fields,
            detail: &detail,
            actor,
        };
        // Into an organization without contacts, as if every contact of the file were new (a
        // plain insert, much cheaper than one that handles conflicts); when one came
        // meanwhile (a customer's message), again from the start with conflicts handled. The
        // progress shown then waits for the second pass to pass the first.
        let fresh = !self.has_contacts(org_id).await?;
        let mut shown = 0.0;
        let mut outcome = self
            .write_import(
                &file,
                &upsert_sql(options.duplicates, &options, fresh),
                &mut shown,
            )
            .await;
        if matches!(outcome, Err(Stop::Taken)) {
            tracing::info!(%import_id, "a contact of the file came meanwhile; importing again with conflicts handled");
            outcome = self
                .write_import(
                    &file,
                    &upsert_sql(options.duplicates, &options, false),
                    &mut shown,
                )
                .await;
        }
        match outcome {
            Ok(counts) => {
                tracing::info!(%import_id, elapsed_ms = started.elapsed().as_millis() as u64, "contact import done");
                let _ = tokio::fs::remove_file(&path).await;
                if counts.imported + counts.updated >= BULK_WRITE {
                    // Best effort, for the campaigns about to be sent to them: autovacuum
                    // gets there later in any case.
                    if let Err(e) = self
                        .db
                        .refresh_statistics(wagent_db::Analyzed::Contacts)
                        .await
                    {
                        tracing::warn!(%import_id, error = %e, "cannot refresh the contacts' statistics");
                    }
                }
                Ok(())
            }
            Err(Stop::Cancelled) => Ok(()),
            Err(Stop::Refused(reason)) => self.end_import(org_id, import_id, &reason).await,
            Err(Stop::Error(e)) => Err(e),
            Err(Stop::Taken) => Err(ImportError::Common(CommonError::internal(
                "a unique violation while conflicts were handled",
            ))),
        }
    }

    /// Whether the organization has any contact.
    async fn has_contacts(&self, org_id: Uuid) -> Result<bool, ImportError> {
        self.tx(Scope::org(org_id), async |c| -> Result<_, ImportError> {
            Ok(diesel::select(diesel::dsl::exists(
                contacts::table.filter(contacts::org_id.eq(org_id)),
            ))
            .get_result(c)
            .await?)
        })
        .await
    }

    /// Reads the whole file and writes it in one transaction with `upsert`. Progress is
    /// shown only past `shown`, the furthest shown so far (an earlier pass's).
    async fn write_import(
        &self,
        file: &ImportFile<'_>,
        upsert: &Upsert,
        shown: &mut f64,
    ) -> Result<Counts, Stop> {
        let ImportFile {
            org_id,
            import_id,
            path,
            options,
            fields,
            detail,
            actor,
        } = *file;
        let scope = Scope::org(org_id);
        let (sender, mut batches) = mpsc::channel::<Result<Batch, ImportError>>(2);
        let reading = {
            let (path, options, fields) = (path.to_owned(), options.clone(), fields.clone());
            tokio::task::spawn_blocking(move || read_file(&path, &options, &fields, &sender))
        };
        let new_fields: Vec<(String, String)> = options
            .mapping
            .iter()
            .filter_map(|m| match &m.target {
                Target::Field(key) if !fields.contains_key(key) => {
                    Some((key.clone(), m.column.chars().take(100).collect()))
                }
                _ => None,
            })
            .collect();
        let outcome = self
            .tx(scope, async |c| -> Result<Counts, Stop> {
                add_fields(c, org_id, &new_fields).await?;
                let mut counts = Counts::default();
                let mut last_report = Instant::now();
                let (mut waiting, mut writing) = (Duration::ZERO, Duration::ZERO);
                let mut w0 = Instant::now();
                while let Some(batch) = batches.recv().await {
                    waiting += w0.elapsed();
                    let batch = match batch {
                        Ok(b) => b,
                        Err(ImportError::Common(e)) => return Err(Stop::Error(e.into())),
                        Err(refused) => return Err(Stop::Refused(refused.to_string())),
                    };
                    let t0 = Instant::now();
                    write_batch(
                        c,
                        org_id,
                        import_id,
                        &batch,
                        upsert,
                        detail,
                        actor,
                        &mut counts,
                    )
                    .await?;
                    writing += t0.elapsed();
                    if last_report.elapsed() >= PROGRESS_EVERY {
                        last_report = Instant::now();
                        let progress = (batch.progress > *shown).then_some(batch.progress);
                        *shown = shown.max(batch.progress);
                        if !self.report(org_id, import_id, counts, progress).await? {
                            return Err(Stop::Cancelled);
                        }
                    }
                    w0 = Instant::now();
                }
                tracing::info!(
                    %import_id,
                    waiting_for_rows_ms = waiting.as_millis() as u64,
                    writing_ms = writing.as_millis() as u64,
                    "contact import written"
                );
                let finished: Option<Uuid> = diesel::update(
                    contact_imports::table
                        .filter(contact_imports::id.eq(import_id))
                        .filter(contact_imports::status.eq(ImportStatus::Running)),
                )
                .set((
                    contact_imports::status.eq(ImportStatus::Done),
                    contact_imports::records.eq(counts.records),
                    contact_imports::imported.eq(counts.imported),
                    contact_imports::updated.eq(counts.updated),
                    contact_imports::duplicates.eq(counts.duplicates),
                    contact_imports::invalid.eq(counts.invalid),
                    contact_imports::empty.eq(counts.empty),
                    contact_imports::progress.eq(1.0),
                    contact_imports::finished_at.eq(Utc::now()),
                ))
                .returning(contact_imports::id)
                .get_result(c)
                .await
                .optional()?;
                if finished.is_none() {
                    return Err(Stop::Cancelled);
                }
                publish(c, org_id, import_id).await?;
                Ok(counts)
            })
            .await;
        // Ending the channel stops the reader, whatever happened to the writer.
        drop(batches);
        let _ = reading.await;
        outcome
    }

    /// Writes progress beside the import's transaction (none: only checks); false when it
    /// was cancelled.
    async fn report(
        &self,
        org_id: Uuid,
        import_id: Uuid,
        counts: Counts,
        progress: Option<f64>,
    ) -> Result<bool, ImportError> {
        self.tx(Scope::org(org_id), async |c| -> Result<_, ImportError> {
            let status = contact_imports::status.eq(ImportStatus::Running);
            let Some(progress) = progress else {
                let running = diesel::select(diesel::dsl::exists(
                    contact_imports::table
                        .filter(contact_imports::id.eq(import_id))
                        .filter(status),
                ))
                .get_result(c)
                .await?;
                return Ok(running);
            };
            let running: Option<Uuid> = diesel::update(
                contact_imports::table
                    .filter(contact_imports::id.eq(import_id))
                    .filter(status),
            )
            .set((
                contact_imports::records.eq(counts.records),
                contact_imports::imported.eq(counts.imported),
                contact_imports::updated.eq(counts.updated),
                contact_imports::duplicates.eq(counts.duplicates),
                contact_imports::invalid.eq(counts.invalid),
                contact_imports::empty.eq(counts.empty),
                contact_imports::progress.eq(progress as f32),
            ))
            .returning(contact_imports::id)
            .get_result(c)
            .await
            .optional()?;
            if running.is_some() {
                publish(c, org_id, import_id).await?;
            }
            Ok(running.is_some())
        })
        .await
    }

    /// Marks a running import failed with `reason` (nothing of it was kept).
    pub(crate) async fn end_import(
        &self,
        org_id: Uuid,
        import_id: Uuid,
        reason: &str,
    ) -> Result<(), ImportError> {
        let reason: String = reason.chars().take(2000).collect();
        self.tx(Scope::org(org_id), async |c| -> Result<_, ImportError> {
            let failed: Option<Uuid> = diesel::update(
                contact_imports::table
                    .filter(contact_imports::id.eq(import_id))
                    .filter(
                        contact_imports::status
                            .eq_any([ImportStatus::Queued, ImportStatus::Running]),
                    ),
            )
            .set((
                contact_imports::status.eq(ImportStatus::Failed),
                contact_imports::error.eq(&reason),
                contact_imports::records.eq(0),
                contact_imports::imported.eq(0),
                contact_imports::updated.eq(0),
                contact_imports::duplicates.eq(0),
                contact_imports::invalid.eq(0),
                contact_imports::empty.eq(0),
                contact_imports::finished_at.eq(Utc::now()),
            ))
            .returning(contact_imports::id)
            .get_result(c)
            .await
            .optional()?;
            if failed.is_some() {
                publish(c, org_id, import_id).await?;
            }
            Ok(())
        })
        .await
    }
}

/// Makes text fields for mapped keys the organization had not defined.
async fn add_fields(
    c: &mut Conn,
    org_id: Uuid,
    new: &[(String, String)],
) -> Result<(), CommonError> {
    if new.is_empty() {
        return Ok(());
    }
    let (keys, labels): (Vec<String>, Vec<String>) = new.iter().cloned().unzip();
    diesel::sql_query(
        "INSERT INTO contact_fields (org_id, key, label, kind)
         SELECT $1, k, l, 'text' FROM unnest($2::text[], $3::text[]) AS t(k, l)
         ON CONFLICT DO NOTHING",
    )
    .bind::<SqlUuid, _>(org_id)
    .bind::<Array<Text>, _>(keys)
    .bind::<Array<Text>, _>(labels)
    .execute(c)
    .await?;
    Ok(())
}

/// The statement that writes one batch of contacts, decided once per import.
struct Upsert {
    sql: String,
    /// Whether the statement answers its own counts (else its row count is the inserted).
    counts: bool,
    /// Written as new contacts, without handling conflicts.
    fresh: bool,
    /// Whether the import remembers its contacts as an audience.
    members: bool,
}

/// The statement that writes a batch. `fresh`: as if no contact of the file existed, so
/// that new contacts only are written without handling conflicts (a unique violation then
/// stops the writer with [`Stop::Taken`]).
fn upsert_sql(policy: DuplicatePolicy, options: &ImportOptions, fresh: bool) -> Upsert {
    {
        let maps = |t: Target| options.mapping.iter().any(|m| m.target == t);
        let marketing = maps(Target::Marketing);
        let tags_merged = "CASE WHEN cardinality(excluded.tags) = 0 THEN c.tags
                ELSE ARRAY(SELECT t FROM unnest(c.tags || excluded.tags) WITH ORDINALITY AS x(t, n)
                           GROUP BY t ORDER BY min(n) LIMIT 100) END";
        let kept_or_file = |column: &str, mapped: bool| {
            if mapped {
                format!("coalesce(excluded.{column}, c.{column})")
            } else {
                format!("coalesce(c.{column}, excluded.{column})")
            }
        };
        // An opt-out from the file is recorded; an opt-in only where consent was unknown.
        let consent = "CASE WHEN excluded.marketing_source IS NULL THEN c.marketing
                WHEN excluded.marketing = 'opted_out' OR c.marketing = 'unknown' THEN excluded.marketing
                ELSE c.marketing END";
        let conflict = match policy {
            DuplicatePolicy::Skip => "NOTHING".to_owned(),
            DuplicatePolicy::Update => format!(
                "UPDATE SET name = coalesce(excluded.name, c.name),
                    email = coalesce(excluded.email, c.email),
                    language = coalesce(excluded.language, c.language),
                    country = {country}, time_zone = {zone},
                    tags = {tags_merged},
                    fields = c.fields || excluded.fields,
                    marketing = {consent},
                    marketing_source = CASE WHEN ({consent}) = c.marketing THEN c.marketing_source ELSE 'import' END,
                    marketing_at = CASE WHEN ({consent}) = c.marketing THEN c.marketing_at ELSE now() END,
                    updated_at = now()",
                country = kept_or_file("country", maps(Target::Country)),
                zone = kept_or_file("time_zone", maps(Target::TimeZone)),
            ),
            DuplicatePolicy::MergeTags => format!(
                "UPDATE SET tags = {tags_merged}, updated_at = now()
                 WHERE cardinality(excluded.tags) > 0"
            ),
        };
        let input = "unnest($13::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                              $7::text[], $8::text[], $9::jsonb[], $10::text[])
                 AS i(id, wa_id, name, email, language, country, time_zone, tags, fields, marketing)";
        let tags =
            "CASE WHEN i.tags IS NULL THEN '{}'::text[] ELSE string_to_array(i.tags, chr(31)) END";
        if policy == DuplicatePolicy::Skip && !marketing {
            // New contacts only, and nothing to report but how many: the plainest insert.
            return Upsert {
                sql: format!(
                    "INSERT INTO contacts (org_id, id, wa_id, name, email, language, country,
                                           time_zone, tags, fields)
                     SELECT $1, i.id, i.wa_id, i.name, i.email, i.language, i.country,
                            i.time_zone, {tags}, i.fields
                       FROM {input}
                     {conflicts}",
                    conflicts = if fresh {
                        ""
                    } else {
                        "ON CONFLICT (org_id, wa_id) DO NOTHING"
                    },
                ),
                counts: false,
                fresh,
                members: options.as_audience,
            };
        }
        let (before, events) = if marketing {
            (
                ", before AS (SELECT c.id, c.marketing FROM contacts c JOIN input i
                               ON c.org_id = $1 AND c.wa_id = i.wa_id)",
                ", consent AS (INSERT INTO consent_events
                                 (org_id, id, contact_id, marketing, source, detail, actor_id)
                               SELECT $1, gen_random_uuid(), up.id, up.marketing, 'import', $11, $12
                                 FROM up LEFT JOIN before b ON b.id = up.id
                                WHERE up.marketing <> coalesce(b.marketing, 'unknown'))",
            )
        } else {
            ("", "")
        };
        let sql = format!(
            "WITH input AS (SELECT * FROM {input}){before}, up AS (
                INSERT INTO contacts AS c (org_id, id, wa_id, name, email, language, country,
                                           time_zone, tags, fields, marketing, marketing_source,
                                           marketing_at)
                SELECT $1, i.id, i.wa_id, i.name, i.email, i.language, i.country,
                       i.time_zone, {tags}, i.fields, coalesce(i.marketing, 'unknown'),
                       CASE WHEN i.marketing IS NOT NULL THEN 'import' END,
                       CASE WHEN i.marketing IS NOT NULL THEN now() END
                  FROM input i
                ON CONFLICT (org_id, wa_id) DO {conflict}
                RETURNING c.id, c.marketing, (c.xmax = 0) AS inserted
             ){events}
             SELECT count(*) FILTER (WHERE inserted) AS inserted,
                    count(*) FILTER (WHERE NOT inserted) AS updated
               FROM up"
        );
        Upsert {
            sql,
            counts: true,
            fresh: false,
            members: options.as_audience,
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn write_batch(
    c: &mut Conn,
    org_id: Uuid,
    import_id: Uuid,
    batch: &Batch,
    upsert: &Upsert,
    detail: &str,
    actor: Option<Uuid>,
    counts: &mut Counts,
) -> Result<(), Stop> {
    counts.records += batch.records as i64;
    counts.empty += batch.empty as i64;
    counts.invalid += batch.rejects.len() as i64;
    counts.duplicates += batch.duplicates as i64;
    if !batch.rejects.is_empty() {
        let mut lines = Vec::with_capacity(batch.rejects.len());
        let mut reasons = Vec::with_capacity(batch.rejects.len());
        let mut rows = Vec::with_capacity(batch.rejects.len());
        for (line, reason, row) in &batch.rejects {
            lines.push(*line);
            reasons.push(reason.as_str());
            rows.push(row.as_str());
        }
        diesel::sql_query(
            "INSERT INTO contact_import_rejects (org_id, import_id, line, reason, row)
             SELECT $1, $2, l, r, w FROM unnest($3::bigint[], $4::text[], $5::text[]) AS t(l, r, w)
             ON CONFLICT DO NOTHING",
        )
        .bind::<SqlUuid, _>(org_id)
        .bind::<SqlUuid, _>(import_id)
        .bind::<Array<BigInt>, _>(lines)
        .bind::<Array<Text>, _>(reasons)
        .bind::<Array<Text>, _>(rows)
        .execute(c)
        .await?;
    }
    if batch.contacts.is_empty() {
        return Ok(());
    }
    let n = batch.contacts.len();
    let mut wa_ids = Vec::with_capacity(n);
    let mut names = Vec::with_capacity(n);
    let mut emails = Vec::with_capacity(n);
    let mut languages = Vec::with_capacity(n);
    let mut countries = Vec::with_capacity(n);
    let mut zones = Vec::with_capacity(n);
    let mut tags = Vec::with_capacity(n);
    let mut fields = Vec::with_capacity(n);
    let mut marketing = Vec::with_capacity(n);
    let mut ids = Vec::with_capacity(n);
    for d in &batch.contacts {
        ids.push(Uuid::now_v7());
        wa_ids.push(d.wa_id());
        names.push(d.name.as_deref());
        emails.push(d.email.as_deref());
        languages.push(d.language.as_deref());
        countries.push(d.country.as_deref());
        zones.push(d.time_zone.as_deref());
        tags.push((!d.tags.is_empty()).then(|| d.tags.join(&TAG_SEPARATOR.to_string())));
        fields.push(Value::Object(d.fields.clone()));
        marketing.push(d.marketing.map(|m| m.as_str()));
    }
    let query = diesel::sql_query(&upsert.sql)
        .bind::<SqlUuid, _>(org_id)
        .bind::<Array<Text>, _>(&wa_ids)
        .bind::<Array<Nullable<Text>>, _>(names)
        .bind::<Array<Nullable<Text>>, _>(emails)
        .bind::<Array<Nullable<Text>>, _>(languages)
        .bind::<Array<Nullable<Text>>, _>(countries)
        .bind::<Array<Nullable<Text>>, _>(zones)
        .bind::<Array<Nullable<Text>>, _>(tags)
        .bind::<Array<Jsonb>, _>(fields)
        .bind::<Array<Nullable<Text>>, _>(marketing)
        .bind::<Text, _>(detail)
        .bind::<Nullable<SqlUuid>, _>(actor)
        .bind::<Array<SqlUuid>, _>(ids);
    let written = if upsert.counts {
        query.get_result::<Written>(c).await?
    } else {
        let inserted = match query.execute(c).await {
            Ok(n) => n as i64,
            Err(e) if upsert.fresh && wagent_db::is_unique_violation(&e) => {
                return Err(Stop::Taken);
            }
            Err(e) => return Err(e.into()),
        };
        Written {
            inserted,
            updated: 0,
        }
    };
    if upsert.members {
        // Every contact a valid row matched, new or not: the file's people.
        diesel::sql_query(
            "INSERT INTO contact_import_members (org_id, import_id, contact_id)
             SELECT $1, $2, c.id FROM contacts c WHERE c.org_id = $1 AND c.wa_id = ANY($3)
             ON CONFLICT DO NOTHING",
        )
        .bind::<SqlUuid, _>(org_id)
        .bind::<SqlUuid, _>(import_id)
        .bind::<Array<Text>, _>(&wa_ids)
        .execute(c)
        .await?;
    }
    let repeats = batch.repeats as i64;
    counts.imported += written.inserted;
    counts.updated += written.updated - repeats;
    counts.duplicates += n as i64 - repeats - written.inserted - (written.updated - repeats);
    Ok(())
}

/// Reads the file on a blocking thread, sending batches until the end, a fatal error, or
/// the writer hanging up.
fn read_file(
    path: &Path,
    options: &ImportOptions,
    fields: &HashMap<String, super::FieldKind>,
    sender: &mpsc::Sender<Result<Batch, ImportError>>,
) {
    let fail = |e: ImportError| {
        let _ = sender.blocking_send(Err(e));
    };
    let read = match options.read_options() {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let mut table = match wagent_tabular::open(path, &read, &limits()) {
        Ok(t) => t,
        Err(e) => return fail(e.into()),
    };
    let reader = match RowReader::new(
        table.headers(),
        &options.mapping,
        fields,
        options.default_country.as_deref(),
    ) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let policy = options.duplicates;
    // Numbers already written by earlier batches, as integers (E.164 has at most 15 digits).
    let mut written: HashSet<u64> = HashSet::new();
    loop {
        let mut batch = Batch {
            contacts: Vec::with_capacity(BATCH),
            repeats: 0,
            duplicates: 0,
            rejects: Vec::new(),
            records: 0,
            empty: 0,
            progress: 0.0,
        };
        // Where each number of this batch sits in `contacts`.
        let mut here: HashMap<u64, usize> = HashMap::with_capacity(BATCH);
        let mut ended = false;
        while batch.contacts.len() + batch.rejects.len() < BATCH {
            let Some(item) = table.next() else {
                ended = true;
                break;
            };
            let record = match item {
                Ok(r) => r,
                Err(e) if e.is_fatal() => return fail(e.into()),
                Err(e) => {
                    batch.records += 1;
                    let line = e.line().unwrap_or(0) as i64;
                    batch.rejects.push((line, e.to_string(), String::new()));
                    continue;
                }
            };
            batch.records += 1;
            if record.is_empty() {
                batch.empty += 1;
                continue;
            }
            let draft = match reader.read(&record.cells) {
                Ok(d) => d,
                Err(reason) => {
                    batch
                        .rejects
                        .push((record.line as i64, reason, record.cells.join("\t")));
                    continue;
                }
            };
            let number: u64 = draft.wa_id().parse().unwrap_or(u64::MAX);
            match here.entry(number) {
                MapEntry::Occupied(at) => {
                    batch.duplicates += 1;
                    fold(&mut batch.contacts[*at.get()], draft, policy);
                }
                MapEntry::Vacant(slot) => {
                    if written.contains(&number) {
                        batch.duplicates += 1;
                        let again = match policy {
                            DuplicatePolicy::Skip => false,
                            DuplicatePolicy::Update => true,
                            DuplicatePolicy::MergeTags => !draft.tags.is_empty(),
                        };
                        if !again {
                            continue;
                        }
                        batch.repeats += 1;
                    }
                    slot.insert(batch.contacts.len());
                    batch.contacts.push(draft);
                }
            }
        }
        written.extend(here.keys());
        batch.progress = table.progress();
        if sender.blocking_send(Ok(batch)).is_err() || ended {
            return;
        }
    }
}

/// Folds a later row of the file into the earlier row with the same number.
fn fold(earlier: &mut ContactDraft, later: ContactDraft, policy: DuplicatePolicy) {
    let merge_tags = |earlier: &mut ContactDraft, tags: Vec<String>| {
        for tag in tags {
            if earlier.tags.len() < MAX_TAGS && !earlier.tags.contains(&tag) {
                earlier.tags.push(tag);
            }
        }
    };
    match policy {
        DuplicatePolicy::Skip => {}
        DuplicatePolicy::MergeTags => merge_tags(earlier, later.tags),
        DuplicatePolicy::Update => {
            let tags = later.tags;
            let keep = |a: &mut Option<String>, b: Option<String>| {
                if b.is_some() {
                    *a = b;
                }
            };
            keep(&mut earlier.name, later.name);
            keep(&mut earlier.email, later.email);
            keep(&mut earlier.language, later.language);
            keep(&mut earlier.country, later.country);
            keep(&mut earlier.time_zone, later.time_zone);
            earlier.fields.extend(later.fields);
            if later.marketing.is_some() {
                earlier.marketing = later.marketing;
            }
            merge_tags(earlier, tags);
        }
    }
}
