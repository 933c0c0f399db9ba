//! Contact imports in GraphQL: the file is uploaded beforehand
//! (`POST /api/organizations/{org}/contact-imports`), previewed with a mapping here, then
//! imported by `importContacts`, its progress live on `contactImportProgress`.

use async_graphql::{Context, Enum, ID, InputObject, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use wagent_domain::{
    Access, Domain, Intent, Role,
    contacts::imports::{
        ColumnMapping, ContactDraft, ContactImport, DuplicatePolicy, Format, ImportOptions,
        PreviewRequest, RunIn, Target,
    },
    inbox::TimeCursor,
};

use crate::{GqlResult, guard, parse_id, require, types::load_user};

/// Where an import stands.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "ContactImportStatus",
    remote = "wagent_domain::contacts::imports::ImportStatus"
)]
pub enum GqlImportStatus {
    /// Stored; preview it, then start it with `importContacts`.
    Uploaded,
    Queued,
    Running,
    /// Every row is in; the counts are final.
    Done,
    /// Nothing was imported; `error` says why.
    Failed,
    /// Stopped; nothing was imported.
    Cancelled,
}

/// What happens to a row whose number is already a contact, or came earlier in the file.
#[derive(Enum, Copy, Clone, Eq, PartialEq)]
#[graphql(
    name = "DuplicatePolicy",
    remote = "wagent_domain::contacts::imports::DuplicatePolicy"
)]
pub enum GqlDuplicatePolicy {
    /// The existing contact stays as it is.
    Skip,
    /// The file's values replace the contact's (blank cells change nothing) and its tags
    /// are added. An opt-out is recorded; an opt-in only where consent was unknown.
    Update,
    /// Only the file's tags are added.
    MergeTags,
}

/// A column of the file and what it becomes.
#[derive(SimpleObject, InputObject, Clone)]
#[graphql(input_name = "ColumnMappingInput", name = "ColumnMapping")]
pub struct GqlColumnMapping {
    /// The column's name, as the file's header row has it.
    pub column: String,
    /// phone, name, email, language, country, time_zone, tags, marketing, or a contact
    /// field's key (a new key makes a text field).
    pub field: String,
}

impl From<&ColumnMapping> for GqlColumnMapping {
    fn from(m: &ColumnMapping) -> Self {
        Self {
            column: m.column.clone(),
            field: m.target.as_str().to_owned(),
        }
    }
}

fn mapping(
    ctx: &Context<'_>,
    input: Vec<GqlColumnMapping>,
) -> async_graphql::Result<Vec<ColumnMapping>> {
    if input.len() > 200 {
        return Err(crate::to_gql(ctx, crate::InputError::TooManyColumns));
    }
    input
        .into_iter()
        .map(|m| {
            Ok(ColumnMapping {
                target: Target::parse(&m.field).gql(ctx)?,
                column: m.column,
            })
        })
        .collect()
}

/// How an import reads its file.
#[derive(SimpleObject)]
#[graphql(name = "ContactImportOptions")]
pub struct GqlImportOptions {
    /// XLSX: the sheet, counted from 1.
    sheet: Option<i32>,
    /// The row (CSV: line) holding the column names, counted from 1.
    header_row: Option<i32>,
    delimiter: Option<String>,
    default_country: Option<String>,
    mapping: Vec<GqlColumnMapping>,
    duplicates: GqlDuplicatePolicy,
    /// Whether it remembers its contacts as a campaign audience.
    as_audience: bool,
}

/// A contact list uploaded for import, and the import's counts.
pub struct ContactImportObject {
    pub import: ContactImport,
    pub access: Access,
}

#[Object(name = "ContactImport")]
impl ContactImportObject {
    async fn id(&self) -> ID {
        self.import.id.into()
    }
    async fn file_name(&self) -> &str {
        &self.import.file_name
    }
    /// csv or xlsx, from the file's bytes.
    async fn format(&self) -> &str {
        &self.import.format
    }
    /// Bytes.
    async fn size(&self) -> i64 {
        self.import.size
    }
    async fn status(&self) -> GqlImportStatus {
        self.import.status.into()
    }
    /// The member who uploaded it.
    async fn created_by(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Option<crate::types::UserObject>> {
        Box::pin(load_user(ctx, self.import.created_by)).await
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.import.created_at
    }
    async fn started_at(&self) -> Option<DateTime<Utc>> {
        self.import.started_at
    }
    async fn finished_at(&self) -> Option<DateTime<Utc>> {
        self.import.finished_at
    }
    /// Share of the file read, from 0 to 1.
    async fn progress(&self) -> f64 {
        f64::from(self.import.progress)
    }
    /// Rows read (the header not counted): imported + updated + duplicates + invalid + empty.
    async fn records(&self) -> i64 {
        self.import.records
    }
    /// New contacts.
    async fn imported(&self) -> i64 {
        self.import.imported
    }
    /// Existing contacts changed by the duplicate policy.
    async fn updated(&self) -> i64 {
        self.import.updated
    }
    /// Rows whose number came earlier in the file, and (policy SKIP) rows of contacts that
    /// already existed.
    async fn duplicates(&self) -> i64 {
        self.import.duplicates
    }
    /// Rejected rows: see `rejectedRows` or download `rejectedRowsUrl`.
    async fn invalid(&self) -> i64 {
        self.import.invalid
    }
    /// Blank rows.
    async fn empty(&self) -> i64 {
        self.import.empty
    }
    /// Why it failed.
    async fn error(&self) -> Option<&str> {
        self.import.error.as_deref()
    }
    /// How it was started (defaults before it was).
    async fn options(&self) -> GqlImportOptions {
        let o = self.import.options();
        GqlImportOptions {
            sheet: o.sheet.map(|s| s as i32 + 1),
            header_row: o.header_row.map(|r| r as i32),
            delimiter: o.delimiter.map(String::from),
            default_country: o.default_country,
            mapping: o.mapping.iter().map(GqlColumnMapping::from).collect(),
            duplicates: o.duplicates.into(),
            as_audience: o.as_audience,
        }
    }
    /// The rejected rows as CSV (line, reason, the row), with an `Authorization` header.
    async fn rejected_rows_url(&self) -> String {
        format!(
            "/api/organizations/{}/contact-imports/{}/rejected.csv",
            self.access.org_id(),
            self.import.id
        )
    }
    /// Rejected rows in line order, `first` (at most 100) after line `afterLine`.
    #[graphql(complexity = "first.unwrap_or(20).clamp(1, 100) as usize * child_complexity")]
    async fn rejected_rows(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after_line: Option<i64>,
    ) -> async_graphql::Result<Vec<RejectedRowObject>> {
        require(ctx, &self.access, Role::Admin)?;
        let rows = ctx
            .data_unchecked::<Domain>()
            .rejected_rows(
                &self.access,
                self.import.id,
                after_line.unwrap_or(0),
                i64::from(first.unwrap_or(20).clamp(1, 100)),
            )
            .await
            .gql(ctx)?;
        Ok(rows
            .into_iter()
            .map(|r| RejectedRowObject {
                line: r.line,
                reason: r.reason,
                cells: r.row.split('\t').map(str::to_owned).collect(),
            })
            .collect())
    }
    /// The first rows of the file, each with the contact it would become or why it would be
    /// rejected. Without `mapping`, the organization's last mapping for columns of the same
    /// names, else a guess from the names. Reads the file: ask for it on one import at a time.
    #[graphql(complexity = 500)]
    async fn preview(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "XLSX: the sheet, counted from 1.")] sheet: Option<i32>,
        #[graphql(desc = "The row holding the column names, counted from 1.")] header_row: Option<
            i32,
        >,
        delimiter: Option<String>,
        default_country: Option<String>,
        mapping: Option<Vec<GqlColumnMapping>>,
    ) -> async_graphql::Result<ImportPreviewObject> {
        require(ctx, &self.access, Role::Admin)?;
        let request = PreviewRequest {
            sheet: sheet_index(ctx, sheet)?,
            header_row: header_row_number(ctx, header_row)?,
            delimiter: one_char(ctx, delimiter)?,
            default_country,
            mapping: mapping.map(|m| self::mapping(ctx, m)).transpose()?,
        };
        let preview = ctx
            .data_unchecked::<Domain>()
            .preview_contact_import(&self.access, self.import.id, request)
            .await
            .gql(ctx)?;
        Ok(ImportPreviewObject {
            format: match preview.format {
                Format::Csv => "csv",
                Format::Xlsx => "xlsx",
            },
            encoding: preview.encoding,
            delimiter: preview.delimiter.map(String::from),
            sheets: preview.sheets,
            headers: preview.headers,
            mapping: preview.mapping.iter().map(GqlColumnMapping::from).collect(),
            default_country: preview.default_country,
            mapping_problem: preview.mapping_problem,
            rows: preview
                .rows
                .into_iter()
                .map(|r| {
                    let (contact, rejection) = match r.outcome {
                        Some(Ok(c)) => (Some(DraftObject(c)), None),
                        Some(Err(why)) => (None, Some(why)),
                        None => (None, None),
                    };
                    PreviewRowObject {
                        blank: r.cells.iter().all(String::is_empty),
                        line: r.line as i64,
                        cells: r.cells,
                        contact,
                        rejection,
                    }
                })
                .collect(),
        })
    }
}

/// A row an import rejected.
#[derive(SimpleObject)]
#[graphql(name = "RejectedRow")]
pub struct RejectedRowObject {
    /// The file's line (CSV) or the sheet's row (XLSX).
    line: i64,
    reason: String,
    /// The row as read.
    cells: Vec<String>,
}

/// What an import would do with the first rows of its file.
#[derive(SimpleObject)]
#[graphql(name = "ContactImportPreview")]
pub struct ImportPreviewObject {
    /// csv or xlsx.
    format: &'static str,
    /// UTF-8 or windows-1252 (Latin-1).
    encoding: &'static str,
    /// CSV: the delimiter found (or given).
    delimiter: Option<String>,
    /// XLSX: the sheets' names, in order.
    sheets: Vec<String>,
    headers: Vec<String>,
    /// The mapping the rows were read with.
    mapping: Vec<GqlColumnMapping>,
    /// The country numbers without a country code are read in.
    default_country: Option<String>,
    /// Why the mapping cannot be used (the rows then have neither contact nor rejection).
    mapping_problem: Option<String>,
    rows: Vec<PreviewRowObject>,
}

/// One row of a preview.
#[derive(SimpleObject)]
#[graphql(name = "ContactImportPreviewRow")]
pub struct PreviewRowObject {
    line: i64,
    cells: Vec<String>,
    /// The contact the row becomes.
    contact: Option<DraftObject>,
    /// Why the row would be rejected.
    rejection: Option<String>,
    /// A blank row: the import passes over it (neither contact nor rejection).
    blank: bool,
}

/// A contact as a row of a file would make it.
pub struct DraftObject(ContactDraft);

#[Object(name = "ContactDraft")]
impl DraftObject {
    /// E.164, with `+`.
    async fn phone(&self) -> &str {
        &self.0.phone
    }
    async fn name(&self) -> Option<&str> {
        self.0.name.as_deref()
    }
    async fn email(&self) -> Option<&str> {
        self.0.email.as_deref()
    }
    async fn language(&self) -> Option<&str> {
        self.0.language.as_deref()
    }
    async fn country(&self) -> Option<&str> {
        self.0.country.as_deref()
    }
    async fn time_zone(&self) -> Option<&str> {
        self.0.time_zone.as_deref()
    }
    async fn tags(&self) -> &[String] {
        &self.0.tags
    }
    async fn fields(&self) -> Json<serde_json::Map<String, serde_json::Value>> {
        Json(self.0.fields.clone())
    }
    async fn marketing(&self) -> Option<crate::contacts::GqlMarketing> {
        self.0.marketing.map(Into::into)
    }
}

fn sheet_index(ctx: &Context<'_>, sheet: Option<i32>) -> async_graphql::Result<Option<usize>> {
    sheet
        .map(|s| {
            usize::try_from(s)
                .ok()
                .and_then(|s| s.checked_sub(1))
                .ok_or_else(|| crate::to_gql(ctx, crate::InputError::CountedFromOne("sheet")))
        })
        .transpose()
}

fn header_row_number(ctx: &Context<'_>, row: Option<i32>) -> async_graphql::Result<Option<u64>> {
    row.map(|r| {
        u64::try_from(r)
            .ok()
            .filter(|r| *r >= 1)
            .ok_or_else(|| crate::to_gql(ctx, crate::InputError::CountedFromOne("header row")))
    })
    .transpose()
}

fn one_char(ctx: &Context<'_>, text: Option<String>) -> async_graphql::Result<Option<char>> {
    text.map(|t| {
        let t = if t == "\\t" { "\t".to_owned() } else { t };
        let mut chars = t.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => Ok(c),
            _ => Err(crate::to_gql(ctx, crate::InputError::OneCharacterDelimiter)),
        }
    })
    .transpose()
}

/// `Organization.contactImports`: newest first.
pub async fn contact_imports(
    ctx: &Context<'_>,
    access: &Access,
    first: Option<i32>,
    after: Option<String>,
    audiences_only: bool,
) -> async_graphql::Result<async_graphql::connection::Connection<String, ContactImportObject>> {
    require(ctx, access, Role::Admin)?;
    let page = ctx
        .data_unchecked::<Domain>()
        .contact_imports(access, first, after.as_deref(), audiences_only)
        .await
        .gql(ctx)?;
    let mut c = async_graphql::connection::Connection::new(after.is_some(), page.has_next);
    c.edges.extend(page.items.into_iter().map(|import| {
        let cursor = TimeCursor {
            at: import.created_at,
            id: import.id,
        }
        .encode();
        async_graphql::connection::Edge::new(
            cursor,
            ContactImportObject {
                import,
                access: access.clone(),
            },
        )
    }));
    Ok(c)
}

/// `Organization.contactImport`.
pub async fn contact_import(
    ctx: &Context<'_>,
    access: &Access,
    id: &ID,
) -> async_graphql::Result<ContactImportObject> {
    require(ctx, access, Role::Admin)?;
    let id = parse_id(ctx, id, "contact import")?;
    let import = ctx
        .data_unchecked::<Domain>()
        .contact_import(access, id)
        .await
        .gql(ctx)?;
    Ok(ContactImportObject {
        import,
        access: access.clone(),
    })
}

#[derive(InputObject)]
pub struct ImportContactsInput {
    pub organization_id: ID,
    /// The upload's `importId`.
    pub import_id: ID,
    /// XLSX: the sheet, counted from 1 (the first when not given).
    pub sheet: Option<i32>,
    /// The row (CSV: line) holding the column names, counted from 1 (1 when not given).
    pub header_row: Option<i32>,
    /// CSV: the delimiter, when the one found is wrong (`\t` for tabs).
    pub delimiter: Option<String>,
    /// Numbers without a country code are read in this country (ISO 3166, e.g. BR); the
    /// organization's default country when not given.
    pub default_country: Option<String>,
    /// One column must be the phone; columns not named are left out.
    pub mapping: Vec<GqlColumnMapping>,
    #[graphql(default_with = "GqlDuplicatePolicy::Skip")]
    pub duplicates: GqlDuplicatePolicy,
    /// Remember every contact the file's valid rows matched (new, updated or already
    /// there), so that a campaign can go to exactly them (`CampaignAudienceInput.importIds`).
    #[graphql(default)]
    pub as_audience: bool,
}

#[derive(Default)]
pub struct ImportsMutation;

#[Object]
impl ImportsMutation {
    /// Admin. Starts importing an uploaded file: the mapping is checked against the file's
    /// columns first, then saved for the organization's next file. The import runs in the
    /// background, all or nothing; follow it on `contactImportProgress`.
    async fn import_contacts(
        &self,
        ctx: &Context<'_>,
        input: ImportContactsInput,
    ) -> async_graphql::Result<ContactImportObject> {
        let access = guard(ctx, &input.organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &input.import_id, "contact import")?;
        let options = ImportOptions {
            sheet: sheet_index(ctx, input.sheet)?,
            header_row: header_row_number(ctx, input.header_row)?,
            delimiter: one_char(ctx, input.delimiter)?,
            default_country: input.default_country,
            mapping: mapping(ctx, input.mapping)?,
            duplicates: DuplicatePolicy::from(input.duplicates),
            as_audience: input.as_audience,
        };
        let import = ctx
            .data_unchecked::<Domain>()
            .start_contact_import(&access, id, options, RunIn::Background)
            .await
            .gql(ctx)?;
        Ok(ContactImportObject { import, access })
    }

    /// Admin. Stops a queued or running import; nothing of it is kept.
    async fn cancel_contact_import(
        &self,
        ctx: &Context<'_>,
        organization_id: ID,
        import_id: ID,
    ) -> async_graphql::Result<ContactImportObject> {
        let access = guard(ctx, &organization_id, Role::Admin, Intent::Write).await?;
        let id = parse_id(ctx, &import_id, "contact import")?;
        let import = ctx
            .data_unchecked::<Domain>()
            .cancel_contact_import(&access, id)
            .await
            .gql(ctx)?;
        Ok(ContactImportObject { import, access })
    }
}

/// The import as the subscriber may see it now; none when access is lost.
pub async fn reload(
    domain: &Domain,
    access: &Access,
    id: uuid::Uuid,
) -> Option<ContactImportObject> {
    let import = domain.contact_import(access, id).await.ok()?;
    Some(ContactImportObject {
        import,
        access: access.clone(),
    })
}

impl ContactImportObject {
    pub fn is_final(&self) -> bool {
        self.import.status.is_final()
    }
}
