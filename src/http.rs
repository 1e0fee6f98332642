//! HTTP for the checks: one guarded client (no redirects, capped bodies, rate limits
//! remembered, faults told apart), the `Date` format, and error wording.
//!
//! No request the doctor sends follows a redirect: most carry a credential (a grant, a
//! bearer token, an API key, a password), and a redirect would hand it to another host.

/// Timeout of any single network call.
pub(crate) const CALL_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::vocab::Outside;
use serde::Serialize;
use time::OffsetDateTime;

/// Largest JSON answer read (metadata, tokens, error answers, vendor look-ups).
pub(crate) const MAX_JSON: usize = 512 * 1024;

/// Why a call did not get an answer the doctor can read. None of these says
/// anything about the credentials sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub(crate) enum NetError {
    Timeout {
        url: String,
    },
    Unreachable {
        url: String,
        reason: String,
    },
    ProxyUnreachable {
        url: String,
        proxy: String,
        reason: String,
    },
    /// The proxy answered 407 Proxy Authentication Required: it wants credentials.
    ProxyAuthRequired {
        url: String,
        proxy: String,
    },
    /// The proxy answered, but would not open the tunnel to the service (403, 502, …).
    ProxyRefused {
        url: String,
        proxy: String,
        reason: String,
    },
    /// No answer in time on a path through a proxy: the proxy, or the service behind
    /// it; which of the two cannot be told from here.
    ProxyTimeout {
        url: String,
        proxy: String,
    },
    Tls {
        url: String,
        reason: String,
    },
    /// An `https://` URL whose server answered in plain HTTP.
    PlainHttp {
        url: String,
    },
    ServerError {
        url: String,
        status: u16,
    },
    RateLimited {
        url: String,
        retry_after: String,
    },
    UnexpectedStatus {
        url: String,
        status: u16,
    },
    /// An answer that is not what the endpoint gives: `expected` names what it should
    /// have been (`metadata`, `token`, `error`); `detail` is the parser's own words.
    Malformed {
        url: String,
        status: u16,
        expected: &'static str,
        detail: String,
    },
    /// The answer was larger than the doctor reads for this kind of answer.
    TooLarge {
        url: String,
        limit_kib: usize,
    },
    /// The server answered with a redirect, which the doctor never follows.
    Redirected {
        url: String,
        status: u16,
        location: String,
    },
}

impl NetError {
    /// False only for the answers that show a set-up problem (a redirect from a wrong
    /// base URL, a plain-HTTP server behind an `https://` URL); the rest kept the check
    /// from reaching a verdict.
    pub(crate) fn inconclusive(&self) -> bool {
        !matches!(self, NetError::Redirected { .. } | NetError::PlainHttp { .. })
    }

    /// The fault's code, as the catalogue keys it (`timeout`, `unreachable`, …).
    pub(crate) fn code(&self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v["code"].as_str().map(str::to_string)).unwrap_or_default()
    }
}

/// An answer, read in full up to its cap.
#[derive(Debug, Clone)]
pub struct Reply {
    pub url: String,
    pub status: u16,
    /// The HTTP/1.1 reason phrase, when the server sent its own.
    pub reason: Option<String>,
    pub content_type: String,
    pub retry_after: Option<String>,
    pub location: Option<String>,
    pub date: Option<OffsetDateTime>,
    /// The local time the answer's head arrived.
    pub received: OffsetDateTime,
    pub body: Vec<u8>,
}

impl Reply {
    /// The reason phrase, or the status' canonical one.
    pub(crate) fn reason_text(&self) -> String {
        self.reason.clone().unwrap_or_else(|| {
            reqwest::StatusCode::from_u16(self.status).ok().and_then(|s| s.canonical_reason()).unwrap_or("").to_string()
        })
    }

    pub(crate) fn json<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_slice(&self.body).ok()
    }

    /// The first bytes of the body, printable, for a message (never a whole answer).
    pub(crate) fn first_bytes(&self) -> String {
        first_bytes(&self.body)
    }
}

/// At most 24 bytes of `body`, control characters escaped: enough to tell HTML, JSON
/// and a JWT header apart, too little to carry a token.
pub(crate) fn first_bytes(body: &[u8]) -> String {
    let head = &body[..body.len().min(24)];
    let text: String = String::from_utf8_lossy(head).chars().flat_map(char::escape_default).collect();
    if body.len() > head.len() { format!("{text}…") } else { text }
}

/// Where the doctor's proxies are, to tell a dead proxy from a dead service.
#[derive(Debug, Clone, Default)]
pub(crate) struct Proxies {
    pub(crate) https: Option<String>,
    pub(crate) http: Option<String>,
    pub(crate) no_proxy: Vec<String>,
}

impl Proxies {
    /// The proxy a request to `url` goes through, if any.
    pub(crate) fn for_url(&self, url: &str) -> Option<&str> {
        let parsed = reqwest::Url::parse(url).ok()?;
        let host = parsed.host_str()?.trim_start_matches('[').trim_end_matches(']').to_ascii_lowercase();
        let bypass = self.no_proxy.iter().any(|entry| {
            let entry = entry.trim().trim_start_matches('.').to_ascii_lowercase();
            entry == "*" || host == entry || host.ends_with(&format!(".{entry}"))
        });
        if bypass {
            return None;
        }
        match parsed.scheme() {
            "https" => self.https.as_deref(),
            _ => self.http.as_deref(),
        }
    }
}

/// A reqwest client with the doctor's rules: it never follows a redirect, reads every
/// body up to a cap, and does not call an endpoint again while it asked to be left alone
/// (429 with Retry-After).
#[derive(Clone)]
pub(crate) struct Http {
    client: reqwest::Client,
    proxies: Proxies,
    quiet_until: Arc<Mutex<HashMap<String, Instant>>>,
    /// `-v`: each exchange as a line on stderr (method, URL, status, time, trace id).
    log: bool,
}

/// How long an endpoint that answered 429 without a usable Retry-After is left alone.
const DEFAULT_RETRY_AFTER: Duration = Duration::from_secs(60);

impl Http {
    /// Wraps a client built with `redirect::Policy::none()`.
    pub(crate) fn new(client: reqwest::Client, proxies: Proxies) -> Http {
        Http { client, proxies, quiet_until: Arc::default(), log: false }
    }

    /// The same rules and memory of rate limits, over another client.
    pub(crate) fn sibling(&self, client: reqwest::Client) -> Http {
        Http { client, proxies: self.proxies.clone(), quiet_until: self.quiet_until.clone(), log: self.log }
    }

    /// The same client with a memory of rate limits of its own (another profile's run).
    pub(crate) fn fresh(&self) -> Http {
        Http { quiet_until: Arc::default(), ..self.clone() }
    }

    /// `other`'s client with this one's rules and memory.
    pub(crate) fn sibling_of(&self, other: &Http) -> Http {
        self.sibling(other.client.clone())
    }

    /// The same client, logging each exchange on stderr when `on` (`-v`).
    pub(crate) fn logging(mut self, on: bool) -> Http {
        self.log = on;
        self
    }

    pub(crate) fn get(&self, url: &str) -> reqwest::RequestBuilder {
        self.client.get(url)
    }

    /// Opens `connections` connections to the host of `base` (a `HEAD` of its root, which
    /// carries nothing and whose answer is ignored) and leaves them in the pool, so that
    /// the checks' first requests there find the TLS handshake done.
    pub(crate) async fn warm(&self, base: &str, connections: usize) {
        let Ok(mut root) = reqwest::Url::parse(base) else { return };
        root.set_path("/");
        root.set_query(None);
        let heads = (0..connections).map(|_| self.client.head(root.clone()).send());
        let _ = futures_util::future::join_all(heads).await;
    }

    pub(crate) fn post(&self, url: &str) -> reqwest::RequestBuilder {
        self.client.post(url)
    }

    /// Sends a request and reads its answer up to `cap` bytes. A redirect is an error
    /// naming where it pointed; a 429 is [`NetError::RateLimited`].
    pub(crate) async fn send(
        &self,
        request: reqwest::RequestBuilder,
        url: &str,
        cap: usize,
    ) -> Result<Reply, NetError> {
        let reply = not_redirected(self.send_raw(request, url, cap).await?)?;
        if reply.status == 407
            && let Some(proxy) = self.proxies.for_url(url)
        {
            return Err(NetError::ProxyAuthRequired { url: url.into(), proxy: mask_credentials(proxy) });
        }
        if reply.status == 429 {
            return Err(NetError::RateLimited {
                url: url.into(),
                retry_after: reply.retry_after.clone().unwrap_or_else(|| "(not given)".into()),
            });
        }
        Ok(reply)
    }

    /// As [`Http::send`], but every status is an answer for the caller to read (a
    /// redirect from Altinn 2 is its shutdown; a 429 to an enterprise user its lock-out).
    /// A redirect is still never followed, and a 429 still keeps the run away from the
    /// endpoint for its Retry-After.
    pub(crate) async fn send_raw(
        &self,
        request: reqwest::RequestBuilder,
        url: &str,
        cap: usize,
    ) -> Result<Reply, NetError> {
        let endpoint = endpoint(url);
        if let Some(left) = self.quiet_for(&endpoint) {
            return Err(NetError::RateLimited { url: url.into(), retry_after: left.as_secs().max(1).to_string() });
        }
        let started = Instant::now();
        let (client, built) = request.build_split();
        let built = built.map_err(|e| self.classify(url, &e))?;
        let method = built.method().to_string();
        let result = async {
            let response = client.execute(built).await.map_err(|e| self.classify(url, &e))?;
            read(url, response, cap).await.map_err(|e| match e {
                ReadError::TooLarge => NetError::TooLarge { url: url.into(), limit_kib: cap / 1024 },
                ReadError::Net(e) => self.classify(url, &e),
            })
        }
        .await;
        let took = started.elapsed();
        if self.log {
            eprintln!("{}", exchange_line(&method, url, &result, took));
        }
        crate::engine::record(crate::vocab::Request {
            at: OffsetDateTime::now_utc() - took,
            method: method.clone(),
            url: mask_credentials(url),
            outcome: match &result {
                Ok(reply) => reply.status.to_string(),
                Err(e) => e.code(),
            },
            millis: took.as_millis(),
            trace_id: result.as_ref().ok().and_then(|r| trace_id_of(&r.body)),
        });
        let reply = result?;
        if reply.status == 429 {
            let wait = reply.retry_after.as_deref().and_then(retry_after_seconds).unwrap_or(DEFAULT_RETRY_AFTER);
            if let Ok(mut quiet) = self.quiet_until.lock() {
                quiet.insert(endpoint, Instant::now() + wait.min(Duration::from_secs(24 * 3600)));
            }
        }
        Ok(reply)
    }

    fn quiet_for(&self, endpoint: &str) -> Option<Duration> {
        let quiet = self.quiet_until.lock().ok()?;
        let until = *quiet.get(endpoint)?;
        until.checked_duration_since(Instant::now())
    }

    /// A transport error in words: timeout, a dead proxy, TLS, plain HTTP, unreachable.
    pub(crate) fn classify(&self, url: &str, e: &reqwest::Error) -> NetError {
        let reason = reason(e);
        let lower = reason.to_ascii_lowercase();
        let url = url.to_string();
        let proxy = self.proxies.for_url(&url).map(mask_credentials);
        match (proxy, proxy_fault(&lower)) {
            (Some(proxy), _) if e.is_timeout() => return NetError::ProxyTimeout { url, proxy },
            (Some(proxy), Some(ProxyFault::NotReached)) => return NetError::ProxyUnreachable { proxy, url, reason },
            (Some(proxy), Some(ProxyFault::WantsAuth)) => return NetError::ProxyAuthRequired { proxy, url },
            (Some(proxy), Some(ProxyFault::Refused)) => return NetError::ProxyRefused { proxy, url, reason },
            _ => {}
        }
        if e.is_timeout() {
            NetError::Timeout { url }
        } else if lower.contains("invalidcontenttype") || lower.contains("corrupt message") {
            NetError::PlainHttp { url }
        } else if lower.contains("certificate") || lower.contains("tls") || lower.contains("handshake") {
            NetError::Tls { url, reason }
        } else {
            NetError::Unreachable { url, reason }
        }
    }
}

/// A redirect as the error it is for a request that carries a credential.
pub(crate) fn not_redirected(reply: Reply) -> Result<Reply, NetError> {
    if (300..400).contains(&reply.status) {
        return Err(NetError::Redirected {
            status: reply.status,
            location: reply.location.clone().unwrap_or_else(|| "(no Location)".into()),
            url: reply.url,
        });
    }
    Ok(reply)
}

/// How a request through a proxy failed, from the client's words (lower case).
enum ProxyFault {
    /// Before the proxy answered: the TCP connection (or the name look-up) to the proxy.
    NotReached,
    /// The proxy answered the CONNECT with 407.
    WantsAuth,
    /// The proxy answered the CONNECT with another refusal, or hung up on it.
    Refused,
}

fn proxy_fault(reason: &str) -> Option<ProxyFault> {
    let has = |words: &[&str]| words.iter().any(|w| reason.contains(w));
    if has(&["proxy authorization required", "proxy authentication required"]) {
        Some(ProxyFault::WantsAuth)
    } else if has(&["tcp connect error", "failed to create underlying connection", "dns error"]) {
        Some(ProxyFault::NotReached)
    } else if has(&["tunnel error", "unsuccessful tunnel"]) {
        Some(ProxyFault::Refused)
    } else {
        None
    }
}

/// A URL without its query: the endpoint a rate limit applies to.
fn endpoint(url: &str) -> String {
    url.split(['?', '#']).next().unwrap_or(url).to_string()
}

/// `Retry-After` in seconds (the HTTP-date form too).
fn retry_after_seconds(value: &str) -> Option<Duration> {
    if let Ok(s) = value.trim().parse::<u64>() {
        return Some(Duration::from_secs(s));
    }
    let at = parse_http_date(value)?;
    let left = at - OffsetDateTime::now_utc();
    Some(Duration::from_secs(left.whole_seconds().max(0) as u64))
}

enum ReadError {
    TooLarge,
    Net(reqwest::Error),
}

async fn read(url: &str, mut response: reqwest::Response, cap: usize) -> Result<Reply, ReadError> {
    let received = OffsetDateTime::now_utc();
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let status = response.status().as_u16();
    let reason = response
        .extensions()
        .get::<hyper::ext::ReasonPhrase>()
        .map(|r| String::from_utf8_lossy(r.as_bytes()).into_owned());
    let content_type = header("content-type").unwrap_or_default();
    let retry_after = header("retry-after");
    let location = header("location");
    let date = header("date").as_deref().and_then(parse_http_date);
    if response.content_length().is_some_and(|n| n > cap as u64) {
        return Err(ReadError::TooLarge);
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Net)? {
        if body.len() + chunk.len() > cap {
            return Err(ReadError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Reply { url: url.into(), status, reason, content_type, retry_after, location, date, received, body })
}

/// One exchange for `-v`: method, URL (credentials masked), status and reason phrase or
/// the fault, time, and the trace ID the service gave. Never a header or a body.
fn exchange_line(method: &str, url: &str, result: &Result<Reply, NetError>, took: Duration) -> String {
    // The URL, the reason phrase and the trace id come from outside: neutralised.
    let url = Outside::new(&mask_credentials(url));
    let ms = took.as_millis();
    // The check that made it, when a check did: `[mp.token] POST …`.
    let method = match crate::engine::current_check() {
        Some(id) => format!("[{id}] {method}"),
        None => method.to_string(),
    };
    match result {
        Ok(reply) => {
            let trace = trace_id_of(&reply.body).map(|t| format!(" trace_id {}", Outside::new(&t))).unwrap_or_default();
            let reason = Outside::new(&reply.reason_text());
            format!("altinn-doctor: {method} {url} -> {} {reason} ({ms} ms){trace}", reply.status)
        }
        Err(e) => format!("altinn-doctor: {method} {url} -> {} ({ms} ms)", e.code()),
    }
}

/// The trace ID in an answer's body: `traceId` (Altinn's problem details), `trace_id`, or
/// `(trace_id: …)` in Maskinporten's `error_description`. Only the ID is taken.
pub(crate) fn trace_id_of(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let direct = ["traceId", "trace_id"].iter().find_map(|k| value.get(*k)?.as_str().map(str::to_string));
    let described = || {
        let text = value.get("error_description")?.as_str()?;
        let rest = &text[text.find("trace_id")? + "trace_id".len()..];
        let id: String = rest
            .trim_start_matches([':', ' ', '='])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        (!id.is_empty()).then_some(id)
    };
    direct.or_else(described).filter(|id| id.len() <= 128)
}

/// Replaces the user and password of every `scheme://user:pass@host` in `text` with
/// `***`, so that a URL with credentials can be shown.
pub(crate) fn mask_credentials(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let (head, tail) = rest.split_at(i + 3);
        out.push_str(head);
        let authority_end =
            tail.find(|c: char| c == '/' || c == '?' || c == '#' || c.is_whitespace() || "\"'<>()`".contains(c));
        let authority = &tail[..authority_end.unwrap_or(tail.len())];
        match authority.rfind('@') {
            Some(at) => {
                out.push_str("***");
                rest = &tail[at..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    out
}

/// An HTTP `Date` header value (IMF-fixdate).
pub fn http_date(t: OffsetDateTime) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    t.to_offset(time::UtcOffset::UTC).format(&format).unwrap_or_default()
}

/// Reads an HTTP `Date` header value.
pub(crate) fn parse_http_date(text: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    time::PrimitiveDateTime::parse(text.trim(), &format).ok().map(|t| t.assume_utc())
}

/// An HTTP client error as a short sentence: timeout, connection refused, DNS, TLS.
pub(crate) fn reason(e: &reqwest::Error) -> String {
    use std::error::Error as _;
    if e.is_timeout() {
        return "timed out".into();
    }
    // The OS error number (`(os error 111)`) says nothing its text does not.
    let plain = |text: String| match text.find(" (os error ") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let mut parts = vec![plain(e.without_url_text())];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(plain(s.to_string()));
        source = s.source();
    }
    parts.dedup();
    mask_credentials(&parts.join(": "))
}

/// What reqwest says of an error, without the URL it repeats (the finding names it).
trait WithoutUrl {
    fn without_url_text(&self) -> String;
}

impl WithoutUrl for reqwest::Error {
    fn without_url_text(&self) -> String {
        let text = self.to_string();
        match text.find(" for url (") {
            Some(i) => text[..i].to_string(),
            None => text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_date_round_trip() {
        let t = time::macros::datetime!(1994-11-06 08:49:37 UTC);
        assert_eq!(http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(t));
    }

    #[test]
    fn credentials_in_urls_are_masked() {
        assert_eq!(mask_credentials("https://user:pass@host/x"), "https://***@host/x");
        assert_eq!(
            mask_credentials("see (https://a:b@h:8443/p?q=1) and http://h/"),
            "see (https://***@h:8443/p?q=1) and http://h/"
        );
        assert_eq!(mask_credentials("https://host/a@b"), "https://host/a@b");
        assert_eq!(mask_credentials("http://p%40ss:w@rd@proxy:3128"), "http://***@proxy:3128");
        assert_eq!(mask_credentials("no url"), "no url");
    }

    #[test]
    fn no_proxy_matches_hosts_and_domains() {
        let p = Proxies {
            https: Some("http://proxy:3128".into()),
            http: None,
            no_proxy: vec!["internal.example".into(), "127.0.0.1".into()],
        };
        assert_eq!(p.for_url("https://maskinporten.no/token"), Some("http://proxy:3128"));
        assert_eq!(p.for_url("https://a.internal.example/"), None);
        assert_eq!(p.for_url("https://127.0.0.1:8443/"), None);
        assert_eq!(p.for_url("http://crl.example/"), None);
    }

    #[test]
    fn first_bytes_are_few_and_printable() {
        assert_eq!(first_bytes(b"<html>\n"), "<html>\\n");
        assert!(first_bytes(&[b'a'; 100]).ends_with('…'));
    }
}
