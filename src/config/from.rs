//! `--from FILE`: the Maskinporten settings other tools keep (Altinn's .NET client's
//! `MaskinportenSettings` section, the app libraries' and studioctl's files, a named
//! wrapper around either), read into a layer of the doctor's own settings
//! (CONTRACTS-APIS §8). The key itself is read by `--key`, which takes the same file.

use std::path::Path;

use serde_json::{Map, Value};

use super::layers::{Layer, Origin, Raw, RawValue};
use super::{ConfigError, settings};
use crate::vocab::Problem;

/// How deep single-key wrappers (`{"my-app--MaskinportenSettings": {…}}`) are unwrapped.
const MAX_WRAPPERS: usize = 4;

/// The settings of one file, under the names the doctor gives them.
pub(crate) fn layer(path: &Path) -> Result<Layer, ConfigError> {
    let fail = |problem: Problem| ConfigError::flag("--from", problem);
    let bytes = crate::files::read(path, crate::files::MAX_CONFIG)
        .map_err(|e| fail(Problem::cannot_read(path, e.problem())))?;
    let value: Value =
        serde_json::from_slice(&bytes).map_err(|e| fail(Problem::NotSettings { reason: e.to_string() }))?;
    let (section, table) = unwrap(&value).ok_or_else(|| fail(Problem::NotSettings { reason: "no clientId".into() }))?;
    let origin = |key: &str| Origin::File {
        path: path.to_path_buf(),
        table: if table.is_empty() { key.to_string() } else { format!("{table}.{key}") },
    };
    let base = path.parent().map(Path::to_path_buf);
    let mut layer = Layer::default();
    let mut put = |name: &str, key: &str, value: RawValue| {
        layer.insert(name, Raw { value, origin: origin(key), base: base.clone() });
    };
    for (key, value) in section {
        let text = match value {
            Value::String(s) => s.trim().to_string(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        };
        match key.to_ascii_lowercase().as_str() {
            "clientid" => put(settings::CLIENT_ID.name, key, RawValue::Text(text)),
            "scope" => put(settings::SCOPE.name, key, RawValue::Text(text)),
            "resource" if !text.is_empty() => put(settings::RESOURCE.name, key, RawValue::Text(text)),
            "environment" => put(settings::ENV.name, key, RawValue::Text(text)),
            "authority" => authority(&text, |name, v| put(name, key, RawValue::Text(v))),
            "kid" if !text.is_empty() => put(settings::KID.name, key, RawValue::Text(text)),
            "consumerorgno" if !text.is_empty() => put(settings::CONSUMER_ORG.name, key, RawValue::Text(text)),
            "certificatepkcs12path" => put(settings::CERT.name, key, RawValue::Text(text)),
            "certificatepkcs12password" => put(settings::CERT_PASSWORD.name, key, RawValue::Text(text)),
            "certificatestorethumbprint" => put(settings::THUMBPRINT.name, key, RawValue::Text(text)),
            // The key is the file's own: `--key` unwraps it to its JWK.
            "jwk" | "jwkbase64" | "encodedjwk" => {
                put(settings::KEY.name, key, RawValue::Text(path.display().to_string()))
            }
            "encodedx509" => return Err(fail(Problem::SettingsCertificate { field: key.clone() })),
            _ => {}
        }
    }
    Ok(layer)
}

/// The section that holds the credentials, and its path: the object itself when it
/// names a client, else its `MaskinportenSettings`, else the one member of a wrapper.
fn unwrap(value: &Value) -> Option<(&Map<String, Value>, String)> {
    let mut here = value.as_object()?;
    let mut path = Vec::new();
    for _ in 0..=MAX_WRAPPERS {
        if here.keys().any(|k| k.eq_ignore_ascii_case("clientId")) {
            return Some((here, path.join(".")));
        }
        let inner = here.iter().find(|(k, _)| k.eq_ignore_ascii_case("MaskinportenSettings"));
        let (key, next) = match inner {
            Some(found) => found,
            None if here.len() == 1 => here.iter().next()?,
            None => return None,
        };
        path.push(key.clone());
        here = next.as_object()?;
    }
    None
}

/// An `authority` (`https://test.maskinporten.no/`): the environment it names, or, for
/// another host, Maskinporten's base URL.
fn authority(text: &str, mut put: impl FnMut(&str, String)) {
    let host = reqwest::Url::parse(text).ok().and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    match host.as_deref() {
        Some("test.maskinporten.no") => put(settings::ENV.name, "test".into()),
        Some("maskinporten.no") => put(settings::ENV.name, "prod".into()),
        _ => put(settings::MASKINPORTEN_URL.name, text.trim_end_matches('/').to_string()),
    }
}
