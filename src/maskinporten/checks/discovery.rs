//! `mp.discovery`: the metadata document answers, from the documented issuer, and sends
//! grants to an https token endpoint.

use serde::Serialize;

use crate::engine::{Diagnosis, Facts, Finding, Status};
use crate::maskinporten::client::{self, Discovered};
use crate::maskinporten::types::{ISSUER_PROD, ISSUER_TEST, ISSUER_VER2};
use crate::sources::Sources;
use crate::vocab::Environment;

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum DiscoveryCause {
    Found {
        issuer: String,
        url: String,
    },
    IssuerRetired {
        issuer: String,
    },
    IssuerOtherEnvironment {
        issuer: String,
        env: String,
    },
    IssuerUndocumented {
        issuer: String,
        expected: String,
    },
    /// The metadata sends grants to an endpoint that is not https (or not a URL).
    InsecureTokenEndpoint {
        endpoint: String,
    },
    /// The metadata sends the grant (`token_endpoint`) or fetches keys (`jwks_uri`) from
    /// another origin than the Maskinporten URL the profile names.
    ForeignEndpoint {
        field: String,
        endpoint: String,
        host: String,
        expected: String,
    },
}

impl Diagnosis for DiscoveryCause {
    fn status(&self) -> Status {
        match self {
            DiscoveryCause::Found { .. } => Status::Pass,
            DiscoveryCause::IssuerUndocumented { .. } => Status::Warn,
            _ => Status::Fail,
        }
    }
}

/// Reads the metadata document and judges its issuer and endpoints; hands the document
/// on whatever the issuer, so that the checks after it can say more, but never when its
/// endpoints would take the grant somewhere else than the Maskinporten the profile names.
pub(crate) async fn run(ctx: &Sources) -> (Finding, Option<Discovered>) {
    let base = client::base_url(&ctx.profile);
    let found = match client::discover(&ctx.http, &base).await {
        Ok(d) => d,
        Err(e) => return (Finding::of(e), None),
    };
    let m = &found.metadata;
    let mut facts = Facts::new();
    facts
        .put("metadata_url", found.url.clone())
        .put("mp_issuer", m.issuer.clone())
        .put("token_endpoint", m.token_endpoint.clone())
        .put("jwks_uri", m.jwks_uri.clone());
    let expected = client::documented_issuer(ctx.profile.env);
    let other = match ctx.profile.env {
        Environment::Test => ISSUER_PROD,
        Environment::Prod => ISSUER_TEST,
    };
    let issuer = m.issuer.clone();
    let endpoint_safe = reqwest::Url::parse(&m.token_endpoint)
        .is_ok_and(|url| crate::config::credential_safe(&url, ctx.profile.insecure_http).is_ok());
    let foreign = foreign_endpoint(&base, &[("token_endpoint", &m.token_endpoint), ("jwks_uri", &m.jwks_uri)]);
    let cause = if !endpoint_safe {
        DiscoveryCause::InsecureTokenEndpoint { endpoint: m.token_endpoint.clone() }
    } else if let Some(foreign) = foreign {
        foreign
    } else if issuer == expected {
        DiscoveryCause::Found { issuer, url: found.url.clone() }
    } else if issuer.trim_end_matches('/') == ISSUER_VER2.trim_end_matches('/') {
        DiscoveryCause::IssuerRetired { issuer }
    } else if issuer.trim_end_matches('/') == other.trim_end_matches('/') {
        DiscoveryCause::IssuerOtherEnvironment { issuer, env: ctx.profile.env.as_str().into() }
    } else {
        DiscoveryCause::IssuerUndocumented { issuer, expected: expected.into() }
    };
    let handed = match cause {
        DiscoveryCause::InsecureTokenEndpoint { .. } | DiscoveryCause::ForeignEndpoint { .. } => None,
        _ => Some(found),
    };
    (Finding::of(cause).with(facts), handed)
}

/// The first endpoint whose origin (scheme, host, port) is not the base URL's.
fn foreign_endpoint(base: &str, endpoints: &[(&str, &str)]) -> Option<DiscoveryCause> {
    let origin = |u: &str| reqwest::Url::parse(u).ok().map(|u| u.origin());
    let expected = origin(base)?;
    let host = |u: &str| reqwest::Url::parse(u).ok().and_then(|u| u.host_str().map(str::to_string));
    endpoints.iter().find(|(_, url)| origin(url).as_ref() != Some(&expected)).map(|(field, url)| {
        DiscoveryCause::ForeignEndpoint {
            field: field.to_string(),
            endpoint: url.to_string(),
            host: host(url).unwrap_or_else(|| "?".into()),
            expected: expected.ascii_serialization(),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_base_url_s_origin_is_trusted() {
        let base = "https://test.maskinporten.no";
        let same = [
            ("token_endpoint", "https://test.maskinporten.no/token"),
            ("jwks_uri", "https://test.maskinporten.no/jwk"),
        ];
        assert!(foreign_endpoint(base, &same).is_none());
        for other in [
            "https://evil.example/token",
            "http://test.maskinporten.no/token",
            "https://test.maskinporten.no:8443/token",
            "not a url",
        ] {
            let Some(DiscoveryCause::ForeignEndpoint { field, .. }) = foreign_endpoint(
                base,
                &[("token_endpoint", "https://test.maskinporten.no/token"), ("jwks_uri", other)],
            ) else {
                panic!("{other} accepted")
            };
            assert_eq!(field, "jwks_uri");
        }
    }
}
