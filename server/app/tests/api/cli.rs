//! The admin verbs of the real `wagent` binary, against the same database as a server.

use std::process::Command;

use reqwest::StatusCode;
use serde_json::{Value, json};
use wagent_testkit::wait_for;

use crate::helpers::{TestApp, code};

fn wagent(app: &TestApp, args: &[&str]) -> Result<Value, String> {
    let (_, enc) = wagent_app::keys::generate();
    let out = Command::new(env!("CARGO_BIN_EXE_wagent"))
        .args(args)
        .env("DATABASE_URL", app.db.server.to_url())
        .env("WAGENT_TOKEN_KEY", &app.token_key)
        .env("WAGENT_ENCRYPTION_KEYS", enc)
        .env("WAGENT_LOG", "warn")
        .env("WAGENT_DATA_DIR", &app.data_dir)
        .output()
        .unwrap();
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    Ok(serde_json::from_slice(&out.stdout).unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operator_creates_an_org_for_someone_and_issues_and_revokes_tokens() {
    let app = TestApp::spawn().await;
    let org = wagent(
        &app,
        &[
            "org",
            "create",
            "--name",
            "Demo Shop",
            "--owner-email",
            "alice@example.com",
        ],
    )
    .unwrap();
    let org_id = org["id"].as_str().unwrap();
    assert_eq!(org["name"], "Demo Shop");

    // Alice signs in for the first time and finds herself its Owner.
    let alice = app.sign_in("alice").await;
    let me = app
        .ok(
            &alice,
            "{ viewer { memberships { role organization { id name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        me["viewer"]["memberships"],
        json!([{ "role": "OWNER", "organization": { "id": org_id, "name": "Demo Shop" } }])
    );

    let issued = wagent(
        &app,
        &[
            "token", "issue", "--org", org_id, "--role", "admin", "--ttl", "30d",
        ],
    )
    .unwrap();
    let token = issued["token"].as_str().unwrap();
    let data = app
        .ok(token, "{ viewer { kind apiToken { role } } }", json!({}))
        .await;
    assert_eq!(data["viewer"]["apiToken"]["role"], "ADMIN");

    let revoked = wagent(&app, &["token", "revoke", issued["id"].as_str().unwrap()]).unwrap();
    assert_eq!(revoked["id"], issued["id"]);
    // The server heard of it on the bus (and would have re-read the row within 3 s anyway).
    let body = wait_for(
        "the revoked token to be refused",
        std::time::Duration::from_secs(5),
        || async {
            let (status, body) = app.gql(Some(token), "{ viewer { kind } }", json!({})).await;
            (status == StatusCode::UNAUTHORIZED).then_some(body)
        },
    )
    .await;
    assert_eq!(code(&body), "UNAUTHENTICATED");

    let log = app
        .ok(
            &alice,
            "query($o: ID!) { organization(id: $o) { auditLog { nodes { action userAgent } } } }",
            json!({ "o": org_id }),
        )
        .await;
    let actions: Vec<&str> = log["organization"]["auditLog"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        [
            "api_token.revoked",
            "api_token.created",
            "organization.created"
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_arguments_and_settings_fail_with_a_clear_message() {
    let app = TestApp::spawn().await;
    let err = wagent(
        &app,
        &[
            "token",
            "issue",
            "--org",
            "00000000-0000-0000-0000-000000000000",
            "--role",
            "admin",
        ],
    )
    .unwrap_err();
    assert!(err.contains("organization not found"), "{err}");
    let err = wagent(
        &app,
        &[
            "token",
            "issue",
            "--org",
            "00000000-0000-0000-0000-000000000000",
            "--role",
            "root",
        ],
    )
    .unwrap_err();
    assert!(err.contains("unknown role"), "{err}");
    let out = Command::new(env!("CARGO_BIN_EXE_wagent"))
        .args(["migrate"])
        .env("WAGENT_LISTN", "x")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown setting WAGENT_LISTN"));
    let out = Command::new(env!("CARGO_BIN_EXE_wagent"))
        .args(["migrate"])
        .env(
            "DATABASE_URL",
            "postgres://wagent_app:s3cret-pw@127.0.0.1:1/none",
        )
        .env("WAGENT_TOKEN_KEY", &app.token_key)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && !stderr.contains("s3cret-pw"),
        "{stderr}"
    );
}

#[test]
fn the_schema_verb_prints_the_sdl_and_help_lists_every_verb() {
    let out = Command::new(env!("CARGO_BIN_EXE_wagent"))
        .arg("schema")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        wagent_graphql::sdl()
    );
    let help = Command::new(env!("CARGO_BIN_EXE_wagent"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8(help.stdout).unwrap();
    for verb in [
        "serve",
        "worker",
        "migrate",
        "schema",
        "org",
        "token",
        "keys",
        "DATABASE_URL",
        "OIDC_ISSUER",
    ] {
        assert!(help.contains(verb), "--help lacks {verb}");
    }
}

#[test]
fn the_sandbox_verb_serves_the_graph_api_without_a_database() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_wagent"))
        .args(["sandbox", "--listen", "127.0.0.1:0", "--app-secret", "s"])
        .args(["--secret", "shared-sandbox-secret"])
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/none")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ready: Value = serde_json::from_str(&line).unwrap();
    let url = ready["url"].as_str().unwrap().to_owned();
    let (answer, without_secret, with_secret) = std::thread::spawn(move || {
        let _ = rustls::crypto::ring::default_provider().install_default();
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let http = reqwest::Client::new();
            let answer = http
                .get(format!("{url}/v21.0/123456/message_templates"))
                .bearer_auth("t")
                .send()
                .await
                .unwrap()
                .json::<Value>()
                .await
                .unwrap();
            let state = format!("{url}/sandbox/state");
            let without = http.get(&state).send().await.unwrap().status();
            let with = http
                .get(&state)
                .header("x-sandbox-secret", "shared-sandbox-secret")
                .send()
                .await
                .unwrap()
                .status();
            (answer, without, with)
        })
    })
    .join()
    .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(without_secret, reqwest::StatusCode::UNAUTHORIZED);
    assert_eq!(with_secret, reqwest::StatusCode::OK);
    assert!(
        answer["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["name"] == "hello_world"),
        "{answer}"
    );
}

/// With no DATABASE_URL, `serve` starts a private cluster under WAGENT_DATA_DIR, an admin
/// verb run beside it reuses that cluster, and the cluster stops once both have exited.
#[test]
fn serve_and_an_admin_verb_share_the_private_cluster_which_stops_after_them() {
    use std::{
        io::{BufRead, BufReader},
        time::{Duration, Instant},
    };
    let dir = std::env::temp_dir().join(format!(
        "wagent-cluster-test-{}",
        uuid::Uuid::new_v4().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let wagent = || {
        let mut c = Command::new(env!("CARGO_BIN_EXE_wagent"));
        c.env_remove("DATABASE_URL")
            .env("WAGENT_DATA_DIR", &dir)
            .env("WAGENT_LOG", "info");
        c
    };
    let mut serve = wagent()
        .args(["serve"])
        .env("WAGENT_LISTEN", "127.0.0.1:0")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut log = BufReader::new(serve.stderr.take().unwrap());
    let mut line = String::new();
    let started = Instant::now();
    while !line.contains("serving") {
        line.clear();
        assert!(
            log.read_line(&mut line).unwrap() > 0,
            "serve exited during start-up"
        );
        assert!(started.elapsed() < Duration::from_secs(60));
    }
    let pid_file = dir.join("postgres/postmaster.pid");
    assert!(pid_file.exists(), "serve started the private cluster");

    let created = wagent()
        .args(["org", "create", "--name", "Beside serve"])
        .output()
        .unwrap();
    assert!(
        created.status.success(),
        "{}",
        String::from_utf8_lossy(&created.stderr)
    );
    assert!(
        pid_file.exists(),
        "the admin verb left serve's cluster running"
    );

    // SIGTERM, as a service manager stops it.
    let _ = Command::new("kill")
        .args(["-TERM", &serve.id().to_string()])
        .status();
    let _ = serve.wait();
    let stopped = Instant::now();
    while pid_file.exists() {
        assert!(
            stopped.elapsed() < Duration::from_secs(20),
            "the cluster did not stop after its last user"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn contacts_are_imported_from_a_sheet_of_a_workbook_on_the_command_line() {
    let app = TestApp::spawn().await;
    let org = app.create_org("alice", "Loja").await;
    let alice = app.sign_in("alice").await;
    // The table is on the second sheet, under a title and a blank row.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    workbook
        .add_worksheet()
        .set_name("Resumo")
        .unwrap()
        .write_string(0, 0, "nada aqui")
        .unwrap();
    let leads = workbook.add_worksheet();
    leads.set_name("Leads").unwrap();
    leads.write_string(0, 0, "Leads de novembro").unwrap();
    for (column, name) in ["Name", "Mobile", "Tags", "Notes"].iter().enumerate() {
        leads.write_string(2, column as u16, *name).unwrap();
    }
    let rows: [(&str, f64, &str); 4] = [
        ("Ana", 5_511_987_650_001.0, "vip"),
        ("Bia", 21_998_760_002.0, "feira"),
        ("Ana again", 5_511_987_650_001.0, "feira"),
        ("Zé", 123.0, ""),
    ];
    for (i, (name, phone, tags)) in rows.iter().enumerate() {
        let row = 3 + i as u32;
        leads.write_string(row, 0, *name).unwrap();
        leads.write_number(row, 1, *phone).unwrap();
        leads.write_string(row, 2, *tags).unwrap();
    }
    let dir = app.data_dir.join("cli-test");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("leads.xlsx");
    workbook.save(&path).unwrap();
    let file = path.to_str().unwrap();

    let summary = wagent(
        &app,
        &[
            "contacts",
            "import",
            "--org",
            &org,
            "--file",
            file,
            "--sheet",
            "2",
            "--header-row",
            "3",
            "--default-country",
            "BR",
            "--map",
            "Name=name",
            "--map",
            "Mobile=phone",
            "--map",
            "Tags=tags",
            "--duplicates",
            "merge-tags",
        ],
    )
    .unwrap();
    assert_eq!(
        (
            &summary["status"],
            &summary["records"],
            &summary["imported"],
            &summary["updated"],
            &summary["duplicates"],
            &summary["invalid"],
            &summary["empty"]
        ),
        (
            &json!("done"),
            &json!(4),
            &json!(2),
            &json!(0),
            &json!(1),
            &json!(1),
            &json!(0)
        ),
        "{summary}"
    );
    let data = app
        .ok(
            &alice,
            "query($o: ID!) { organization(id: $o) { contacts(first: 10) { nodes { phone name tags } } } }",
            json!({ "o": org }),
        )
        .await;
    let mut list = data["organization"]["contacts"]["nodes"]
        .as_array()
        .unwrap()
        .clone();
    list.sort_by(|a, b| a["phone"].as_str().cmp(&b["phone"].as_str()));
    assert_eq!(
        list,
        [
            json!({ "phone": "5511987650001", "name": "Ana", "tags": ["vip", "feira"] }),
            json!({ "phone": "5521998760002", "name": "Bia", "tags": ["feira"] }),
        ]
    );

    // Without --map, the organization's last mapping is used; a bad one is a clear error.
    let again = wagent(
        &app,
        &[
            "contacts",
            "import",
            "--org",
            &org,
            "--file",
            file,
            "--sheet",
            "2",
            "--header-row",
            "3",
            "--default-country",
            "BR",
        ],
    )
    .unwrap();
    assert_eq!(again["duplicates"], 3, "{again}");
    let refused = wagent(
        &app,
        &[
            "contacts",
            "import",
            "--org",
            &org,
            "--file",
            file,
            "--map",
            "Phone=phone",
        ],
    )
    .unwrap_err();
    assert!(
        refused.contains("the file has no column `Phone`"),
        "{refused}"
    );
}
