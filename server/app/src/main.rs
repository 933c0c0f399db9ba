//! `wagent`: the WhatsApp marketing and AI-agent platform, in one binary.

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use serde_json::json;
use wagent_app::{
    database::Database,
    init_tracing, keys,
    settings::{Settings, TABLE},
    startup::{Application, Services, run_worker, shutdown_signal},
};
use wagent_domain::{Caller, Intent, Role, contacts::imports::ImportOptions};

/// mimalloc: a GraphQL answer is thousands of small allocations, and glibc's allocator spent
/// a fifth of the inbox list's time on them (docs/PERFORMANCE.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "wagent", version, about = "WAgent: WhatsApp marketing and AI agents for businesses.", after_help = settings_help())]
struct Cli {
    /// A TOML file of settings (the same names as below, lower-case, without prefix);
    /// environment variables override it.
    #[arg(long, global = true, env = "WAGENT_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API, the web app and the background jobs (migrates the database first).
    Serve,
    /// Run only the background jobs (any number of workers may run beside `serve`).
    Worker,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Print the GraphQL schema (SDL); `schema.graphql` is this output.
    Schema,
    /// Manage organizations.
    Org {
        #[command(subcommand)]
        command: OrgCommand,
    },
    /// Manage integrators' API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Server keys.
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// WhatsApp numbers.
    Whatsapp {
        #[command(subcommand)]
        command: WhatsappCommand,
    },
    /// Contacts.
    Contacts {
        #[command(subcommand)]
        command: ContactsCommand,
    },
    /// Knowledge the AI agents answer from.
    Knowledge {
        #[command(subcommand)]
        command: KnowledgeCommand,
    },
    /// AI agents.
    Agent {
        #[command(subcommand)]
        command: AgentCommand,
    },
    /// Run the built-in Meta sandbox: the Graph API and webhooks of WhatsApp's Cloud API, in
    /// memory, so that WAgent can be tried without a Meta account.
    Sandbox {
        #[arg(long, default_value = "127.0.0.1:8082")]
        listen: std::net::SocketAddr,
        /// Where to send webhooks, e.g. http://127.0.0.1:8080/webhooks/whatsapp.
        #[arg(long)]
        webhook_url: Option<String>,
        /// The app secret that signs webhooks (WAgent's META_APP_SECRET).
        #[arg(long, env = "META_APP_SECRET")]
        app_secret: String,
        /// The app id that Embedded Signup code exchanges must name (WAgent's META_APP_ID).
        #[arg(long, default_value = "sandbox-app")]
        app_id: String,
        /// The shared secret its own `/sandbox/*` API requires in `X-Sandbox-Secret`
        /// (WAgent's WAGENT_SANDBOX_SECRET).
        #[arg(long, env = "WAGENT_SANDBOX_SECRET", hide_env_values = true)]
        secret: String,
    },
}

#[derive(Subcommand)]
enum KnowledgeCommand {
    /// Add a file (PDF, DOCX, TXT, Markdown, HTML) or a web page, read it now, and print the
    /// source as JSON with its status.
    Add {
        #[arg(long)]
        org: uuid::Uuid,
        #[arg(long, conflicts_with = "url", required_unless_present = "url")]
        file: Option<PathBuf>,
        #[arg(long)]
        url: Option<String>,
        /// Links to follow from the page (0: that page only).
        #[arg(long, default_value_t = 0)]
        depth: i32,
        #[arg(long)]
        max_pages: Option<i32>,
        /// The language of the text: en, pt, es, ...
        #[arg(long)]
        language: Option<String>,
    },
    /// Print the organization's sources as JSON, each with its status.
    List {
        #[arg(long)]
        org: uuid::Uuid,
    },
}

#[derive(Subcommand)]
enum AgentCommand {
    /// Print what an agent answers (as `testAgent` does) as JSON: text, handoff, sources.
    /// Without --agent, from all the organization's knowledge with default settings.
    Ask {
        #[arg(long)]
        org: uuid::Uuid,
        #[arg(long)]
        agent: Option<uuid::Uuid>,
        #[arg(long)]
        message: String,
    },
}

#[derive(Subcommand)]
enum WhatsappCommand {
    /// Connect a number manually (a system user's token read from a file) and print it.
    Connect {
        #[arg(long)]
        org: uuid::Uuid,
        #[arg(long)]
        waba: String,
        #[arg(long)]
        phone_number_id: String,
        /// A file holding the access token (kept out of the shell history and `ps`).
        #[arg(long)]
        token_file: PathBuf,
    },
}

#[derive(Subcommand)]
enum ContactsCommand {
    /// Import a CSV or XLSX file of contacts, all or nothing, and print a JSON summary:
    /// records, imported, updated, duplicates, invalid, empty (and the import's id, to
    /// download its rejected rows).
    Import {
        #[arg(long)]
        org: uuid::Uuid,
        #[arg(long)]
        file: PathBuf,
        /// Numbers without a country code are read in this country (ISO 3166, e.g. BR);
        /// the organization's default country when not given.
        #[arg(long)]
        default_country: Option<String>,
        /// COLUMN=FIELD, once per column: FIELD is phone, name, email, language, country,
        /// time_zone, tags, marketing, or a contact field's key. Without any, the
        /// organization's last mapping or a guess from the column names.
        #[arg(long = "map", value_name = "COLUMN=FIELD")]
        map: Vec<String>,
        /// XLSX: the sheet, counted from 1.
        #[arg(long)]
        sheet: Option<usize>,
        /// The row (CSV: line) holding the column names, counted from 1.
        #[arg(long)]
        header_row: Option<u64>,
        /// CSV: the delimiter, when the one found is wrong.
        #[arg(long)]
        delimiter: Option<char>,
        /// What a row of an existing contact does: skip, update or merge-tags.
        #[arg(long, default_value = "skip")]
        duplicates: String,
        /// Remember the file's contacts so that a campaign can go to exactly them (its
        /// audience's `importIds`).
        #[arg(long)]
        as_audience: bool,
    },
}

#[derive(Subcommand)]
enum OrgCommand {
    /// Create an organization and print it as JSON (with its `id`).
    Create {
        #[arg(long)]
        name: String,
        /// Its first Owner: the person who signs in with this (verified) e-mail address.
        #[arg(long)]
        owner_email: Option<String>,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Issue an API token for an organization and print `{"id", "token", ...}` as JSON.
    Issue {
        #[arg(long)]
        org: uuid::Uuid,
        /// owner, admin or member.
        #[arg(long)]
        role: String,
        /// Lifetime in days, e.g. 30d (1d to 365d; default 90d).
        #[arg(long)]
        ttl: Option<String>,
        /// A name to recognise it by in the token list.
        #[arg(long, default_value = "issued with wagent token issue")]
        name: String,
    },
    /// Revoke an API token by its id; servers stop accepting it within 3 seconds.
    Revoke { token_id: uuid::Uuid },
    /// Narrow a token read from stdin (no key needed) and print the new token.
    Attenuate {
        /// Allow only queries and subscriptions, no mutations.
        #[arg(long)]
        read_only: bool,
        /// Expire sooner, e.g. 1h, 30m, 7d.
        #[arg(long)]
        ttl: Option<String>,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Print a new WAGENT_TOKEN_KEY and WAGENT_ENCRYPTION_KEYS for an environment file.
    Generate,
    /// Re-encrypt every stored secret with the first key of WAGENT_ENCRYPTION_KEYS (put a
    /// new key first, keep the old ones after it, rotate, then drop the old ones).
    Rotate,
}

/// The import options the command line gives.
fn import_options(
    default_country: Option<String>,
    map: &[String],
    sheet: Option<usize>,
    header_row: Option<u64>,
    delimiter: Option<char>,
    duplicates: &str,
) -> Result<ImportOptions, String> {
    use wagent_domain::contacts::imports::{ColumnMapping, DuplicatePolicy, Target};
    let mapping = map
        .iter()
        .map(|pair| {
            let (column, field) = pair
                .rsplit_once('=')
                .ok_or_else(|| format!("--map `{pair}`: write COLUMN=FIELD"))?;
            Ok(ColumnMapping {
                column: column.trim().to_owned(),
                target: Target::parse(field).map_err(|e| format!("--map `{pair}`: {e}"))?,
            })
        })
        .collect::<Result<Vec<_>, String>>()?;
    let duplicates = match duplicates {
        "skip" => DuplicatePolicy::Skip,
        "update" => DuplicatePolicy::Update,
        "merge-tags" | "merge_tags" => DuplicatePolicy::MergeTags,
        other => {
            return Err(format!(
                "--duplicates `{other}`: use skip, update or merge-tags"
            ));
        }
    };
    let sheet = sheet
        .map(|s| s.checked_sub(1).ok_or("--sheet is counted from 1"))
        .transpose()?;
    Ok(ImportOptions {
        sheet,
        header_row,
        delimiter,
        default_country,
        mapping,
        duplicates,
        as_audience: false,
    })
}

/// Uploads `file` as a member of `org` would and imports it here, waiting for the end.
async fn import_contacts(
    domain: &wagent_domain::Domain,
    org: uuid::Uuid,
    file: &std::path::Path,
    mut options: ImportOptions,
) -> Result<serde_json::Value, String> {
    use wagent_domain::contacts::imports::{PreviewRequest, RunIn};
    let access = domain
        .authorize(&Caller::operator(), org, Role::Admin, Intent::Write)
        .await
        .map_err(|e| e.to_string())?;
    let body = tokio::fs::File::open(file)
        .await
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let size = body.metadata().await.ok().map(|m| m.len());
    let name = file
        .file_name()
        .map_or("contacts".into(), |n| n.to_string_lossy().into_owned());
    let uploaded = domain
        .upload_contact_import(&access, &name, size, body)
        .await
        .map_err(|e| e.to_string())?;
    if options.mapping.is_empty() {
        let preview = domain
            .preview_contact_import(
                &access,
                uploaded.id,
                PreviewRequest {
                    sheet: options.sheet,
                    header_row: options.header_row,
                    delimiter: options.delimiter,
                    default_country: options.default_country.clone(),
                    mapping: None,
                },
            )
            .await
            .map_err(|e| e.to_string())?;
        options.mapping = preview.mapping;
    }
    let import = domain
        .start_contact_import(&access, uploaded.id, options, RunIn::Foreground)
        .await
        .map_err(|e| e.to_string())?;
    Ok(json!({
        "id": import.id,
        "status": import.status.as_str(),
        "error": import.error,
        "records": import.records,
        "imported": import.imported,
        "updated": import.updated,
        "duplicates": import.duplicates,
        "invalid": import.invalid,
        "empty": import.empty,
        "mapping": import.options().mapping.iter()
            .map(|m| json!({ "column": m.column, "field": m.target.as_str() }))
            .collect::<Vec<_>>(),
    }))
}

/// `wagent knowledge …`: its JSON output.
async fn knowledge(
    domain: &wagent_domain::Domain,
    command: KnowledgeCommand,
) -> Result<serde_json::Value, String> {
    use wagent_domain::knowledge::{KnowledgeSource, NewUrlSource};
    let describe = |s: &KnowledgeSource| {
        json!({
            "id": s.id,
            "kind": s.kind.as_str(),
            "title": s.title,
            "url": s.url,
            "fileName": s.file_name,
            "language": s.language,
            "status": s.status.as_str(),
            "statusReason": s.status_reason,
            "pages": s.pages,
            "chunks": s.chunk_count,
            "createdAt": s.created_at,
            "ingestedAt": s.ingested_at,
        })
    };
    match command {
        KnowledgeCommand::List { org } => {
            let access = domain
                .authorize(&Caller::operator(), org, Role::Member, Intent::Read)
                .await
                .map_err(|e| e.to_string())?;
            let sources = domain
                .knowledge_sources(&access)
                .await
                .map_err(|e| e.to_string())?;
            Ok(serde_json::Value::Array(
                sources.iter().map(describe).collect(),
            ))
        }
        KnowledgeCommand::Add {
            org,
            file,
            url,
            depth,
            max_pages,
            language,
        } => {
            let access = domain
                .authorize(&Caller::operator(), org, Role::Admin, Intent::Write)
                .await
                .map_err(|e| e.to_string())?;
            let source = match (file, url) {
                (Some(file), _) => {
                    let body = tokio::fs::File::open(&file)
                        .await
                        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
                    let size = body.metadata().await.ok().map(|m| m.len());
                    let name = file
                        .file_name()
                        .map_or("document".into(), |n| n.to_string_lossy().into_owned());
                    domain
                        .upload_knowledge_file(&access, &name, size, language.as_deref(), body)
                        .await
                }
                (None, Some(url)) => {
                    domain
                        .add_knowledge_url(
                            &access,
                            NewUrlSource {
                                url,
                                title: None,
                                depth,
                                max_pages: max_pages.unwrap_or(if depth > 0 { 50 } else { 1 }),
                                language,
                                recrawl_hours: None,
                            },
                        )
                        .await
                }
                (None, None) => return Err("give --file or --url".into()),
            }
            .map_err(|e| e.to_string())?;
            let source = domain
                .ingest_knowledge_source_now(&access, source.id)
                .await
                .map_err(|e| e.to_string())?;
            let out = describe(&source);
            if source.status == wagent_domain::knowledge::SourceStatus::Failed {
                println!("{out}");
                return Err(format!(
                    "the source could not be read: {}",
                    source.status_reason.unwrap_or_default()
                ));
            }
            Ok(out)
        }
    }
}

fn settings_help() -> String {
    let mut help = String::from("Settings (environment variables):\n");
    for (_, var, meaning) in TABLE {
        help.push_str(&format!("  {var}\n      {meaning}\n"));
    }
    help
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("wagent: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("wagent: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), String> {
    let _ = rustls::crypto::ring::default_provider().install_default();
    match cli.command {
        Command::Schema => {
            print!("{}", wagent_graphql::sdl());
            return Ok(());
        }
        Command::Sandbox {
            listen,
            webhook_url,
            app_secret,
            app_id,
            secret,
        } => {
            init_tracing("info", false);
            if secret.is_empty() {
                return Err("the sandbox's --secret (WAGENT_SANDBOX_SECRET) is empty".into());
            }
            let mut config =
                wagent_sandbox::SandboxConfig::new(&app_id, &app_secret, webhook_url.as_deref());
            config.api_secret = Some(secret);
            let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
            let addr = wagent_sandbox::Sandbox::serve(config, listen, async move {
                let _ = stop_rx.await;
            })
            .await
            .map_err(|e| e.to_string())?;
            println!(
                "{}",
                json!({ "ready": true, "url": format!("http://{addr}") })
            );
            shutdown_signal().await;
            let _ = stop_tx.send(());
            return Ok(());
        }
        Command::Keys {
            command: KeysCommand::Generate,
        } => {
            let (token, enc) = keys::generate();
            println!("WAGENT_TOKEN_KEY={token}\nWAGENT_ENCRYPTION_KEYS={enc}");
            return Ok(());
        }
        Command::Token {
            command: TokenCommand::Attenuate { read_only, ttl },
        } => {
            let mut token = String::new();
            std::io::stdin()
                .read_line(&mut token)
                .map_err(|e| e.to_string())?;
            let expires_at = ttl
                .as_deref()
                .map(parse_duration)
                .transpose()?
                .map(|d| chrono::Utc::now() + d);
            let narrowed = wagent_auth::api_token::attenuate(
                token.trim(),
                &wagent_auth::api_token::Attenuation {
                    read_only,
                    expires_at,
                },
            )
            .map_err(|e| e.to_string())?;
            println!("{narrowed}");
            return Ok(());
        }
        _ => {}
    }

    let settings = Settings::load(cli.config.as_deref())?;
    init_tracing(&settings.log, settings.log_json);
    if let Command::Migrate = cli.command {
        // Needs no keys: only the database.
        Database::open(&settings).await?.prepare().await?;
        println!("{}", json!({ "migrated": true }));
        return Ok(());
    }
    let services = Services::open(&settings).await?;
    match cli.command {
        Command::Serve => {
            let app = Application::build(&settings, services, true).await?;
            app.run(shutdown_signal()).await
        }
        Command::Worker => run_worker(&settings, services, shutdown_signal()).await,
        Command::Org {
            command: OrgCommand::Create { name, owner_email },
        } => {
            let org = services
                .domain
                .create_organization_as_operator(&name, owner_email.as_deref())
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{}",
                json!({ "id": org.id, "name": org.name, "createdAt": org.created_at })
            );
            Ok(())
        }
        Command::Token {
            command:
                TokenCommand::Issue {
                    org,
                    role,
                    ttl,
                    name,
                },
        } => {
            let role: Role = role.parse()?;
            let days = ttl.as_deref().map(parse_days).transpose()?;
            let domain = &services.domain;
            let access = domain
                .authorize(&Caller::operator(), org, Role::Owner, Intent::Write)
                .await
                .map_err(|e| e.to_string())?;
            let issued = domain
                .create_api_token(&access, &name, role, days)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{}",
                json!({
                    "id": issued.api_token.id,
                    "token": issued.token,
                    "organizationId": org,
                    "role": role,
                    "expiresAt": issued.api_token.expires_at,
                })
            );
            Ok(())
        }
        Command::Contacts {
            command:
                ContactsCommand::Import {
                    org,
                    file,
                    default_country,
                    map,
                    sheet,
                    header_row,
                    delimiter,
                    duplicates,
                    as_audience,
                },
        } => {
            let mut options = import_options(
                default_country,
                &map,
                sheet,
                header_row,
                delimiter,
                &duplicates,
            )?;
            options.as_audience = as_audience;
            let summary = import_contacts(&services.domain, org, &file, options).await?;
            println!("{summary}");
            if summary["status"] == "done" {
                Ok(())
            } else {
                Err(format!(
                    "the import failed: {}",
                    summary["error"].as_str().unwrap_or("unknown reason")
                ))
            }
        }
        Command::Knowledge { command } => {
            let printed = knowledge(&services.domain, command).await?;
            println!("{printed}");
            Ok(())
        }
        Command::Agent {
            command:
                AgentCommand::Ask {
                    org,
                    agent,
                    message,
                },
        } => {
            let domain = &services.domain;
            let access = domain
                .authorize(&Caller::operator(), org, Role::Member, Intent::Write)
                .await
                .map_err(|e| e.to_string())?;
            let answer = domain
                .test_agent(&access, agent, &message, &[])
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{}",
                json!({
                    "text": answer.text,
                    "handoff": answer.handoff.is_some(),
                    "handoffReason": answer.handoff,
                    "outcome": answer.outcome.as_str(),
                    "model": answer.model,
                    "sources": answer.sources.iter().map(|p| json!({
                        "sourceId": p.source_id,
                        "title": p.title,
                        "citation": p.citation(),
                        "text": p.text,
                        "score": p.score,
                    })).collect::<Vec<_>>(),
                })
            );
            Ok(())
        }
        Command::Whatsapp {
            command:
                WhatsappCommand::Connect {
                    org,
                    waba,
                    phone_number_id,
                    token_file,
                },
        } => {
            let token = std::fs::read_to_string(&token_file)
                .map_err(|e| format!("cannot read {}: {e}", token_file.display()))?;
            let domain = &services.domain;
            let access = domain
                .authorize(&Caller::operator(), org, Role::Owner, Intent::Write)
                .await
                .map_err(|e| e.to_string())?;
            let number = domain
                .connect_whatsapp(&access, &waba, &phone_number_id, token.trim(), "cli")
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{}",
                json!({
                    "id": number.id,
                    "phoneNumberId": number.phone_number_id,
                    "displayPhoneNumber": number.display_phone_number,
                    "verifiedName": number.verified_name,
                    "qualityRating": number.quality_rating,
                    "status": number.status,
                })
            );
            Ok(())
        }
        Command::Keys {
            command: KeysCommand::Rotate,
        } => {
            let resealed = services
                .domain
                .rotate_secrets()
                .await
                .map_err(|e| e.to_string())?;
            println!("{}", json!({ "resealed": resealed }));
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Revoke { token_id },
        } => {
            let domain = &services.domain;
            let org = domain
                .api_token_org(token_id)
                .await
                .map_err(|e| e.to_string())?;
            let access = domain
                .authorize(&Caller::operator(), org, Role::Owner, Intent::Write)
                .await
                .map_err(|e| e.to_string())?;
            let revoked = domain
                .revoke_api_token(&access, token_id)
                .await
                .map_err(|e| e.to_string())?;
            println!(
                "{}",
                json!({ "id": revoked.id, "revokedAt": revoked.revoked_at })
            );
            Ok(())
        }
        Command::Migrate
        | Command::Schema
        | Command::Sandbox { .. }
        | Command::Keys {
            command: KeysCommand::Generate,
        }
        | Command::Token {
            command: TokenCommand::Attenuate { .. },
        } => Ok(()),
    }
}

/// `30d` or `30` → 30 days.
fn parse_days(s: &str) -> Result<i64, String> {
    let digits = s.strip_suffix('d').unwrap_or(s);
    digits
        .parse::<i64>()
        .map_err(|_| format!("--ttl `{s}`: expected days, e.g. 30d"))
}

/// `90m`, `12h`, `7d`.
fn parse_duration(s: &str) -> Result<chrono::Duration, String> {
    let bad = || format!("--ttl `{s}`: expected e.g. 30m, 12h or 7d");
    let (n, unit) = s.split_at(s.len().saturating_sub(1));
    let n: i64 = n.parse().map_err(|_| bad())?;
    match unit {
        "m" => Ok(chrono::Duration::minutes(n)),
        "h" => Ok(chrono::Duration::hours(n)),
        "d" => Ok(chrono::Duration::days(n)),
        _ => Err(bad()),
    }
}
