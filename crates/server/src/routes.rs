//! The route table, top to bottom, and the small handlers that serve files and health.

use crate::admin::{
    audit, author, comments as mod_comments, interchange as site_interchange, picks, queue,
    session, sites, users,
};
use crate::api::{
    account, authors, comments, guest_data, lists, passkeys, site_export, site_import,
    subscriptions, threads,
};
use crate::around::AroundLayer;
use crate::cached_reads::CachedReadsLayer;
use crate::error::ApiError;
use crate::html::{account as account_page, demo, lists as list_pages, thread};
use crate::origin_gate::OriginGateLayer;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::Router;
use std::convert::Infallible;
use std::sync::Arc;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Every route with what goes around it, as the service the connections are served by.
pub fn router(
    state: Arc<AppState>,
) -> impl tower::Service<Request, Response = Response, Error = Infallible, Future: Send>
       + Clone
       + Send
       + 'static {
    let api = Router::new()
        .route("/api/threads", get(threads::get_thread))
        .route("/api/comments", post(comments::post_comment))
        .route("/api/comments/check", post(authors::check))
        .route(
            "/api/comments/{id}",
            get(authors::get_comment)
                .patch(comments::edit_comment)
                .delete(comments::delete_comment),
        )
        .route("/api/comments/{id}/replies", get(threads::get_replies))
        .route("/api/comments/{id}/vote", post(comments::vote))
        .route("/api/comments/{id}/report", post(comments::report))
        .route("/api/counts", get(threads::get_counts))
        .route("/api/lists/most-discussed", get(lists::most_discussed))
        .route("/api/lists/latest", get(lists::latest))
        .route("/api/threads/subscribe", post(subscriptions::subscribe))
        .route("/api/threads/unsubscribe", post(subscriptions::unsubscribe))
        .route("/api/threads/{id}/events", get(crate::live::events))
        .route(
            "/api/account",
            get(account::me)
                .patch(account::update_me)
                .delete(account::delete_me),
        )
        .route("/api/account/data", get(account::download))
        .route("/api/account/signup", post(account::sign_up))
        .route("/api/account/login", post(account::sign_in))
        .route("/api/account/logout", post(account::sign_out))
        .route("/api/account/email-link", post(account::email_link))
        .route("/api/account/link", post(account::use_link))
        .route("/api/account/password-reset", post(account::request_reset))
        .route("/api/account/password", post(account::reset_password))
        .route("/api/avatars/{file}", get(account::avatar))
        .route("/api/guest/verify", post(account::verify_guest))
        .route("/api/sso", post(account::sso_sign_in))
        .route("/api/account/passkeys", get(passkeys::list))
        .route("/api/account/passkeys/{id}", delete(passkeys::remove))
        .route(
            "/api/account/passkeys/register/begin",
            post(passkeys::begin_registration),
        )
        .route(
            "/api/account/passkeys/register/finish",
            post(passkeys::finish_registration),
        )
        .route("/api/account/passkey/begin", post(passkeys::begin_sign_in))
        .route(
            "/api/account/passkey/finish",
            post(passkeys::finish_sign_in),
        )
        .route("/api/guest/data-link", post(guest_data::request_link))
        .route("/api/guest/data", post(guest_data::export_by_link))
        .route("/api/guest/data/delete", post(guest_data::remove_by_link))
        .route(
            "/api/guest/comments/data",
            post(guest_data::export_by_tokens),
        )
        .route(
            "/api/guest/comments/delete",
            post(guest_data::remove_by_tokens),
        )
        // The body is streamed to a file, counted against the import's own limit.
        .route("/api/admin/import", post(site_import::import))
        .route("/api/admin/export", get(site_export::export))
        .route("/api/openapi.json", get(openapi));
    let pages = Router::new()
        .route("/", get(index))
        .route("/thread", get(thread::get_thread))
        .route("/thread/comment", post(crate::html::authors::post_form))
        .route("/thread/report", post(thread::post_report))
        .route("/account/verify", get(account_page::verify))
        .route(
            "/notifications/unsubscribe",
            get(crate::notify::unsubscribe::confirm_page)
                .post(crate::notify::unsubscribe::unsubscribe),
        )
        .route(
            "/notifications/confirm",
            get(crate::notify::subscribing::confirm_page).post(crate::notify::subscribing::confirm),
        )
        .route("/demo", get(demo::get_demo))
        .route("/demo/articles", get(crate::html::demo_list::get_articles))
        .route(
            "/demo/articles/{slug}",
            get(crate::html::demo_list::get_story),
        )
        .route("/feed.atom", get(crate::feeds::get_feed))
        .route("/lists/most-discussed", get(list_pages::most_discussed))
        .route("/lists/latest", get(list_pages::latest))
        .route(
            "/count.js",
            get(
                |State(s): State<Arc<AppState>>, headers: HeaderMap| async move {
                    s.assets.count_js.respond(&headers, STABLE_SCRIPT)
                },
            ),
        )
        .route(
            "/lists.js",
            get(
                |State(s): State<Arc<AppState>>, headers: HeaderMap| async move {
                    s.assets.lists_js.respond(&headers, STABLE_SCRIPT)
                },
            ),
        )
        .route("/embed.js", get(embed_js))
        .route("/assets/{file}", get(asset))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics_text));
    let admin = Router::new()
        .route("/admin", get(queue::index))
        .route(
            "/admin/login",
            get(session::login_page).post(session::login),
        )
        .route("/admin/logout", post(session::logout))
        .route("/admin/queue/{queue}", get(queue::queue))
        .route("/admin/comments/bulk", post(queue::bulk))
        .route("/admin/comments/{id}", get(mod_comments::detail))
        .route("/admin/comments/{id}/ban", post(queue::ban))
        .route("/admin/comments/{id}/author", get(author::page))
        .route("/admin/comments/{id}/author/notes", post(author::add_note))
        .route("/admin/comments/{id}/reject-all", post(author::reject_all))
        .route("/admin/comments/{id}/feature", post(picks::feature))
        .route("/admin/comments/{id}/pin", post(picks::pin))
        .route("/admin/notes/{id}/delete", post(author::delete_note))
        .route("/admin/comments/{id}/{action}", post(queue::act))
        .route("/admin/sites", get(sites::list).post(sites::add))
        .route("/admin/sites/{key}", get(sites::show).post(sites::update))
        .route(
            "/admin/sites/{key}/interchange",
            get(site_interchange::page),
        )
        .route(
            "/admin/sites/{key}/import",
            post(site_interchange::upload).layer(import_body_limit(&state)),
        )
        .route("/admin/sites/{key}/export", get(site_interchange::export))
        .route("/admin/users", get(users::list).post(users::add))
        .route("/admin/users/{id}/sites", post(users::set_sites))
        .route("/admin/audit", get(audit::page))
        .route("/admin/outbox", get(crate::admin::outbox::page))
        .route(
            "/admin/alerts",
            get(crate::admin::alerts::page).post(crate::admin::alerts::save),
        )
        .route(
            "/admin/sites/{key}/webhooks",
            get(crate::admin::webhooks::page).post(crate::admin::webhooks::add),
        )
        .route(
            "/admin/sites/{key}/webhooks/{id}/delete",
            post(crate::admin::webhooks::remove),
        )
        .route("/admin/audit.jsonl", get(audit::export));
    let routes = api
        .merge(pages)
        .merge(admin)
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(AroundLayer::new(state.metrics.clone()))
        .with_state(state.clone());
    // Outside the router, once: CORS (so that preflight requests to any path reach it), cached
    // thread pages, and the default body limit (routes that take more set their own).
    tower::ServiceBuilder::new()
        .layer(OriginGateLayer::new(cors(&state)))
        .layer(CachedReadsLayer::new(state.clone()))
        .layer(axum::extract::DefaultBodyLimit::max(
            state.config.server.max_body_bytes,
        ))
        .service(routes)
}

/// The admin page's imports take up to the configured upload size (and a little more for the
/// form's fields).
fn import_body_limit(state: &AppState) -> axum::extract::DefaultBodyLimit {
    axum::extract::DefaultBodyLimit::max(
        usize::try_from(state.config.import.max_upload_mb.saturating_mul(1 << 20))
            .unwrap_or(usize::MAX)
            .saturating_add(64 * 1024),
    )
}

/// Browsers may call the API only from a site's own origins (or Rostra's own pages); each write
/// also checks that the origin belongs to the site it writes to.
fn cors(state: &Arc<AppState>) -> CorsLayer {
    let st = state.clone();
    CorsLayer::new()
        .allow_origin(AllowOrigin::predicate(move |origin: &HeaderValue, _| {
            let Some(o) = origin
                .to_str()
                .ok()
                .and_then(rostra_core::page_url::origin_of)
            else {
                return false;
            };
            o == st.public_origin || st.sites.knows_origin(&o)
        }))
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
        .allow_headers([
            header::CONTENT_TYPE,
            header::AUTHORIZATION,
            header::HeaderName::from_static("x-rostra-voter"),
            header::HeaderName::from_static("x-rostra-author"),
            header::HeaderName::from_static(crate::accounts::session::SESSION_HEADER),
        ])
        .expose_headers([header::ETAG, header::RETRY_AFTER])
        .max_age(std::time::Duration::from_secs(3600))
}

async fn index(State(state): State<Arc<AppState>>) -> Response {
    let body = if state.demo {
        "Rostra is running. The demo article is at /demo.\n"
    } else {
        "Rostra is running. Embed threads with /embed.js; the API is described at /api/openapi.json.\n"
    };
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        include_str!("api/openapi.json"),
    )
        .into_response()
}

/// Scripts publishers paste by a stable URL: cached briefly, so a new version arrives soon.
const STABLE_SCRIPT: &str = "public, max-age=300";

async fn embed_js(State(state): State<Arc<AppState>>, headers: HeaderMap) -> Response {
    state.assets.embed.respond(&headers, STABLE_SCRIPT)
}

async fn asset(
    State(state): State<Arc<AppState>>,
    axum::extract::Path(file): axum::extract::Path<String>,
    headers: HeaderMap,
) -> Response {
    match state.assets.find(&format!("/assets/{file}")) {
        Some(a) => {
            let mut response = a.respond(&headers, "public, max-age=31536000, immutable");
            response.headers_mut().insert(
                header::ACCESS_CONTROL_ALLOW_ORIGIN,
                HeaderValue::from_static("*"),
            );
            response
        }
        None => (StatusCode::NOT_FOUND, "no such asset").into_response(),
    }
}

async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    match state.store.ping().await {
        Ok(()) => (StatusCode::OK, "ok\n").into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

async fn metrics_text(State(state): State<Arc<AppState>>) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}

async fn not_found(req: Request) -> Response {
    if req.uri().path().starts_with("/api/") {
        ApiError::NotFound.into_response()
    } else {
        (StatusCode::NOT_FOUND, "not found\n").into_response()
    }
}

async fn method_not_allowed() -> Response {
    ApiError::MethodNotAllowed.into_response()
}
