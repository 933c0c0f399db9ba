#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The database layer against a real PostgreSQL: schema drift, row-level security, the bus.

use std::path::PathBuf;

use wagent_db::{
    Db, Scope,
    bus::{self, Bus, Event},
    diesel::{self, QueryableByName, sql_types::Text},
    diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl, SimpleAsyncConnection},
};

#[tokio::test(flavor = "multi_thread")]
async fn schema_rs_matches_the_migrations() {
    let db = wagent_testkit::database().await.unwrap();
    let rendered = wagent_db::schema_gen::render(&db.owner).await.unwrap();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src/schema.rs");
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert!(
        on_disk == rendered,
        "server/db/src/schema.rs differs from the migrations; regenerate it with \
         UPDATE_SCHEMA=1 cargo test -p wagent-db --test db schema_rs"
    );
}

#[derive(QueryableByName, Debug, PartialEq)]
struct Named {
    #[diesel(sql_type = Text)]
    name: String,
}

async fn seed_two_orgs(admin: &wagent_db::PgTarget) -> (uuid::Uuid, uuid::Uuid) {
    let a = uuid::Uuid::now_v7();
    let b = uuid::Uuid::now_v7();
    let mut conn = AsyncPgConnection::establish(&admin.connection_string())
        .await
        .unwrap();
    conn.batch_execute(&format!(
        "INSERT INTO organizations (id, name) VALUES ('{a}', 'Acme'), ('{b}', 'Globex');
         INSERT INTO api_tokens (org_id, id, name, role, expires_at)
              VALUES ('{a}', gen_random_uuid(), 'acme-ci', 'admin', now() + interval '1 day'),
                     ('{b}', gen_random_uuid(), 'globex-ci', 'admin', now() + interval '1 day');"
    ))
    .await
    .unwrap();
    (a, b)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_query_without_org_filter_sees_only_the_current_org() {
    let t = wagent_testkit::database().await.unwrap();
    let (acme, globex) = seed_two_orgs(&t.admin).await;
    wagent_db::migrate::check_server_role(&t.server)
        .await
        .unwrap();
    let db = Db::connect(&t.server, 2).unwrap();

    let names = async |scope: Scope| -> Vec<String> {
        db.transaction(scope, async |c| {
            let rows: Vec<Named> = diesel::sql_query("SELECT name FROM api_tokens ORDER BY name")
                .load(c)
                .await?;
            let orgs: Vec<Named> =
                diesel::sql_query("SELECT name FROM organizations ORDER BY name")
                    .load(c)
                    .await?;
            Ok::<_, wagent_db::Error>(rows.into_iter().chain(orgs).map(|n| n.name).collect())
        })
        .await
        .unwrap()
    };
    assert_eq!(names(Scope::org(acme)).await, vec!["acme-ci", "Acme"]);
    assert_eq!(names(Scope::org(globex)).await, vec!["globex-ci", "Globex"]);
    assert!(
        names(Scope::system()).await.is_empty(),
        "no org set must mean no rows"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_into_another_org_is_refused() {
    let t = wagent_testkit::database().await.unwrap();
    let (acme, globex) = seed_two_orgs(&t.admin).await;
    let db = Db::connect(&t.server, 2).unwrap();
    let result = db
        .transaction(Scope::org(acme), async |c| {
            diesel::sql_query(format!(
                "INSERT INTO api_tokens (org_id, id, name, role, expires_at)
                 VALUES ('{globex}', gen_random_uuid(), 'sneaky', 'owner', now())"
            ))
            .execute(c)
            .await?;
            Ok::<_, wagent_db::Error>(())
        })
        .await;
    let err = result.unwrap_err().to_string();
    assert!(err.contains("row-level security"), "{err}");

    let updated = db
        .transaction(Scope::org(acme), async |c| {
            Ok::<_, wagent_db::Error>(
                diesel::sql_query("UPDATE api_tokens SET name = 'renamed'")
                    .execute(c)
                    .await?,
            )
        })
        .await
        .unwrap();
    assert_eq!(updated, 1, "only Acme's own token is reachable");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_role_is_refused_when_it_could_bypass_rls() {
    let t = wagent_testkit::database().await.unwrap();
    // The owner owns every table: a server connected as it must not start.
    let err = wagent_db::migrate::check_server_role(&t.owner)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("own"), "{err}");
    let err = wagent_db::migrate::check_server_role(&t.admin)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("superuser"), "{err}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_role_is_refused_when_it_is_a_member_of_the_owner() {
    let t = wagent_testkit::database().await.unwrap();
    // Roles are cluster-wide: names of this test's own.
    let suffix = &t.name["wagent_t_".len()..];
    let (direct, middle, transitive) = (
        format!("wagent_t_direct_{suffix}"),
        format!("wagent_t_middle_{suffix}"),
        format!("wagent_t_transitive_{suffix}"),
    );
    let mut admin = AsyncPgConnection::establish(&t.admin.connection_string())
        .await
        .unwrap();
    admin
        .batch_execute(&format!(
            "CREATE ROLE {direct} LOGIN PASSWORD 'wagent-test' IN ROLE {owner};
             CREATE ROLE {middle} NOLOGIN NOINHERIT IN ROLE {owner};
             CREATE ROLE {transitive} LOGIN PASSWORD 'wagent-test' IN ROLE {middle};",
            owner = t.owner.user()
        ))
        .await
        .unwrap();
    let as_role = |role: &str| t.server.with(Some((role, Some("wagent-test"))), None);
    let direct_err = wagent_db::migrate::check_server_role(&as_role(&direct)).await;
    let transitive_err = wagent_db::migrate::check_server_role(&as_role(&transitive)).await;
    admin
        .batch_execute(&format!(
            "DROP ROLE {direct}; DROP ROLE {transitive}; DROP ROLE {middle};"
        ))
        .await
        .unwrap();
    for err in [direct_err, transitive_err] {
        let err = err.unwrap_err().to_string();
        assert!(
            err.contains("member of") && err.contains(&t.owner.user()),
            "{err}"
        );
    }
    // The real server role is still accepted.
    wagent_db::migrate::check_server_role(&t.server)
        .await
        .unwrap();
}

/// Tables with `org_id` that are deliberately outside row-level security; each is explained
/// in docs/ARCHITECTURE.md ("Row-level security").
const OUTSIDE_RLS: &[&str] = &["jobs", "org_routes", "webhook_events"];

#[derive(QueryableByName, Debug)]
struct TableRls {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    enabled: bool,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    forced: bool,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    tenant_policies: i64,
}

#[tokio::test(flavor = "multi_thread")]
async fn every_table_with_an_org_id_is_behind_forced_row_level_security() {
    let t = wagent_testkit::database().await.unwrap();
    let mut c = AsyncPgConnection::establish(&t.owner.connection_string())
        .await
        .unwrap();
    // Every table of the schema that has an org_id column (plus organizations, the tenants
    // themselves), with its RLS flags and the policies that filter on the current org.
    let tables: Vec<TableRls> = diesel::sql_query(
        "SELECT c.relname::text AS table_name, c.relrowsecurity AS enabled,
                c.relforcerowsecurity AS forced,
                (SELECT count(*) FROM pg_policies p
                  WHERE p.schemaname = 'public' AND p.tablename = c.relname
                    AND p.qual LIKE '%app_current_org()%') AS tenant_policies
           FROM pg_class c
          WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p')
            AND (c.relname = 'organizations' OR EXISTS (
                 SELECT FROM pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attname = 'org_id' AND NOT a.attisdropped))
          ORDER BY 1",
    )
    .load(&mut c)
    .await
    .unwrap();
    assert!(tables.len() > 10, "the catalog query found {tables:?}");
    let unguarded: Vec<String> = tables
        .iter()
        .filter(|t| !OUTSIDE_RLS.contains(&t.table_name.as_str()))
        .filter(|t| !(t.enabled && t.forced && t.tenant_policies > 0))
        .map(|t| format!("{t:?}"))
        .collect();
    assert!(
        unguarded.is_empty(),
        "tables with org_id need ENABLE and FORCE ROW LEVEL SECURITY and a policy on \
         app_current_org() (or a documented place in OUTSIDE_RLS): {unguarded:#?}"
    );

    // The allow-list stays true: each entry exists and really is outside RLS.
    #[derive(QueryableByName)]
    struct Flag {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        enabled: bool,
    }
    for name in OUTSIDE_RLS {
        let flag: Flag = diesel::sql_query(
            "SELECT relrowsecurity AS enabled FROM pg_class
              WHERE relnamespace = 'public'::regnamespace AND relname = $1",
        )
        .bind::<Text, _>(*name)
        .get_result(&mut c)
        .await
        .unwrap_or_else(|e| panic!("{name} is allow-listed but not found: {e}"));
        assert!(
            !flag.enabled,
            "{name} has row-level security now: take it off OUTSIDE_RLS"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_do_not_leak_into_the_next_transaction() {
    let t = wagent_testkit::database().await.unwrap();
    let (acme, _) = seed_two_orgs(&t.admin).await;
    // One connection: the second transaction reuses the first one's session.
    let db = Db::connect(&t.server, 1).unwrap();
    let count = async |scope: Scope| {
        db.transaction(scope, async |c| {
            let rows: Vec<Named> = diesel::sql_query("SELECT name FROM organizations")
                .load(c)
                .await?;
            Ok::<_, wagent_db::Error>(rows.len())
        })
        .await
        .unwrap()
    };
    assert_eq!(count(Scope::org(acme)).await, 1);
    assert_eq!(count(Scope::system()).await, 0);
}

/// The server's role owns no table, yet after a launch or an import it has the statistics
/// of the bulk-written table refreshed (else PostgreSQL plans for the table as it was):
/// those tables only, and what it refreshes stays hidden behind row-level security.
#[tokio::test(flavor = "multi_thread")]
async fn the_server_refreshes_statistics_of_the_bulk_tables_only() {
    let t = wagent_testkit::database().await.unwrap();
    let (acme, _) = seed_two_orgs(&t.admin).await;
    let mut admin = AsyncPgConnection::establish(&t.admin.connection_string())
        .await
        .unwrap();
    admin
        .batch_execute(&format!(
            "INSERT INTO contacts (org_id, id, wa_id)
             SELECT '{acme}', gen_random_uuid(), (5511900000000 + i)::text
               FROM generate_series(1, 300) AS i"
        ))
        .await
        .unwrap();
    #[derive(QueryableByName)]
    struct Tuples {
        #[diesel(sql_type = diesel::sql_types::Float)]
        n: f32,
    }
    let estimate = async |admin: &mut AsyncPgConnection| {
        diesel::sql_query("SELECT reltuples AS n FROM pg_class WHERE relname = 'contacts'")
            .get_result::<Tuples>(admin)
            .await
            .unwrap()
            .n
    };
    assert!(estimate(&mut admin).await < 300.0, "not analyzed yet");

    let db = Db::connect(&t.server, 1).unwrap();
    db.refresh_statistics(wagent_db::Analyzed::Contacts)
        .await
        .unwrap();
    assert_eq!(estimate(&mut admin).await, 300.0);

    let mut server = AsyncPgConnection::establish(&t.server.connection_string())
        .await
        .unwrap();
    let refused = diesel::sql_query("SELECT app_refresh_statistics('organizations')")
        .execute(&mut server)
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("no statistics refresh for organizations"),
        "{refused}"
    );
    let visible: Vec<Named> = diesel::sql_query(
        "SELECT attname::text AS name FROM pg_stats WHERE tablename = 'contacts'",
    )
    .load(&mut server)
    .await
    .unwrap();
    assert!(
        visible.is_empty(),
        "the server's role reads no statistics of tenant rows"
    );
}

/// `Db::read` sends the settings and its statement together: the statement acts for the
/// scope, and a read that fails or is dropped midway leaves no identity that the next
/// caller of the connection (a read or a transaction) acts for.
#[tokio::test(flavor = "multi_thread")]
async fn a_pipelined_read_acts_for_its_scope_and_leaves_nothing_behind() {
    use futures::FutureExt;

    let t = wagent_testkit::database().await.unwrap();
    let (acme, globex) = seed_two_orgs(&t.admin).await;
    // One connection, so that each read gets the session the one before it left.
    let db = Db::connect(&t.server, 1).unwrap();
    let names = async |scope: Scope| {
        db.read(scope, |mut c| {
            diesel::sql_query("SELECT name FROM organizations ORDER BY name")
                .load::<Named>(&mut c)
                .boxed()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.name)
        .collect::<Vec<_>>()
    };
    assert_eq!(names(Scope::org(acme)).await, ["Acme"]);
    assert_eq!(names(Scope::org(globex)).await, ["Globex"]);
    assert!(names(Scope::system()).await.is_empty());
    // A transaction after a read acts for its own scope, not for the read's.
    assert_eq!(names(Scope::org(acme)).await, ["Acme"]);
    let in_transaction = db
        .transaction(Scope::system(), async |c| {
            diesel::sql_query("SELECT name FROM organizations")
                .load::<Named>(c)
                .await
                .map_err(wagent_db::Error::from)
        })
        .await
        .unwrap();
    assert!(
        in_transaction.is_empty(),
        "the read's organization leaked into a transaction"
    );

    // A statement that fails: the error comes back, and the next read is not inside the
    // aborted transaction.
    let failed = db
        .read(Scope::org(acme), |mut c| {
            diesel::sql_query("SELECT (1 / 0)::text AS name")
                .load::<Named>(&mut c)
                .boxed()
        })
        .await;
    assert!(failed.is_err(), "{failed:?}");
    assert_eq!(names(Scope::org(globex)).await, ["Globex"]);

    // A read dropped while PostgreSQL still works on it (the client went away): dropped
    // as soon as its statement shows as running.
    let slow = db.read(Scope::org(acme), |mut c| {
        diesel::sql_query("SELECT name FROM organizations, pg_sleep(30)")
            .load::<Named>(&mut c)
            .boxed()
    });
    let mut admin = AsyncPgConnection::establish(&t.admin.connection_string())
        .await
        .unwrap();
    let running = async {
        loop {
            let seen: Vec<Named> = diesel::sql_query(
                "SELECT pid::text AS name FROM pg_stat_activity
                  WHERE state = 'active' AND query LIKE '%pg_sleep(30)%'
                    AND pid <> pg_backend_pid()",
            )
            .load(&mut admin)
            .await
            .unwrap();
            if !seen.is_empty() {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    };
    tokio::select! {
        done = slow => panic!("the slow read ended on its own: {:?}", done.map(|r| r.len())),
        () = running => {}
        () = tokio::time::sleep(std::time::Duration::from_secs(20)) => {
            panic!("the slow read never showed as running")
        }
    }
    assert!(
        names(Scope::system()).await.is_empty(),
        "the dropped read's organization must not carry over"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn events_cross_processes_only_on_commit() {
    let t = wagent_testkit::database().await.unwrap();
    let (acme, _) = seed_two_orgs(&t.admin).await;
    // Two buses on their own connections stand in for two server processes.
    let other_process = Bus::start(t.server.clone(), Default::default())
        .await
        .unwrap();
    let mut rx = other_process.subscribe();
    let db = Db::connect(&t.server, 2).unwrap();
    let event = |topic: &str| Event {
        org_id: acme,
        topic: topic.into(),
        data: serde_json::json!({}),
    };

    let _ = db
        .transaction(Scope::org(acme), async |c| {
            bus::publish(c, &event("rolled.back")).await?;
            Err::<(), _>(wagent_db::Error::Setup("abort".into()))
        })
        .await;
    db.transaction(Scope::org(acme), async |c| {
        bus::publish(c, &event("committed")).await
    })
    .await
    .unwrap();

    let got = tokio::time::timeout(std::time::Duration::from_secs(5), rx.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got.topic, "committed");
    assert!(
        rx.try_recv().is_err(),
        "the rolled-back event must never arrive"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_server_role_sees_no_pending_migration() {
    let t = wagent_testkit::database().await.unwrap();
    assert_eq!(
        wagent_db::migrate::pending(&t.server).await.unwrap(),
        Vec::<String>::new()
    );
}

/// The inbox's kept pages rest on these clocks: a write to an organization's inbox rows, from
/// this process or any other, moves its clock; a read never does.
#[tokio::test(flavor = "multi_thread")]
async fn writes_from_any_process_move_the_change_clock_and_reads_do_not() {
    let t = wagent_testkit::database().await.unwrap();
    let (acme, globex) = seed_two_orgs(&t.admin).await;
    let db = Db::connect(&t.server, 2).unwrap();
    let bus = Bus::start(t.server.clone(), db.changes()).await.unwrap();
    let stamp = |org| db.stamp(org).expect("a listening bus gives stamps");
    let rename = |name: &'static str| {
        async move |c: &mut wagent_db::Conn| {
            diesel::sql_query("UPDATE organizations SET name = $1")
                .bind::<Text, _>(name)
                .execute(c)
                .await
                .map_err(wagent_db::Error::from)
        }
    };

    let before = stamp(acme);
    let read: Vec<Named> = db
        .read_transaction(Scope::org(acme), async |c| {
            diesel::sql_query("SELECT name FROM organizations")
                .load(c)
                .await
                .map_err(wagent_db::Error::from)
        })
        .await
        .unwrap();
    assert_eq!(read.len(), 1);
    assert_eq!(stamp(acme), before, "a read is no change");
    assert!(
        db.read_transaction(Scope::org(acme), rename("Acme Ltd"))
            .await
            .is_err(),
        "PostgreSQL refuses a write in a read transaction"
    );
    db.transaction(Scope::org(acme), rename("Acme Ltd"))
        .await
        .unwrap();
    assert_ne!(
        stamp(acme),
        before,
        "this process's write counts as it commits"
    );

    // Another process: statements on acme's rows by another connection, acting for acme.
    let mut other = AsyncPgConnection::establish(&t.admin.connection_string())
        .await
        .unwrap();
    let before = stamp(acme);
    other
        .batch_execute(&format!(
            "BEGIN; SELECT set_config('app.org_id', '{acme}', true);
             UPDATE contacts SET name = name WHERE org_id = '{acme}'; COMMIT;"
        ))
        .await
        .unwrap();
    wagent_testkit::wait_until(
        "the notice of acme's contacts",
        std::time::Duration::from_secs(10),
        || async { stamp(acme) != before },
    )
    .await;

    // A subscriber reloading on an event finds the clock already moved.
    let mut events = bus.subscribe();
    let before = stamp(acme);
    other
        .batch_execute(&format!(
            r#"SELECT pg_notify('wagent_events', '{{"org_id": "{acme}", "topic": "inbox.conversation"}}')"#
        ))
        .await
        .unwrap();
    let heard = tokio::time::timeout(std::time::Duration::from_secs(10), events.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(heard.topic, "inbox.conversation");
    assert_ne!(stamp(acme), before, "moved before the event was heard");

    // A person's new name may show in any organization's list.
    let person = uuid::Uuid::now_v7();
    let before = stamp(globex);
    other
        .batch_execute(&format!(
            "INSERT INTO users (id, name) VALUES ('{person}', 'Ann');
             UPDATE users SET name = 'Ann B' WHERE id = '{person}';"
        ))
        .await
        .unwrap();
    wagent_testkit::wait_until(
        "the notice of a person's new name",
        std::time::Duration::from_secs(10),
        || async { stamp(globex) != before },
    )
    .await;

    // A listener that lost its connection may have missed notices: no stamps until it is
    // back, and then every clock has moved.
    let before = stamp(acme);
    #[derive(QueryableByName)]
    struct Ended {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let ended: Ended = diesel::sql_query(
        "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND query LIKE 'LISTEN %'",
    )
    .get_result(&mut other)
    .await
    .unwrap();
    assert_eq!(ended.n, 1, "the bus's one listening connection");
    wagent_testkit::wait_until(
        "the listener back with every clock moved",
        std::time::Duration::from_secs(10),
        || async { db.stamp(acme).is_some_and(|now| now != before) },
    )
    .await;
}
