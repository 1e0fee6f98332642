//! The doctor's Altinn client: the token exchange, the Altinn 2 API, system-user look-ups.

use super::types::*;
use crate::config::Profile;
use crate::http::{Http, MAX_JSON, NetError, Reply};
use crate::vocab::{Environment, Secret};

/// The platform's base URL (exchange, system users, access management).
pub(crate) fn platform_base(profile: &Profile) -> String {
    profile.altinn.platform_url.clone().unwrap_or_else(|| {
        match profile.env {
            Environment::Test => "https://platform.tt02.altinn.no",
            Environment::Prod => "https://platform.altinn.no",
        }
        .into()
    })
}

/// The Altinn 2 API's base URL (historical).
pub(crate) fn altinn2_base(profile: &Profile) -> String {
    profile.altinn.altinn_url.clone().unwrap_or_else(|| {
        match profile.env {
            Environment::Test => "https://tt02.altinn.no",
            Environment::Prod => "https://www.altinn.no",
        }
        .into()
    })
}

/// An answer whose body the checks read themselves.
pub(crate) type Answer = Reply;

/// A ProblemDetails body, when the answer is one.
pub fn problem(a: &Answer) -> Option<ProblemDetails> {
    serde_json::from_slice(&a.body).ok()
}

/// What an answer the doctor did not expect says, in the service's own words: a
/// problem's `detail` or `title`, else a plain-text body (its first 200 characters), else
/// its first bytes. Text that could hold a token (`eyJ`) is never quoted beyond those.
/// The report neutralises whatever this returns.
pub(crate) fn said(a: &Answer) -> String {
    if let Some(p) = problem(a)
        && let Some(text) = p.detail.or(p.title)
    {
        return text;
    }
    let text = String::from_utf8_lossy(&a.body);
    let text = text.trim();
    if a.content_type.starts_with("text/") && !text.is_empty() && !text.contains("eyJ") {
        return text.chars().take(200).collect();
    }
    if a.body.is_empty() { a.reason_text() } else { a.first_bytes() }
}

/// How the exchange should answer: a raw JWT, or a JSON string literal.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Accept {
    Text,
    /// `application/hal+json`, as the guide's sample client asked.
    HalJson,
}

/// GETs the exchange with a Maskinporten token, optionally as an enterprise user.
pub(crate) async fn exchange(
    http: &Http,
    platform: &str,
    maskinporten_token: &Secret,
    enterprise_user: Option<(&str, &Secret)>,
    accept: Accept,
) -> Result<Answer, NetError> {
    use base64::Engine;
    let url = format!("{platform}{EXCHANGE_PATH}");
    let mut request = http.get(&url).bearer_auth(maskinporten_token.expose()).header(
        "accept",
        match accept {
            Accept::Text => "text/plain",
            Accept::HalJson => "application/hal+json",
        },
    );
    if let Some((user, password)) = enterprise_user {
        let credentials = format!("{user}:{}", password.expose());
        request = request.header(ENTERPRISE_USER_HEADER, base64::engine::general_purpose::STANDARD.encode(credentials));
    }
    match enterprise_user {
        // The enterprise user's answers (429 lock-out, 502 backend) are the check's to read.
        Some(_) => crate::http::not_redirected(http.send_raw(request, &url, MAX_JSON).await?),
        None => service_answer(http.send(request, &url, MAX_JSON).await?),
    }
}

/// A 5xx is the service's fault, never the credential's.
pub(crate) fn service_answer(a: Answer) -> Result<Answer, NetError> {
    match a.status {
        500..=599 => Err(NetError::ServerError { url: a.url, status: a.status }),
        _ => Ok(a),
    }
}

/// The Altinn token in an exchange answer: a raw JWT or a JSON string; either way
/// trimmed and unquoted, and only when it decodes as a JWT whose claims are a JSON
/// object with an `exp` (what the doctor reads of it).
pub fn token_of(body: &[u8]) -> Option<Secret> {
    let text = std::str::from_utf8(body).ok()?.trim();
    let token = match serde_json::from_str::<String>(text) {
        Ok(s) => s,
        Err(_) => text.trim_matches('"').to_string(),
    };
    crate::jwt::Jwt::decode(&token).ok().filter(|jwt| jwt.claims.get("exp").is_some_and(|e| e.is_i64()))?;
    Some(Secret::new(token))
}

/// GET with a bearer token (and an API key, for Altinn 2).
pub(crate) async fn get(
    http: &Http,
    url: &str,
    bearer: Option<&Secret>,
    api_key: Option<&Secret>,
    accept: &str,
) -> Result<Answer, NetError> {
    let mut request = http.get(url).header("accept", accept);
    if let Some(token) = bearer {
        request = request.bearer_auth(token.expose());
    }
    if let Some(key) = api_key {
        request = request.header("ApiKey", key.expose());
    }
    http.send(request, url, MAX_JSON).await
}

/// As [`get`], but a redirect is an answer (Altinn 2's shutdown shows as one); it is
/// still never followed.
pub(crate) async fn get_altinn2(
    http: &Http,
    url: &str,
    bearer: Option<&Secret>,
    api_key: Option<&Secret>,
) -> Result<Answer, NetError> {
    let mut request = http.get(url).header("accept", "application/hal+json");
    if let Some(token) = bearer {
        request = request.bearer_auth(token.expose());
    }
    if let Some(key) = api_key {
        request = request.header("ApiKey", key.expose());
    }
    http.send_raw(request, url, MAX_JSON).await
}

/// `GET {altinn2}/api/reportees` with the organisation's token and the API key: the
/// Altinn 2 call that proves the key.
pub(crate) async fn reportees(
    http1: &Http,
    profile: &Profile,
    token: &Secret,
    key: &Secret,
) -> Result<Answer, NetError> {
    let url = format!("{}/api/reportees", altinn2_base(profile));
    get_altinn2(http1, &url, Some(token), Some(key)).await
}

/// The role definitions and the enterprise user's roles, asked at once (neither waits for
/// the other).
pub(crate) async fn roles(
    http1: &Http,
    profile: &Profile,
    token: &Secret,
    key: Option<&Secret>,
) -> Result<(Answer, Answer), NetError> {
    let base = altinn2_base(profile);
    let definitions_url = format!("{base}/api/metadata/roledefinitions");
    let roles_url = format!("{base}/api/my/authorization/roles");
    let (definitions, roles) = futures_util::future::join(
        get_altinn2(http1, &definitions_url, None, None),
        get_altinn2(http1, &roles_url, Some(token), key),
    )
    .await;
    Ok((definitions?, roles?))
}

/// The parties the system user may act for, with their access packages and roles.
pub(crate) async fn authorized_parties_of(http: &Http, profile: &Profile, token: &Secret) -> Result<Answer, NetError> {
    let url = format!(
        "{}/accessmanagement/api/v1/enduser/authorizedparties?includeAccessPackages=true&includeRoles=true",
        platform_base(profile)
    );
    get(http, &url, Some(token), None, "application/json").await
}

/// A resource, its policy's subjects and its policy, read at once (anonymous: no token).
/// `Ok(None)`: the registry does not know the resource.
pub(crate) async fn resource(http: &Http, profile: &Profile, id: &str) -> Result<Option<ReadResource>, NetError> {
    let base = format!("{}/resourceregistry/api/v1/resource/{}", platform_base(profile), segment(id));
    let subjects_url = format!("{base}/policy/subjects");
    let policy_url = format!("{base}/policy");
    let (entry, subjects, policy) = futures_util::future::join3(
        get(http, &base, None, None, "application/json"),
        get(http, &subjects_url, None, None, "application/json"),
        get(http, &policy_url, None, None, "text/xml"),
    )
    .await;
    let entry = service_answer(entry?)?;
    if entry.status == 404 {
        return Ok(None);
    }
    let malformed = |url: &str, a: &Answer, expected| NetError::Malformed {
        url: url.into(),
        status: a.status,
        expected,
        detail: a.first_bytes(),
    };
    if entry.status != 200 {
        return Err(NetError::UnexpectedStatus { url: base, status: entry.status });
    }
    let resource: ServiceResource = entry.json().ok_or_else(|| malformed(&base, &entry, "resource"))?;
    let subjects = service_answer(subjects?)?;
    // A resource without a policy has no subjects: nothing grants it.
    let list = match subjects.status {
        200 => subjects
            .json::<Page<PolicySubject>>()
            .map(|p| p.data)
            .ok_or_else(|| malformed(&subjects_url, &subjects, "policy subjects"))?,
        404 => Vec::new(),
        status => return Err(NetError::UnexpectedStatus { url: subjects_url, status }),
    };
    let policy = service_answer(policy?)?;
    let min_level = (policy.status == 200).then(|| minimum_level(&String::from_utf8_lossy(&policy.body))).flatten();
    Ok(Some(ReadResource { resource, subjects: list, min_level }))
}

/// The names of access packages (code → name, in the report's language where access
/// management has it), read at once; a package it cannot name is left out: the code
/// still says which.
pub(crate) async fn package_names(
    http: &Http,
    profile: &Profile,
    codes: &[String],
) -> std::collections::BTreeMap<String, String> {
    let lang = match profile.lang {
        crate::vocab::Lang::En => "en",
        crate::vocab::Lang::Nb => "nb",
    };
    let reads = codes.iter().map(|code| async move {
        let url = format!("{}{PACKAGE_BY_URN_PATH}{}", platform_base(profile), segment(code));
        let request = http.get(&url).header("accept", "application/json").header("accept-language", lang);
        let answer = http.send(request, &url, MAX_JSON).await.ok().filter(|a| a.status == 200)?;
        Some((code.clone(), answer.json::<PackageInfo>()?.name))
    });
    futures_util::future::join_all(reads).await.into_iter().flatten().collect()
}

/// A resource as the registry describes it: its entry, its policy's subjects, and the
/// minimum authentication level its policy demands.
pub(crate) struct ReadResource {
    pub(crate) resource: ServiceResource,
    pub(crate) subjects: Vec<PolicySubject>,
    pub(crate) min_level: Option<u8>,
}

/// What a vendor look-up found. 401, 403 (the token lacks the endpoint's scope), 404 and
/// a fault are told apart: only a 404 says that the thing is not there.
#[derive(Debug, Clone)]
pub(crate) enum Lookup<T> {
    Found(T),
    /// 404: with the AUTH code when the service gave one (`AUTH-00010`, `AUTH-00011`).
    NotFound {
        code: Option<String>,
    },
    /// 401: the token was not accepted.
    Unauthorized,
    /// 403: the token lacks the scope the endpoint needs (or the system is another vendor's).
    Forbidden {
        scope: &'static str,
    },
    /// Another status, or a body the doctor cannot read.
    Unexpected {
        status: u16,
        code: Option<String>,
    },
    Failed(NetError),
    /// Not asked: the client may not have the scope the endpoint needs.
    NoScope {
        scope: &'static str,
    },
    /// The listing went on past what the doctor reads, or its next page is elsewhere.
    Incomplete {
        pages: usize,
    },
}

/// The vendor look-ups of the authentication API, with a vendor token (a Maskinporten
/// token carrying the vendor scopes).
pub(crate) struct Vendor<'a> {
    pub(crate) http: &'a Http,
    pub(crate) platform: String,
    pub(crate) tokens: &'a crate::altinn::checks::grantor::VendorTokens,
}

/// Pages of `bysystem` read at most (50 system users a page on the real service).
pub(crate) const MAX_PAGES: usize = 20;

impl Vendor<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}/authentication/api/v1/{path}", self.platform)
    }

    async fn lookup<T: serde::de::DeserializeOwned>(&self, url: &str, scope: &'static str) -> Lookup<T> {
        let Some(token) = self.tokens.token(scope) else { return Lookup::NoScope { scope } };
        let request = self.http.get(url).bearer_auth(token.expose()).header("accept", "application/json");
        let answer = match self.http.send(request, url, MAX_JSON).await {
            Ok(a) => a,
            Err(e) => return Lookup::Failed(e),
        };
        let code = problem(&answer).and_then(|p| p.code);
        match answer.status {
            200 => match answer.json() {
                Some(t) => Lookup::Found(t),
                None => Lookup::Unexpected { status: 200, code: None },
            },
            401 => Lookup::Unauthorized,
            403 => Lookup::Forbidden { scope },
            404 => Lookup::NotFound { code },
            500..=599 => Lookup::Failed(NetError::ServerError { url: url.into(), status: answer.status }),
            status => Lookup::Unexpected { status, code },
        }
    }

    /// `GET systemregister/vendor/{systemId}`.
    pub(crate) async fn system(&self, system_id: &str) -> Lookup<RegisteredSystem> {
        let url = self.url(&format!("systemregister/vendor/{}", segment(system_id)));
        self.lookup(&url, SCOPE_SYSTEMREGISTER_WRITE).await
    }

    /// `GET systemuser/vendor/byquery`: the active system user of `org` under
    /// `external_ref` (absent: the service takes the org number).
    pub(crate) async fn system_user(
        &self,
        system_id: &str,
        org: &str,
        external_ref: Option<&str>,
    ) -> Lookup<SystemUser> {
        let mut url = self.url("systemuser/vendor/byquery");
        if let Ok(mut parsed) = reqwest::Url::parse(&url) {
            parsed.query_pairs_mut().append_pair("system-id", system_id).append_pair("orgno", org);
            if let Some(r) = external_ref {
                parsed.query_pairs_mut().append_pair("external-ref", r);
            }
            url = parsed.to_string();
        }
        self.lookup(&url, SCOPE_REQUEST_WRITE).await
    }

    /// `GET systemuser/vendor/bysystem/{systemId}`, every page up to [`MAX_PAGES`]. A
    /// `links.next` on another host is read on the platform's only when it names the same
    /// endpoint; otherwise, or past the last page read, the listing is
    /// [`Lookup::Incomplete`]: a user not found there may be on a page not read.
    pub(crate) async fn system_users(&self, system_id: &str) -> Lookup<Vec<SystemUser>> {
        let first = self.url(&format!("systemuser/vendor/bysystem/{}", segment(system_id)));
        let mut url = first.clone();
        let mut all = Vec::new();
        for pages in 1..=MAX_PAGES {
            let page: Page<SystemUser> = match self.lookup(&url, SCOPE_SYSTEMREGISTER_WRITE).await {
                Lookup::Found(p) => p,
                other => return other.map_page(),
            };
            all.extend(page.data);
            let Some(next) = page.links.next else { return Lookup::Found(all) };
            match on_platform(&next, &first) {
                Some(next) if pages < MAX_PAGES => url = next,
                _ => return Lookup::Incomplete { pages },
            }
        }
        Lookup::Incomplete { pages: MAX_PAGES }
    }

    /// `GET systemuser/request/vendor[/agent]/byexternalref/{systemId}/{orgNo}/{externalRef}`.
    pub(crate) async fn request(
        &self,
        system_id: &str,
        org: &str,
        reference: &str,
        agent: bool,
    ) -> Lookup<SystemUserRequest> {
        let kind = if agent { "agent/" } else { "" };
        let url = self.url(&format!(
            "systemuser/request/vendor/{kind}byexternalref/{}/{}/{}",
            segment(system_id),
            segment(org),
            segment(reference)
        ));
        self.lookup(&url, SCOPE_REQUEST_READ).await
    }
}

impl Vendor<'_> {
    /// `GET systemuser/changerequest/vendor/byexternalref/{systemId}/{orgNo}/{externalRef}`.
    pub(crate) async fn change_request(&self, system_id: &str, org: &str, reference: &str) -> Lookup<ChangeRequest> {
        let url = self.url(&format!(
            "systemuser/changerequest/vendor/byexternalref/{}/{}/{}",
            segment(system_id),
            segment(org),
            segment(reference)
        ));
        self.lookup(&url, SCOPE_REQUEST_READ).await
    }
}

impl<T> Lookup<T> {
    /// The same answer for another type, when it is not `Found`.
    fn map_page<U>(self) -> Lookup<U> {
        match self {
            Lookup::Found(_) => Lookup::Unexpected { status: 200, code: None },
            Lookup::NotFound { code } => Lookup::NotFound { code },
            Lookup::Unauthorized => Lookup::Unauthorized,
            Lookup::Forbidden { scope } => Lookup::Forbidden { scope },
            Lookup::Unexpected { status, code } => Lookup::Unexpected { status, code },
            Lookup::Failed(e) => Lookup::Failed(e),
            Lookup::NoScope { scope } => Lookup::NoScope { scope },
            Lookup::Incomplete { pages } => Lookup::Incomplete { pages },
        }
    }
}

/// A path segment, percent-encoded.
fn segment(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `next` as a URL on the platform: as it is when on the platform's origin; with the
/// platform's origin when it names the same endpoint elsewhere (a gateway's own host);
/// `None` for another endpoint.
fn on_platform(next: &str, first: &str) -> Option<String> {
    let next = reqwest::Url::parse(next).ok()?;
    let mut on = reqwest::Url::parse(first).ok()?;
    if next.path() != on.path() {
        return None;
    }
    on.set_query(next.query());
    Some(on.to_string())
}

/// `authorizedparties`: `{"links":…,"data":[…]}` as the code writes it; also the bare
/// array and the `data` nested one level deeper (`[[…]]`) that documents show.
pub fn authorized_parties(body: &[u8]) -> Option<Vec<AuthorizedParty>> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let data = match value {
        serde_json::Value::Object(mut o) => o.remove("data")?,
        array @ serde_json::Value::Array(_) => array,
        _ => return None,
    };
    let serde_json::Value::Array(items) = data else { return None };
    let flat: Vec<serde_json::Value> = items
        .into_iter()
        .flat_map(|item| match item {
            serde_json::Value::Array(inner) => inner,
            party => vec![party],
        })
        .collect();
    serde_json::from_value(serde_json::Value::Array(flat)).ok()
}

/// The party with `org`, among the parties and their sub-units.
pub fn find_party<'a>(parties: &'a [AuthorizedParty], org: &str) -> Option<&'a AuthorizedParty> {
    parties.iter().find_map(|p| {
        if p.organization_number.as_deref() == Some(org) { Some(p) } else { find_party(&p.subunits, org) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exchange_answer_raw_or_json_string() {
        // The exchange's real answer (CONTRACTS.md example 19): a JSON string.
        let example = include_str!("../../tests/contracts/19-altinn-exchange-200.json");
        let jwt: String = serde_json::from_str(example).unwrap();
        for body in [jwt.clone(), format!("\"{jwt}\""), format!("  \"{jwt}\"\n"), format!("{jwt}\r\n")] {
            assert_eq!(token_of(body.as_bytes()).unwrap().expose(), jwt, "{body:?}");
        }
        assert!(token_of(b"<html>").is_none());
        assert!(token_of(b"abc.def.ghi").is_none(), "two dots do not make a token");
        assert!(token_of(b"\"abc.def.ghi\"").is_none());
    }
}
