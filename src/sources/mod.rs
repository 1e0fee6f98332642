//! The sources stage: everything the checks read from outside (the certificate and its
//! keys, the trust anchors, the `--crl` files, the HTTP clients) loaded once from the
//! profile before any check runs. No check reads a file.

use crate::certificate::load::{KeySource, LoadError, Material, load_key_file};
use crate::certificate::trust::AnchorOrigin;
use crate::certificate::{self, TrustStore};
use crate::config::{ConfigError, Origin, Profile};
use crate::http::Http;
use crate::vocab::Problem;
use std::sync::Arc;

pub(crate) mod logins;
use logins::Logins;

/// What the checks read: the profile and the sources loaded from it.
pub struct Sources {
    pub(crate) profile: Profile,
    /// The certificate (and key) the profile names, or why it could not be loaded.
    pub(crate) certificate: Result<Material, LoadError>,
    /// For a `kid` client: the registered key (the certificate's, or `--key`'s).
    pub(crate) kid_keys: KeySource,
    pub(crate) trust: TrustStore,
    /// The `--crl` files as read (name, bytes): a named file that cannot be read is a
    /// usage error, found before any check.
    pub(crate) crl_files: Vec<(String, Vec<u8>)>,
    pub(crate) http: Http,
    /// HTTP/1.1 only: for the Altinn 2 API, whose reason phrases carry the diagnosis.
    pub(crate) http1: Http,
    /// The enterprise-user logins sent in this run (by every profile of it).
    pub(crate) logins: Arc<Logins>,
}

/// A `--key` that is a JWK naming its `kid`, with no `--kid` and no certificate: the
/// client proves itself with that registered key (as Altinn's clients and NAIS do).
fn with_jwk_kid(mut profile: Profile) -> Profile {
    if profile.maskinporten.kid.is_none()
        && profile.cert.is_none()
        && let Some(kid) = profile.key.as_deref().and_then(crate::certificate::load::jwk_kid)
    {
        profile.maskinporten.kid = Some(kid);
    }
    profile
}

/// The key a `kid` client signs with: the certificate's when it loaded, else `--key`.
fn kid_keys(profile: &Profile, certificate: &Result<Material, LoadError>) -> KeySource {
    if profile.maskinporten.kid.is_none() {
        return KeySource::Absent;
    }
    match (certificate, &profile.key) {
        (Ok(m), _) => m.keys.clone(),
        (Err(_), Some(path)) => load_key_file(path, profile.secrets.cert_password.as_ref().map(|s| s.expose())),
        (Err(_), None) => KeySource::Absent,
    }
}

/// HTTP clients kept for the profiles of one `--all-profiles` run that set them up alike
/// (the same CA files, proxies, deadline): their connections are reused, and the system's
/// roots are loaded once.
#[derive(Default)]
pub(crate) struct Clients {
    kept: std::sync::Mutex<Vec<(String, Http, Http)>>,
    /// Certificates already loaded for a profile of the run, by file, key file,
    /// thumbprint and password: a vendor's customers often share one certificate.
    certificates: std::sync::Mutex<Vec<(CertificateKey, Result<Material, LoadError>)>>,
    /// The run's enterprise-user logins: each user and password is sent once per run.
    logins: Arc<Logins>,
}

/// What decides a loaded certificate.
#[derive(PartialEq)]
struct CertificateKey {
    cert: Option<std::path::PathBuf>,
    key: Option<std::path::PathBuf>,
    thumbprint: Option<String>,
    password: Option<crate::vocab::Secret>,
}

impl CertificateKey {
    fn of(profile: &Profile) -> CertificateKey {
        CertificateKey {
            cert: profile.cert.clone(),
            key: profile.key.clone(),
            thumbprint: profile.thumbprint.as_ref().map(|t| t.to_string()),
            password: profile.secrets.cert_password.clone(),
        }
    }
}

impl Clients {
    fn key(profile: &Profile) -> String {
        let p = &profile.proxy;
        format!(
            "{:?}|{:?}|{:?}|{:?}|{:?}|{}|{}",
            profile.ca_files, p.https, p.http, p.no_proxy, profile.deadline, profile.offline, profile.verbose
        )
    }

    /// The clients for `profile`, built once per set-up; each run gets its own memory of
    /// the endpoints that asked to be left alone.
    fn for_profile(&self, profile: &Profile, trust: &TrustStore) -> Result<(Http, Http), ConfigError> {
        let key = Clients::key(profile);
        let mut kept = self.kept.lock().map_err(|_| ConfigError::flag("--all-profiles", Problem::ClientsBroken))?;
        if let Some((_, http, http1)) = kept.iter().find(|(k, _, _)| *k == key) {
            let http = http.fresh();
            let http1 = http.sibling_of(http1);
            return Ok((http, http1));
        }
        let (http, http1) = http_clients(profile, trust)?;
        kept.push((key, http.clone(), http1.clone()));
        Ok((http, http1))
    }

    /// The profile's certificate, loaded once per file, key, thumbprint and password.
    fn certificate(&self, profile: &Profile) -> Result<Material, LoadError> {
        let key = CertificateKey::of(profile);
        if let Ok(loaded) = self.certificates.lock()
            && let Some((_, material)) = loaded.iter().find(|(k, _)| *k == key)
        {
            return material.clone();
        }
        let material = certificate::load(profile);
        if let Ok(mut loaded) = self.certificates.lock() {
            loaded.push((key, material.clone()));
        }
        material
    }
}

/// Loads the sources the profile names: trust anchors, certificate, HTTP client.
pub fn load(profile: Profile) -> Result<Sources, ConfigError> {
    load_with(profile, None)
}

/// As [`load`], taking the HTTP clients from `shared` when it has them.
pub(crate) fn load_with(profile: Profile, shared: Option<&Clients>) -> Result<Sources, ConfigError> {
    let profile = with_jwk_kid(profile);
    let trust = TrustStore::with_ca_files(&profile.ca_files).map_err(|p| ConfigError::flag("--ca-file", p))?;
    // The certificate (a PKCS#12's key derivation) loads beside the HTTP clients (the
    // system's roots): neither waits for the other.
    let (certificate, clients) = std::thread::scope(|s| {
        let certificate = s.spawn(|| match shared {
            Some(kept) => kept.certificate(&profile),
            None => certificate::load(&profile),
        });
        let clients = match shared {
            Some(kept) => kept.for_profile(&profile, &trust),
            None => http_clients(&profile, &trust),
        };
        (certificate.join(), clients)
    });
    let certificate = certificate.unwrap_or(Err(LoadError::NoSource));
    let (http, http1) = clients?;
    let crl_files = crl_files(&profile)?;
    let kid_keys = kid_keys(&profile, &certificate);
    let logins = shared.map(|kept| kept.logins.clone()).unwrap_or_default();
    Ok(Sources { profile, certificate, kid_keys, trust, crl_files, http, http1, logins })
}

/// The run's two HTTP clients: one for Maskinporten and the Altinn platform (HTTP/2 where
/// offered), one HTTP/1.1 only for the Altinn 2 API.
fn http_clients(profile: &Profile, trust: &TrustStore) -> Result<(Http, Http), ConfigError> {
    let http = Http::new(http_client(profile, trust, false)?, proxies(profile)).logging(profile.verbose);
    let http1 = http.sibling(http_client(profile, trust, true)?);
    Ok((http, http1))
}

/// The `--crl` files as read: one that cannot be read is a usage error.
fn crl_files(profile: &Profile) -> Result<Vec<(String, Vec<u8>)>, ConfigError> {
    profile
        .crl
        .iter()
        .map(|path| {
            let bytes = crate::files::read(path, crate::files::MAX_CRL)
                .map_err(|e| ConfigError::flag("--crl", Problem::cannot_read(path, e.problem())))?;
            Ok((path.display().to_string(), bytes))
        })
        .collect()
}

/// The proxies of the profile, for telling a dead proxy from a dead service.
fn proxies(profile: &Profile) -> crate::http::Proxies {
    let p = &profile.proxy;
    crate::http::Proxies {
        https: p.https.clone(),
        http: p.http.clone(),
        no_proxy: p
            .no_proxy
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::to_string)
            .filter(|s| !s.trim().is_empty())
            .collect(),
    }
}

/// An HTTP client of the run: no redirects ever followed, timeouts, the `--ca-file` CAs trusted beside the system
/// roots (for the simulator and TLS-inspecting proxies), and the proxies. The `http1`
/// one is for the Altinn 2 API, whose reason phrases carry the diagnosis (HTTP/2 has
/// none) and whose redirects are themselves a finding.
fn http_client(profile: &Profile, trust: &TrustStore, http1: bool) -> Result<reqwest::Client, ConfigError> {
    let extra: Vec<reqwest::Certificate> = trust
        .cas
        .iter()
        .filter(|ca| matches!(ca.origin, AnchorOrigin::CaFile { .. }))
        .filter_map(|ca| reqwest::Certificate::from_der(&ca.der).ok())
        .collect();
    // A call may take a third of the run's deadline, and never more than 10 s.
    let call = crate::http::CALL_TIMEOUT.min(profile.deadline / 3);
    let builder = reqwest::Client::builder();
    // An offline run sends nothing: its clients skip loading the system's roots (the
    // larger part of an offline run's time).
    let builder = if profile.offline { builder.tls_certs_only(extra) } else { builder.tls_certs_merge(extra) };
    let mut builder = builder
        .connect_timeout(call)
        .tcp_nodelay(true)
        .timeout(call)
        .user_agent(concat!("altinn-doctor/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy();
    let no_proxy = profile.proxy.no_proxy.as_deref().and_then(reqwest::NoProxy::from_string);
    for (url, https) in [(&profile.proxy.https, true), (&profile.proxy.http, false)] {
        let Some(url) = url else { continue };
        let proxy = if https { reqwest::Proxy::https(url) } else { reqwest::Proxy::http(url) };
        let proxy = proxy.map_err(|_| ConfigError {
            key: "proxy".into(),
            origin: Origin::Env(if https { "HTTPS_PROXY" } else { "HTTP_PROXY" }.into()),
            problem: Box::new(Problem::NotProxy { url: crate::http::mask_credentials(url) }),
        })?;
        builder = builder.proxy(proxy.no_proxy(no_proxy.clone()));
    }
    if http1 {
        builder = builder.http1_only();
    }
    builder.build().map_err(|e| ConfigError::flag("--ca-file", Problem::HttpsSetup { detail: e.to_string() }))
}
