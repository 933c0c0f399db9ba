#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Contact import: 1,000,000 CSV rows through the whole path (upload, the `contacts.import`
//! job, phone normalisation, duplicate policy, batched `unnest` upserts in one transaction),
//! against a raw `COPY` of the same rows, already normalised, into the same table.
//!
//! Run: `bench/run import` (a fresh private PostgreSQL, as in the tests). Prints
//! `import_rows_per_s`, `import_vs_copy_ratio` (goal ≤ 1.5) and the server's memory growth
//! while importing.

#[path = "../tests/api/helpers.rs"]
#[allow(dead_code)]
mod helpers;

use std::{
    io::{BufWriter, Write},
    time::{Duration, Instant},
};

use helpers::TestApp;
use serde_json::json;
use wagent_db::{
    diesel::{self, QueryableByName},
    diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection},
};

const ROWS: usize = 1_000_000;

fn main() {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(run());
}

#[derive(QueryableByName)]
struct Seconds {
    #[diesel(sql_type = diesel::sql_types::Double)]
    s: f64,
}

#[derive(QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// This process's resident memory, in MiB.
fn rss_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Row `i`: what a person's file says, and what the import makes of it (for `COPY`).
fn row(i: usize) -> (String, String) {
    let mobile = 910_000_000 + i;
    let (head, tail) = (mobile / 10_000, mobile % 10_000);
    let tags = match i % 3 {
        0 => ("vip,loja centro", "{vip,\"loja centro\"}"),
        1 => ("online", "{online}"),
        _ => ("", "{}"),
    };
    let file = format!(
        "Cliente {i};(11) {head:05}-{tail:04};cliente{i}@example.com;{}\n",
        tags.0
    );
    let copied = format!(
        "{},5511{mobile},Cliente {i},cliente{i}@example.com,BR,America/Sao_Paulo,\"{}\"\n",
        uuid::Uuid::now_v7(),
        tags.1.replace('"', "\"\"")
    );
    (file, copied)
}

async fn run() {
    let app = TestApp::spawn_configured(&[
        ("WAGENT_RATE_LIMIT_PER_IP", "0"),
        ("WAGENT_RATE_LIMIT_PER_TOKEN", "0"),
    ])
    .await;
    let org = app.create_org("alice", "Bench").await;
    let alice = app.sign_in("alice").await;
    let mut db = AsyncPgConnection::establish(&app.db.admin.connection_string())
        .await
        .unwrap();

    // The file to import and, beside it, the same rows as COPY would take them.
    let dir = std::env::temp_dir().join(format!("wagent-bench-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv_path = dir.join("contacts.csv");
    let copy_path = dir.join("copy.csv");
    {
        let mut file = BufWriter::new(std::fs::File::create(&csv_path).unwrap());
        let mut copy = BufWriter::new(std::fs::File::create(&copy_path).unwrap());
        file.write_all(b"Nome;Celular;E-mail;Grupos\n").unwrap();
        for i in 0..ROWS {
            let (f, c) = row(i);
            file.write_all(f.as_bytes()).unwrap();
            copy.write_all(format!("{org},{c}").as_bytes()).unwrap();
        }
        file.flush().unwrap();
        copy.flush().unwrap();
    }
    // The database server reads the COPY file itself.
    for path in [&dir, &copy_path] {
        use std::os::unix::fs::PermissionsExt;
        let mode = if path.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }
    let size_mb = std::fs::metadata(&csv_path).unwrap().len() as f64 / 1e6;

    // The baseline: COPY of the same rows into the same, empty, table.
    empty_contacts(&mut db).await;
    let t = Instant::now();
    db.batch_execute(&format!(
        "COPY contacts (org_id, id, wa_id, name, email, country, time_zone, tags) FROM '{}' WITH (FORMAT csv)",
        copy_path.display()
    ))
    .await
    .unwrap();
    let copy_s = t.elapsed().as_secs_f64();
    empty_contacts(&mut db).await;

    // The import, as an Admin does it.
    let body = std::fs::read(&csv_path).unwrap();
    let uploaded: serde_json::Value = app
        .http
        .post(format!(
            "{}/api/organizations/{org}/contact-imports",
            app.base
        ))
        .bearer_auth(&alice)
        .header("x-file-name", "contacts.csv")
        .timeout(Duration::from_secs(600))
        .body(body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = uploaded["importId"].as_str().expect("uploaded").to_owned();
    let baseline_rss = rss_mib();
    let mapping = json!([
        { "column": "Nome", "field": "name" },
        { "column": "Celular", "field": "phone" },
        { "column": "E-mail", "field": "email" },
        { "column": "Grupos", "field": "tags" },
    ]);
    app.ok(
        &alice,
        "mutation($o: ID!, $i: ID!, $m: [ColumnMappingInput!]!) { importContacts(input: {organizationId: $o, importId: $i, defaultCountry: \"BR\", mapping: $m}) { status } }",
        json!({ "o": org, "i": id, "m": mapping }),
    )
    .await;
    let mut peak_rss = baseline_rss;
    let status = loop {
        let status: String = diesel::sql_query(format!(
            "SELECT status AS s FROM contact_imports WHERE id = '{id}'"
        ))
        .get_result::<StatusRow>(&mut db)
        .await
        .unwrap()
        .s;
        peak_rss = peak_rss.max(rss_mib());
        if status != "queued" && status != "running" {
            break status;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(status, "done");
    let import_s = diesel::sql_query(format!(
        "SELECT extract(epoch FROM finished_at - started_at)::float8 AS s FROM contact_imports WHERE id = '{id}'"
    ))
    .get_result::<Seconds>(&mut db)
    .await
    .unwrap()
    .s;
    let imported = diesel::sql_query("SELECT count(*) AS n FROM contacts")
        .get_result::<N>(&mut db)
        .await
        .unwrap()
        .n;
    assert_eq!(imported, ROWS as i64);
    let _ = std::fs::remove_dir_all(&dir);

    println!("import: {ROWS} rows, {size_mb:.0} MB of CSV");
    println!("  COPY of the normalised rows: {copy_s:.1} s; the import: {import_s:.1} s");
    println!("import_rows_per_s: {:.0}", ROWS as f64 / import_s);
    println!("import_copy_rows_per_s: {:.0}", ROWS as f64 / copy_s);
    println!("import_vs_copy_ratio: {:.2}", import_s / copy_s);
    println!("import_rss_growth_mb: {:.0}", peak_rss - baseline_rss);
}

#[derive(QueryableByName)]
struct StatusRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    s: String,
}

/// An empty contacts table, as a new deployment has.
async fn empty_contacts(db: &mut AsyncPgConnection) {
    db.batch_execute("TRUNCATE contacts CASCADE").await.unwrap();
    db.batch_execute("VACUUM ANALYZE contacts").await.unwrap();
}
