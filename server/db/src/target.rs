use std::{fmt, path::PathBuf};

/// Where a PostgreSQL database lives and as whom to connect, without ever printing a password.
#[derive(Clone, PartialEq, Eq)]
pub enum PgTarget {
    /// A `postgres://` URL, as given in `DATABASE_URL`.
    Url(url::Url),
    /// A private cluster reached through the Unix socket in `socket_dir`.
    Socket {
        socket_dir: PathBuf,
        user: String,
        dbname: String,
    },
}

impl PgTarget {
    pub fn parse(url: &str) -> Result<Self, String> {
        let parsed = url::Url::parse(url).map_err(|e| format!("not a postgres:// URL ({e})"))?;
        match parsed.scheme() {
            "postgres" | "postgresql" => Ok(Self::Url(parsed)),
            other => Err(format!(
                "unsupported scheme `{other}`; expected postgres://"
            )),
        }
    }

    /// The string tokio-postgres understands.
    pub fn connection_string(&self) -> String {
        match self {
            Self::Url(url) => url.to_string(),
            Self::Socket {
                socket_dir,
                user,
                dbname,
            } => format!(
                "host='{}' user='{}' dbname='{}'",
                escape(&socket_dir.to_string_lossy()),
                escape(user),
                escape(dbname)
            ),
        }
    }

    /// A `postgres://` URL for this target (a socket folder goes in the `host` parameter).
    pub fn to_url(&self) -> String {
        match self {
            Self::Url(url) => url.to_string(),
            Self::Socket {
                socket_dir,
                user,
                dbname,
            } => {
                let enc = |s: &str| {
                    url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>()
                };
                format!(
                    "postgresql://{}@localhost/{}?host={}",
                    enc(user),
                    enc(dbname),
                    enc(&socket_dir.to_string_lossy())
                )
            }
        }
    }

    pub fn user(&self) -> String {
        match self {
            Self::Url(url) => {
                let user = url.username();
                if user.is_empty() {
                    std::env::var("USER").unwrap_or_default()
                } else {
                    decode(user)
                }
            }
            Self::Socket { user, .. } => user.clone(),
        }
    }

    pub fn dbname(&self) -> String {
        match self {
            Self::Url(url) => decode(url.path().trim_start_matches('/')),
            Self::Socket { dbname, .. } => dbname.clone(),
        }
    }

    /// The same server, as another role and/or database.
    pub fn with(&self, user: Option<(&str, Option<&str>)>, dbname: Option<&str>) -> Self {
        match self {
            Self::Url(url) => {
                let mut url = url.clone();
                if let Some((user, password)) = user {
                    let _ = url.set_username(user);
                    let _ = url.set_password(password);
                }
                if let Some(db) = dbname {
                    url.set_path(&format!("/{db}"));
                }
                Self::Url(url)
            }
            Self::Socket {
                socket_dir,
                user: u,
                dbname: d,
            } => Self::Socket {
                socket_dir: socket_dir.clone(),
                user: user.map(|(u, _)| u.to_owned()).unwrap_or_else(|| u.clone()),
                dbname: dbname.map(str::to_owned).unwrap_or_else(|| d.clone()),
            },
        }
    }
}

fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\'', "\\'")
}

fn decode(s: &str) -> String {
    url::form_urlencoded::parse(format!("x={s}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| s.to_owned())
}

/// Shows where, never the password.
impl fmt::Debug for PgTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Url(url) => {
                let mut shown = url.clone();
                if shown.password().is_some() {
                    let _ = shown.set_password(Some("***"));
                }
                write!(f, "{shown}")
            }
            Self::Socket {
                socket_dir,
                user,
                dbname,
            } => {
                write!(f, "{user}@{}/{dbname}", socket_dir.display())
            }
        }
    }
}

impl fmt::Display for PgTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_hides_the_password() {
        let t = PgTarget::parse("postgres://app:s3cret@db.example:5432/wagent").unwrap();
        assert!(!t.to_string().contains("s3cret"));
        assert!(!format!("{t:?}").contains("s3cret"));
        assert_eq!(t.user(), "app");
        assert_eq!(t.dbname(), "wagent");
    }

    #[test]
    fn with_swaps_role_and_database() {
        let t = PgTarget::parse("postgres://postgres:pw@localhost/postgres").unwrap();
        let t = t.with(Some(("wagent_app", Some("x"))), Some("t1"));
        assert_eq!(t.user(), "wagent_app");
        assert_eq!(t.dbname(), "t1");
        assert!(t.connection_string().contains(":x@"));
    }

    #[test]
    fn rejects_other_schemes() {
        assert!(PgTarget::parse("mysql://x@y/z").is_err());
        assert!(PgTarget::parse("not a url").is_err());
    }
}
