//! The certificate checks, one per file. They read the certificate the sources stage
//! loaded (and the trust anchors, the `--crl` files, the HTTP client for CRLs) through
//! one [`Input`].

pub(crate) mod issuer;
pub(crate) mod key_match;
pub(crate) mod key_strength;
pub(crate) mod org_number;
pub(crate) mod readable;
pub(crate) mod revocation;
pub(crate) mod role;
pub(crate) mod validity;

use serde::Serialize;
use serde_json::Value;

use crate::certificate::facts::CertFacts;
use crate::certificate::load::{LoadError, Material};
use crate::certificate::orgno::OrgReading;
use crate::certificate::trust::TrustStore;
use crate::config::Profile;
use crate::engine::{Facts, Finding};
use crate::http::Http;
use crate::vocab::times::rfc3339;

/// The domain of these checks, as reports group them.
const DOMAIN: &str = "certificate";

crate::check_id!(READABLE = "cert.readable");
crate::check_id!(KEY_MATCH = "cert.key-match");
crate::check_id!(VALIDITY = "cert.validity");
crate::check_id!(ROLE = "cert.role");
crate::check_id!(KEY_STRENGTH = "cert.key-strength");
crate::check_id!(ISSUER = "cert.issuer");
crate::check_id!(REVOCATION = "cert.revocation");
crate::check_id!(ORG_NUMBER = "org.number");

/// What the certificate checks read: the profile and the sources loaded from it.
pub(crate) struct Input<'a> {
    pub(crate) profile: &'a Profile,
    pub(crate) certificate: &'a Result<Material, LoadError>,
    /// A key client's registered key (`--key` with `--kid`, or a JWK naming its kid).
    pub(crate) kid_keys: &'a crate::certificate::load::KeySource,
    pub(crate) trust: &'a TrustStore,
    /// The `--crl` files as read (name, bytes).
    pub(crate) crl_files: &'a [(String, Vec<u8>)],
    pub(crate) http: &'a Http,
}

/// Runs `f` on the loaded material; without it, the check is skipped as dependent.
fn with_material(ctx: &Input<'_>, f: impl FnOnce(&Material) -> Finding) -> Finding {
    match &ctx.certificate {
        Ok(m) => f(m),
        Err(_) => Finding::needs(READABLE),
    }
}

/// The facts of a certificate under the keys the JSON schema documents.
pub(crate) fn certificate_facts(c: &CertFacts) -> Facts {
    let mut f = Facts::new();
    f.put("subject", c.subject.clone())
        .put("issuer", c.issuer.clone())
        .put("serial", c.serial.clone())
        .put("thumbprint_sha1", c.thumbprint.to_string())
        .put("not_before", rfc3339(c.not_before))
        .put("not_after", rfc3339(c.not_after));
    if let OrgReading::Found { number, source } = &c.org {
        f.put("org_number", number.to_string()).put("org_number_source", source.as_str());
    }
    if let Some(class) = &c.classification {
        f.put("family", json(&class.family))
            .put("generation", json(&class.generation))
            .put("cert_env", class.env.as_str());
    }
    f.put("key_usage", key_usage_text(c)).put("role", c.role.as_str()).put("key_algorithm", c.key.describe());
    f.put_opt("eku", c.eku.as_ref().map(|e| e.join(", ")));
    f.extend(&url_facts(c));
    f
}

/// The revocation URLs the certificate names, when it names any.
fn url_facts(c: &CertFacts) -> Facts {
    let mut f = Facts::new();
    for (key, urls) in [("crl_urls", &c.crl_urls), ("ocsp_urls", &c.ocsp_urls)] {
        if !urls.is_empty() {
            f.put(key, urls.clone());
        }
    }
    f
}

fn json(v: &impl Serialize) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

fn key_usage_text(c: &CertFacts) -> String {
    match &c.key_usage {
        Some(ku) => ku.join(", "),
        None => "(none: any use)".into(),
    }
}
