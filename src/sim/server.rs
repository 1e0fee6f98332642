//! The simulator's HTTPS server: rustls on loopback, axum routes, and the faults tests ask for.

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{Form, State};
use axum::http::{HeaderValue, Response, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::net::TcpListener;
use tower::ServiceExt;

use super::altinn::AltinnService;
use super::maskinporten::TokenService;

/// Ways to make the simulator misbehave, for tests.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// Delay before the TLS handshake of every new connection.
    pub connection_latency: Duration,
    /// Delay before every answer.
    pub request_latency: Duration,
    /// Answer every request with this status (5xx) and a plain-text body.
    pub status: Option<u16>,
    /// Answer 429 Too Many Requests with this Retry-After (seconds).
    pub too_many_requests: Option<u64>,
    /// Close the connection without an answer.
    pub reset: bool,
    /// Answer 200 with a body that is not JSON.
    pub malformed_body: bool,
    /// Shift the `Date` header by this many seconds (beyond the clock offset).
    pub date_skew_s: i64,
    /// Send no `Date` header at all (as a proxy that strips it).
    pub no_date: bool,
    /// Answer `/token` with this status and JSON body instead of judging the grant
    /// (an answer the doctor has never seen).
    pub token_answer: Option<(u16, String)>,
    /// Answer the platform's exchange with this status and ProblemDetails body.
    pub exchange_answer: Option<(u16, String)>,
    /// Answer the product APIs' list calls with this status and body (a denial the
    /// simulator's own rules do not produce, such as Broker's BRO-00005).
    pub product_answer: Option<(u16, String)>,
    /// The same, only for an exchange that carries the enterprise-user header.
    pub enterprise_login_answer: Option<(u16, String)>,
    /// Answer requests to this path with a redirect (status, Location), as a proxy or
    /// a moved service would.
    pub redirect: Option<Redirect>,
    /// Answer 200 with a body that never ends (chunked, no length).
    pub endless_body: bool,
    /// Answer 200 with this many bytes of JSON-looking body, with its length.
    pub huge_body: Option<usize>,
}

/// A redirect the simulator answers instead of serving a path.
#[derive(Debug, Clone, PartialEq)]
pub struct Redirect {
    pub path: String,
    pub status: u16,
    pub location: String,
    /// Only requests that carry the enterprise-user header (a login) are redirected.
    pub login_only: bool,
}

/// A request as the simulator received it: what credentials it carried, never their values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    pub(crate) method: String,
    pub path: String,
    pub(crate) bearer: bool,
    pub(crate) api_key: bool,
    pub enterprise_password: bool,
}

/// What the routes share.
pub struct AppState {
    pub(crate) base_url: String,
    pub mp: TokenService,
    pub altinn: AltinnService,
    pub(crate) faults: RwLock<Faults>,
    /// Every request received, in order.
    pub seen: std::sync::Mutex<Vec<Seen>>,
    /// Every credential that crossed the wire in this run: bearer tokens and the
    /// enterprise-user header the doctor sent, the grants it posted, the tokens issued.
    /// For the tests' secret sweep: none of these may show in any output.
    pub credentials: std::sync::Mutex<Vec<String>>,
}

impl AppState {
    fn keep(&self, credential: &str) {
        if let Ok(mut all) = self.credentials.lock() {
            all.push(credential.to_string());
        }
    }

    fn faults(&self) -> Faults {
        self.faults.read().map(|f| f.clone()).unwrap_or_default()
    }
}

fn routes(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/.well-known/oauth-authorization-server", get(metadata))
        .route("/jwk", get(jwk))
        .route("/token", post(token))
        // Digdir's self-service API shares the simulator's host (its `--samarbeid-url`).
        .route("/api/v1/scopes/all", get(scopes))
        .fallback(altinn)
        .with_state(state)
}

/// Everything Altinn: the platform's exchange, the Altinn 2 API, system users.
async fn altinn(
    State(s): State<Arc<AppState>>,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response<Body> {
    let path = uri.path();
    let Ok(registry) = s.mp.registry.read() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let clock = &s.mp.clock;
    // ASP.NET matches the route's literal segments in any case.
    if path.eq_ignore_ascii_case(crate::altinn::types::EXCHANGE_PATH) {
        let login = headers.contains_key(crate::altinn::types::ENTERPRISE_USER_HEADER);
        let faults = s.faults();
        let answer =
            if login { faults.enterprise_login_answer.or(faults.exchange_answer) } else { faults.exchange_answer };
        if let Some((status, body)) = answer {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            let mut response = (status, [("content-type", "application/problem+json")], body).into_response();
            if status == StatusCode::TOO_MANY_REQUESTS {
                response.headers_mut().insert("retry-after", HeaderValue::from(120));
            }
            return response;
        }
        s.altinn.exchange(&headers, &s.mp, &registry)
    } else if path == "/api" || path.starts_with("/api/") {
        s.altinn.api(path, &headers, &registry, clock)
    } else if path.starts_with("/authentication/api/v1/systemuser/")
        || path.starts_with("/authentication/api/v1/systemregister/")
    {
        s.altinn.vendor(path, &query, &headers, &registry, &s.mp, &s.base_url)
    } else if path.starts_with("/resourceregistry/api/v1/resource/") {
        super::altinn::resource_registry(path, &registry)
    } else if crate::altinn::products::PATHS.contains(&path) {
        if let Some((status, body)) = s.faults().product_answer {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY);
            return (status, [("content-type", "application/problem+json")], body).into_response();
        }
        super::products::route(path, &query, &headers, &registry, &s.altinn, &s.mp)
    } else if let Some(urn) = path.strip_prefix(crate::altinn::types::PACKAGE_BY_URN_PATH) {
        super::altinn::package_info(urn, &headers, &registry)
    } else if path == "/accessmanagement/api/v1/enduser/authorizedparties" {
        s.altinn.authorized_parties(&headers, &registry, clock)
    } else {
        (StatusCode::NOT_FOUND, "Not Found").into_response()
    }
}

async fn metadata(State(s): State<Arc<AppState>>) -> impl IntoResponse {
    axum::Json(s.mp.metadata(&s.base_url))
}

/// `GET /api/v1/scopes/all`: the public scope catalogue, anonymous; deactivated scopes
/// only with `inactive=true`.
async fn scopes(
    State(s): State<Arc<AppState>>,
    axum::extract::Query(query): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Response<Body> {
    let Ok(registry) = s.mp.registry.read() else { return StatusCode::INTERNAL_SERVER_ERROR.into_response() };
    let inactive = query.get("inactive").is_some_and(|v| v == "true");
    axum::Json(registry.scope_catalogue(inactive)).into_response()
}

async fn jwk(State(s): State<Arc<AppState>>) -> impl IntoResponse {
    axum::Json(s.mp.jwks())
}

async fn token(State(s): State<Arc<AppState>>, Form(form): Form<Vec<(String, String)>>) -> Response<Body> {
    if let Some((status, body)) = s.faults().token_answer {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
        return (status, [("content-type", "application/json")], body).into_response();
    }
    if let Some((_, grant)) = form.iter().find(|(k, _)| k == "assertion") {
        s.keep(grant);
    }
    match s.mp.token(&form) {
        Ok(t) => {
            s.keep(t.access_token.expose());
            axum::Json(t).into_response()
        }
        Err(r) => {
            let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::BAD_REQUEST);
            (status, axum::Json(r.body)).into_response()
        }
    }
}

/// The running server: its address and a way to stop it.
pub(crate) struct Running {
    pub(crate) stop: tokio::sync::watch::Sender<bool>,
    pub(crate) task: tokio::task::JoinHandle<()>,
}

/// Binds `listen` and serves until `stop` is sent.
pub(crate) async fn serve(
    listen: SocketAddr,
    tls: rustls::ServerConfig,
    state: Arc<AppState>,
    listener: Option<TcpListener>,
) -> Result<Running, String> {
    let listener = match listener {
        Some(l) => l,
        None => TcpListener::bind(listen).await.map_err(|e| format!("cannot listen on {listen}: {e}"))?,
    };
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(tls));
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let router = routes(state.clone());
    let task = tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = stopped.changed() => break,
                accepted = listener.accept() => {
                    let Ok((tcp, _)) = accepted else { continue };
                    // As any production server: no Nagle delay on small answers.
                    let _ = tcp.set_nodelay(true);
                    tokio::spawn(connection(tcp, acceptor.clone(), router.clone(), state.clone()));
                }
            }
        }
    });
    Ok(Running { stop, task })
}

async fn connection(
    tcp: tokio::net::TcpStream,
    acceptor: tokio_rustls::TlsAcceptor,
    router: Router,
    state: Arc<AppState>,
) {
    let delay = state.faults().connection_latency;
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let Ok(tls) = acceptor.accept(tcp).await else { return };
    let service = hyper::service::service_fn(move |req: hyper::Request<hyper::body::Incoming>| {
        let router = router.clone();
        let state = state.clone();
        async move { answer(req, router, state).await }
    });
    // The `Date` of every answer is the simulated clock's (set in `answer`), never hyper's.
    let mut builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    builder.http1().auto_date_header(false);
    builder.http2().auto_date_header(false);
    let _ = builder.serve_connection(TokioIo::new(tls), service).await;
}

fn record(state: &AppState, req: &hyper::Request<hyper::body::Incoming>) {
    let has = |name: &str| req.headers().contains_key(name);
    let seen = Seen {
        method: req.method().to_string(),
        path: req.uri().path().to_string(),
        bearer: has("authorization"),
        api_key: has("apikey"),
        enterprise_password: has(crate::altinn::types::ENTERPRISE_USER_HEADER),
    };
    if let Ok(mut all) = state.seen.lock() {
        all.push(seen);
    }
    for name in ["authorization", crate::altinn::types::ENTERPRISE_USER_HEADER, "apikey"] {
        if let Some(value) = req.headers().get(name).and_then(|v| v.to_str().ok()) {
            state.keep(value.trim_start_matches("Bearer ").trim());
        }
    }
}

async fn answer(
    req: hyper::Request<hyper::body::Incoming>,
    router: Router,
    state: Arc<AppState>,
) -> Result<Response<Body>, std::io::Error> {
    let faults = state.faults();
    record(&state, &req);
    if !faults.request_latency.is_zero() {
        tokio::time::sleep(faults.request_latency).await;
    }
    if faults.reset {
        // An error from the service makes hyper drop the connection unanswered.
        return Err(std::io::Error::other("simulated connection reset"));
    }
    let mut response = match faulty(&faults, &req) {
        Some(response) => response,
        None => match router.oneshot(req).await {
            Ok(r) => r,
            Err(never) => match never {},
        },
    };
    let now = state.mp.clock.now();
    let date = now.checked_add(time::Duration::seconds(faults.date_skew_s)).unwrap_or(now);
    if let Ok(v) = HeaderValue::from_str(&crate::http::http_date(date))
        && !faults.no_date
    {
        response.headers_mut().insert("date", v);
    }
    Ok(response)
}

/// The answer a fault instrument gives instead of the service, when one is on.
fn faulty(faults: &Faults, req: &hyper::Request<hyper::body::Incoming>) -> Option<Response<Body>> {
    let response = if let Some(code) = faults.status {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
        (status, "Service Unavailable (simulated)").into_response()
    } else if let Some(after) = faults.too_many_requests {
        let mut r = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests (simulated)").into_response();
        r.headers_mut().insert("retry-after", HeaderValue::from(after));
        r
    } else if let Some(r) = faults.redirect.as_ref().filter(|r| {
        r.path == req.uri().path()
            && (!r.login_only || req.headers().contains_key(crate::altinn::types::ENTERPRISE_USER_HEADER))
    }) {
        let status = StatusCode::from_u16(r.status).unwrap_or(StatusCode::TEMPORARY_REDIRECT);
        let mut response = (status, "").into_response();
        if let Ok(v) = HeaderValue::from_str(&r.location) {
            response.headers_mut().insert("location", v);
        }
        response
    } else if faults.endless_body {
        let chunk = axum::body::Bytes::from(vec![b' '; 64 * 1024]);
        let stream = futures_util::stream::repeat_with(move || Ok::<_, std::io::Error>(chunk.clone()));
        Response::builder()
            .status(StatusCode::OK)
            .header("content-type", "application/json")
            .body(Body::from_stream(stream))
            .unwrap_or_default()
    } else if let Some(n) = faults.huge_body {
        Response::builder()
            .status(StatusCode::OK)
            .header("content-type", "application/json")
            .body(Body::from(vec![b' '; n]))
            .unwrap_or_default()
    } else if faults.malformed_body {
        Response::builder()
            .status(StatusCode::OK)
            .header("content-type", "application/json")
            .body(Body::from("{\"issuer\": \"https://test.maskinporten.no/\", "))
            .unwrap_or_default()
    } else {
        return None;
    };
    Some(response)
}
