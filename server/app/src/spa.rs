//! The built SPA, embedded in release builds (read from `web/dist` in debug builds), with
//! client-side routes falling back to `index.html`.

use poem::{
    Request, Response, handler,
    http::{StatusCode, header},
};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "$CARGO_MANIFEST_DIR/../../web/dist"]
#[allow_missing = true]
struct Assets;

/// Only our own origin, plus the identity provider for sign-in.
/// With Embedded Signup on, also Meta's SDK and its login popup frames.
pub fn content_security_policy(issuer_origin: Option<&str>, embedded_signup: bool) -> String {
    let idp = issuer_origin.map(|o| format!(" {o}")).unwrap_or_default();
    let (script, frame, meta) = if embedded_signup {
        (
            " https://connect.facebook.net",
            "; frame-src https://www.facebook.com https://web.facebook.com",
            " https://*.facebook.com",
        )
    } else {
        ("", "", "")
    };
    format!(
        "default-src 'self'; script-src 'self'{script}; style-src 'self' 'unsafe-inline'; img-src 'self' data:{meta}; \
         connect-src 'self'{idp}{meta}; form-action 'self'{idp}; frame-ancestors 'none'; base-uri 'self'; object-src 'none'{frame}"
    )
}

#[handler]
pub fn serve(req: &Request, csp: poem::web::Data<&SpaCsp>) -> Response {
    let path = req.uri().path().trim_start_matches('/');
    if !path.is_empty()
        && let Some(file) = Assets::get(path)
    {
        let immutable = path.starts_with("assets/");
        return Response::builder()
            .header(header::CONTENT_TYPE, file.metadata.mimetype())
            .header(
                header::CACHE_CONTROL,
                if immutable {
                    "public, max-age=31536000, immutable"
                } else {
                    "no-cache"
                },
            )
            .header("X-Content-Type-Options", "nosniff")
            .body(file.data.into_owned());
    }
    // A missing file is a 404; anything else is a client-side route.
    let looks_like_file = path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    if looks_like_file || path.starts_with("assets/") {
        return Response::builder()
            .status(StatusCode::NOT_FOUND)
            .body("not found");
    }
    match Assets::get("index.html") {
        Some(index) => Response::builder()
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .header(header::CACHE_CONTROL, "no-cache")
            .header("Content-Security-Policy", csp.0.0.clone())
            .header("X-Content-Type-Options", "nosniff")
            .header("Referrer-Policy", "no-referrer")
            .body(index.data.into_owned()),
        None => Response::builder()
            .status(StatusCode::SERVICE_UNAVAILABLE)
            .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
            .body(
                "<!doctype html><title>WAgent</title><p>The web app is not built into this binary. \
                 Run <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>, then rebuild.</p>",
            ),
    }
}

#[derive(Clone)]
pub struct SpaCsp(pub String);
