//! The product APIs the probes read, one read-only list call each (Correspondence,
//! Broker, Dialogporten, Storage's instances): their paths, the scopes they take, their
//! list answers and their denial bodies (CONTRACTS-APIS §4). The simulator answers with
//! the same types.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::Probe;
use crate::http::{Http, NetError, Reply};
use crate::vocab::Secret;

pub const CORRESPONDENCE_PATH: &str = "/correspondence/api/v1/correspondence";
pub const BROKER_PATH: &str = "/broker/api/v1/filetransfer";
pub const DIALOGS_END_USER_PATH: &str = "/dialogporten/api/v1/enduser/dialogs";
pub const DIALOGS_SERVICE_OWNER_PATH: &str = "/dialogporten/api/v1/serviceowner/dialogs";
pub const INSTANCES_PATH: &str = "/storage/api/v1/instances";
/// Every list endpoint a probe reads.
pub const PATHS: [&str; 5] =
    [CORRESPONDENCE_PATH, BROKER_PATH, DIALOGS_END_USER_PATH, DIALOGS_SERVICE_OWNER_PATH, INSTANCES_PATH];

pub const SCOPE_CORRESPONDENCE_READ: &str = "altinn:correspondence.read";
pub const SCOPE_CORRESPONDENCE_WRITE: &str = "altinn:correspondence.write";
pub const SCOPE_BROKER_READ: &str = "altinn:broker.read";
pub const SCOPE_BROKER_WRITE: &str = "altinn:broker.write";
pub const SCOPE_DIALOGPORTEN: &str = "digdir:dialogporten";
pub const SCOPE_DIALOGPORTEN_NOCONSENT: &str = "digdir:dialogporten.noconsent";
pub const SCOPE_DIALOGPORTEN_PROVIDER: &str = "digdir:dialogporten.serviceprovider";
pub const SCOPE_DIALOGPORTEN_SEARCH: &str = "digdir:dialogporten.serviceprovider.search";
pub const SCOPE_SERVICE_OWNER: &str = "altinn:serviceowner";
pub const SCOPE_INSTANCES_READ: &str = "altinn:serviceowner/instances.read";

/// `correspondence?role=` values.
pub const ROLE_RECIPIENT: &str = "Recipient";
pub const ROLE_SENDER: &str = "Sender";

/// The party Dialogporten's end-user search takes for an organisation.
pub fn organization_party(org: &str) -> String {
    format!("urn:altinn:organization:identifier-no:{org}")
}

/// Correspondence's list: `{"ids": [guid…]}`, at most 1000 (example 69).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CorrespondenceList {
    #[serde(default)]
    pub ids: Vec<String>,
}

/// Dialogporten's search page (example 74); `continuationToken` omitted when null.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DialogSearch {
    #[serde(default)]
    pub items: Vec<Value>,
    #[serde(default)]
    pub has_next_page: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub continuation_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order_by: Option<String>,
}

/// Storage's instance query (example 76): Newtonsoft keeps `next: null`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct InstanceQuery {
    #[serde(default)]
    pub count: u64,
    #[serde(default, rename = "self")]
    pub self_link: Option<String>,
    #[serde(default)]
    pub next: Option<String>,
    #[serde(default)]
    pub instances: Vec<Value>,
}

/// How many items a list answer holds, and whether more pages follow; `None` when the
/// body is not the product's list.
pub fn listed(probe: Probe, body: &[u8]) -> Option<(usize, bool)> {
    match probe {
        Probe::Correspondence => serde_json::from_slice::<CorrespondenceList>(body).ok().map(|l| (l.ids.len(), false)),
        Probe::Broker => serde_json::from_slice::<Vec<String>>(body).ok().map(|l| (l.len(), false)),
        Probe::Dialogporten => {
            serde_json::from_slice::<DialogSearch>(body).ok().map(|s| (s.items.len(), s.has_next_page))
        }
        Probe::Instances => {
            serde_json::from_slice::<InstanceQuery>(body).ok().map(|q| (q.instances.len(), q.next.is_some()))
        }
    }
}

/// What a product's denial body says. Read as a JSON value, not a struct: the products'
/// helpers may write `traceId` twice (CONTRACTS-APIS §0).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Denial {
    /// `CORR-04001`, `BRO-00006`: the `code`, else built from Correspondence's `errorCode`.
    pub code: Option<String>,
    /// The product's own words (`detail`, else `title`).
    pub detail: Option<String>,
    /// Dialogporten's (and ASP.NET's) `errors`, every text of every field.
    pub errors: Vec<String>,
    pub trace_id: Option<String>,
}

impl Denial {
    /// The number of the code (`CORR-04001` → 4001), whatever its padding.
    pub fn number(&self) -> Option<u32> {
        self.code.as_deref()?.rsplit('-').next()?.parse().ok()
    }

    /// The code's prefix (`CORR`, `BRO`).
    pub fn prefix(&self) -> Option<&str> {
        self.code.as_deref()?.split_once('-').map(|(p, _)| p)
    }
}

/// A denial body, when the answer has a JSON object for one.
pub fn denial(body: &[u8]) -> Option<Denial> {
    let v: Value = serde_json::from_slice(body).ok()?;
    let text = |key: &str| v.get(key).and_then(Value::as_str).map(str::to_string);
    let code = text("code").or_else(|| v.get("errorCode").and_then(Value::as_u64).map(|n| format!("CORR-{n:05}")));
    let errors = match v.get("errors") {
        Some(Value::Object(fields)) => fields.values().flat_map(strings).collect(),
        Some(other) => strings(other),
        None => Vec::new(),
    };
    Some(Denial { code, detail: text("detail").or_else(|| text("title")), errors, trace_id: text("traceId") })
}

fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        Value::Object(o) => o.values().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

/// The probe's one GET: the token as a bearer, JSON asked for, never a redirect
/// followed, never retried; a 429 is the rate limit it is.
pub(crate) async fn list(http: &Http, url: &str, token: &Secret) -> Result<Reply, NetError> {
    super::client::service_answer(super::client::get(http, url, Some(token), None, "application/json").await?)
}

/// The URL of a list call: the platform base, the path, the query encoded.
pub(crate) fn url(platform: &str, path: &str, query: &[(&str, String)]) -> String {
    let base = format!("{platform}{path}");
    match reqwest::Url::parse_with_params(&base, query.iter().map(|(k, v)| (*k, v.as_str()))) {
        Ok(u) => u.to_string(),
        Err(_) => base,
    }
}
