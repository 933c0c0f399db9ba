//! The embedded default: a private PostgreSQL cluster under the data folder, reached only
//! through a Unix socket, started with the system's `initdb`/`pg_ctl`.
//!
//! Every process that uses the cluster (`serve`, `worker`, an admin verb, a test binary)
//! holds a shared lock on `postgres.users.lock` while it lives. A detached watchdog per
//! process waits for that process to end and stops the cluster when it can take the lock
//! exclusively, i.e. when the last user has gone. So `serve` stops it on exit, and an admin
//! verb run beside `serve` reuses the running cluster without stopping it.

use std::{
    fs::{self, File},
    io::Write,
    path::{Path, PathBuf},
    process::{Command, Stdio},
};

use diesel_async::{AsyncConnection, AsyncPgConnection, SimpleAsyncConnection};

use crate::{Error, PgTarget};

/// The cluster's superuser: creates the two roles and the database, nothing else.
pub const SUPERUSER: &str = "wagent_admin";
/// Owns the schema; migrations run as this role.
pub const OWNER_ROLE: &str = "wagent_owner";
/// The server's role: owns nothing, cannot bypass row-level security.
pub const APP_ROLE: &str = "wagent_app";
/// The database `serve` uses.
pub const DATABASE: &str = "wagent";

#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Trade durability for speed (test clusters only).
    pub ephemeral: bool,
}

/// A running private cluster; dropping it releases this process's use of it.
#[derive(Debug)]
pub struct Cluster {
    data_dir: PathBuf,
    socket_dir: PathBuf,
    _user_lock: File,
}

impl Cluster {
    /// Starts the cluster under `root` (creating it on first use), or joins it when another
    /// process already runs it.
    pub fn start(root: &Path, options: Options) -> Result<Self, Error> {
        fs::create_dir_all(root)
            .map_err(|e| setup(format!("cannot create {}: {e}", root.display())))?;
        let root = root
            .canonicalize()
            .map_err(|e| setup(format!("cannot resolve {}: {e}", root.display())))?;
        let bin = find_bin_dir()?;
        let runner = Runner::detect()?;

        let data_dir = if runner.can_reach(&root) {
            root.join("postgres")
        } else {
            let fallback = std::env::temp_dir().join(format!("wagent-pg-{}", short_hash(&root)));
            tracing::warn!(
                "the postgres user cannot reach {}; keeping the cluster in {}",
                root.display(),
                fallback.display()
            );
            fallback
        };
        // A Unix socket path must stay under ~107 bytes.
        let socket_dir = if data_dir.as_os_str().len() + 20 < 100 {
            data_dir.clone()
        } else {
            std::env::temp_dir().join(format!("wagent-{}", short_hash(&data_dir)))
        };

        let user_lock = open_lock(&root.join("postgres.users.lock"))?;
        user_lock
            .lock_shared()
            .map_err(|e| setup(format!("cannot lock the cluster: {e}")))?;
        let start_lock = open_lock(&root.join("postgres.start.lock"))?;
        start_lock
            .lock()
            .map_err(|e| setup(format!("cannot lock the cluster: {e}")))?;

        if !data_dir.join("PG_VERSION").exists() {
            init(&bin, &runner, &data_dir)?;
        }
        if !runner
            .run(&bin.join("pg_ctl"), &["status", "-D", &s(&data_dir)], true)?
            .success()
        {
            start_server(&bin, &runner, &data_dir, &socket_dir, &root, options)?;
        }
        spawn_watchdog(&bin, &runner, &data_dir, &root.join("postgres.users.lock"))?;
        drop(start_lock);
        Ok(Self {
            data_dir,
            socket_dir,
            _user_lock: user_lock,
        })
    }

    /// The superuser, on database `dbname`.
    pub fn superuser(&self, dbname: &str) -> PgTarget {
        PgTarget::Socket {
            socket_dir: self.socket_dir.clone(),
            user: SUPERUSER.into(),
            dbname: dbname.into(),
        }
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }
}

/// Creates the owner and server roles and, if `database` is given, the database owned by
/// the owner role. Idempotent. `password` is set on both roles when connections need one.
pub async fn bootstrap(
    admin: &PgTarget,
    password: Option<&str>,
    database: Option<&str>,
) -> Result<(), Error> {
    let mut conn = AsyncPgConnection::establish(&admin.connection_string())
        .await
        .map_err(|e| Error::Connect(e.to_string()))?;
    let pw = match password {
        Some(p) => format!("PASSWORD '{}'", p.replace('\'', "''")),
        None => String::new(),
    };
    conn.batch_execute(&format!(
        "DO $$ BEGIN
           IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{OWNER_ROLE}') THEN
             CREATE ROLE {OWNER_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS {pw};
           END IF;
           IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
             CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE {pw};
           END IF;
         END $$;"
    ))
    .await?;
    if let Some(db) = database {
        create_database(&mut conn, db, None).await?;
    }
    Ok(())
}

/// `CREATE DATABASE db OWNER wagent_owner [TEMPLATE t]` unless it exists.
pub async fn create_database(
    admin: &mut AsyncPgConnection,
    db: &str,
    template: Option<&str>,
) -> Result<(), Error> {
    use diesel::{OptionalExtension, sql_types::Text};
    use diesel_async::RunQueryDsl;

    #[derive(diesel::QueryableByName)]
    struct Found {
        #[diesel(sql_type = Text)]
        #[allow(dead_code)]
        datname: String,
    }
    let exists = diesel::sql_query("SELECT datname FROM pg_database WHERE datname = $1")
        .bind::<Text, _>(db)
        .get_result::<Found>(admin)
        .await
        .optional()?;
    if exists.is_none() {
        let template = template
            .map(|t| format!(" TEMPLATE \"{t}\""))
            .unwrap_or_default();
        admin
            .batch_execute(&format!(
                "CREATE DATABASE \"{db}\" OWNER {OWNER_ROLE}{template}"
            ))
            .await?;
    }
    Ok(())
}

fn setup(msg: String) -> Error {
    Error::Setup(msg)
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

fn short_hash(p: &Path) -> String {
    // FNV-1a: stable across runs, enough to keep two data folders apart.
    let mut h: u64 = 0xcbf29ce484222325;
    for b in p.as_os_str().as_encoded_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    format!("{:012x}", h & 0xffff_ffff_ffff)
}

fn open_lock(path: &Path) -> Result<File, Error> {
    File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)
        .map_err(|e| setup(format!("cannot open {}: {e}", path.display())))
}

/// Debian keeps the server binaries off PATH, in /usr/lib/postgresql/<major>/bin.
fn find_bin_dir() -> Result<PathBuf, Error> {
    let mut candidates = Vec::new();
    if let Ok(dir) = std::env::var("WAGENT_PG_BIN") {
        candidates.push(PathBuf::from(dir));
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        candidates.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            Some((v, e.path().join("bin")))
        })
        .collect();
    versions.sort_by_key(|v| std::cmp::Reverse(v.0));
    candidates.extend(versions.into_iter().map(|(_, p)| p));
    if let Ok(path) = std::env::var("PATH") {
        candidates.extend(std::env::split_paths(&path));
    }
    candidates
        .into_iter()
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
        .ok_or_else(|| {
            setup(
                "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them \
                 (Debian/Ubuntu: `sudo apt-get install postgresql`) or set DATABASE_URL to an \
                 existing database."
                    .into(),
            )
        })
}

/// `initdb` and `pg_ctl` refuse to run as root; then they run as the `postgres` user.
struct Runner {
    as_postgres: bool,
}

impl Runner {
    fn detect() -> Result<Self, Error> {
        let uid = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
            .unwrap_or_default();
        if uid != "0" {
            return Ok(Self { as_postgres: false });
        }
        let has_postgres = Command::new("id")
            .args(["-u", "postgres"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !has_postgres {
            return Err(setup(
                "running as root needs the `postgres` system user to own the private cluster \
                 (it comes with Debian's postgresql package)"
                    .into(),
            ));
        }
        Ok(Self { as_postgres: true })
    }

    fn command(&self, program: &Path) -> Command {
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        }
    }

    fn can_reach(&self, dir: &Path) -> bool {
        !self.as_postgres
            || Command::new("runuser")
                .args(["-u", "postgres", "--", "test", "-x"])
                .arg(dir)
                .status()
                .is_ok_and(|s| s.success())
    }

    fn own(&self, dir: &Path) -> Result<(), Error> {
        fs::create_dir_all(dir)
            .map_err(|e| setup(format!("cannot create {}: {e}", dir.display())))?;
        if self.as_postgres {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir)
                .status()
                .is_ok_and(|s| s.success());
            if !ok {
                return Err(setup(format!("cannot give {} to postgres", dir.display())));
            }
        }
        Ok(())
    }

    fn run(
        &self,
        program: &Path,
        args: &[&str],
        quiet: bool,
    ) -> Result<std::process::ExitStatus, Error> {
        let mut c = self.command(program);
        c.args(args);
        if quiet {
            c.stdout(Stdio::null()).stderr(Stdio::null());
        }
        c.status()
            .map_err(|e| setup(format!("cannot run {}: {e}", program.display())))
    }
}

fn init(bin: &Path, runner: &Runner, data_dir: &Path) -> Result<(), Error> {
    tracing::info!(
        "creating a private PostgreSQL cluster in {}",
        data_dir.display()
    );
    runner.own(data_dir)?;
    let out = runner
        .command(&bin.join("initdb"))
        .args(["-D", &s(data_dir), "-A", "trust", "-U", SUPERUSER])
        .args(["--encoding", "UTF8", "--locale", "C", "--no-instructions"])
        .output()
        .map_err(|e| setup(format!("cannot run initdb: {e}")))?;
    if !out.status.success() {
        return Err(setup(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    Ok(())
}

fn start_server(
    bin: &Path,
    runner: &Runner,
    data_dir: &Path,
    socket_dir: &Path,
    root: &Path,
    options: Options,
) -> Result<(), Error> {
    if socket_dir != data_dir {
        runner.own(socket_dir)?;
    }
    let log = data_dir.join("server.log");
    // PostgreSQL's default of 128 MB of shared buffers is a fraction of what a server is
    // given: a bulk insert that outgrows them evicts its own dirty pages, flushing the WAL
    // before each (an import of 1,000,000 contacts took a fifth longer).
    let mut settings = format!(
        "-k '{}' -c listen_addresses='' -c max_connections=200 -c unix_socket_permissions=0700 \
         -c shared_buffers=1GB",
        s(socket_dir)
    );
    if options.ephemeral {
        settings.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
    }
    // setsid: a Ctrl-C in the terminal must not reach the postmaster before we are done.
    let mut c = Command::new("setsid");
    if runner.as_postgres {
        c.args(["runuser", "-u", "postgres", "--"]);
    }
    let out = c
        .arg(bin.join("pg_ctl"))
        .args([
            "-D",
            &s(data_dir),
            "-o",
            &settings,
            "-l",
            &s(&log),
            "-w",
            "-t",
            "60",
            "start",
        ])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .map_err(|e| setup(format!("cannot run pg_ctl: {e}")))?;
    if !out.status.success() {
        let tail = fs::read_to_string(&log)
            .map(|l| l.lines().rev().take(5).collect::<Vec<_>>().join(" | "))
            .unwrap_or_default();
        return Err(setup(format!(
            "PostgreSQL did not start ({}): {tail}",
            String::from_utf8_lossy(&out.stderr).trim()
        )));
    }
    let _ = fs::write(root.join("postgres.socket"), s(socket_dir));
    tracing::info!(
        "private PostgreSQL running (socket in {})",
        socket_dir.display()
    );
    Ok(())
}

fn spawn_watchdog(bin: &Path, runner: &Runner, data_dir: &Path, lock: &Path) -> Result<(), Error> {
    let stop = if runner.as_postgres {
        "runuser -u postgres -- "
    } else {
        ""
    };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
         exec flock -n -x '{lock}' {stop}'{pg_ctl}' -D '{data}' -m fast -w stop",
        pid = std::process::id(),
        lock = s(lock),
        pg_ctl = s(&bin.join("pg_ctl")),
        data = s(data_dir),
    );
    Command::new("setsid")
        .args(["sh", "-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| setup(format!("cannot start the cluster watchdog: {e}")))?;
    Ok(())
}

/// Writes `contents` to a file only the current user can read.
pub fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = File::options()
        .create(true)
        .truncate(true)
        .write(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(contents.as_bytes())
}
