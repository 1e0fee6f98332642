//! Loading: read the certificate file, tell PEM, DER and PKCS#12 apart by content, decode.

use std::path::{Path, PathBuf};

use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use serde::Serialize;

use super::der;
use super::facts::{CertFacts, Role};
use super::key::{self, JwkFault, KeyDecodeError, PrivateKey};
use super::pkcs12_mac;
use crate::config::Profile;
use crate::vocab::Thumbprint;

/// Largest file read as a certificate, key or PKCS#12 (real ones are a few KiB).
pub(crate) const MAX_FILE: u64 = crate::files::MAX_CERTIFICATE;

/// The container a certificate came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FileFormat {
    #[serde(rename = "PEM")]
    Pem,
    #[serde(rename = "DER")]
    Der,
    #[serde(rename = "PKCS#12")]
    Pkcs12,
}

impl FileFormat {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FileFormat::Pem => "PEM",
            FileFormat::Der => "DER",
            FileFormat::Pkcs12 => "PKCS#12",
        }
    }
}

/// One end-entity certificate of the file, with its facts.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub(crate) der: CertificateDer<'static>,
    pub(crate) facts: CertFacts,
}

/// How the certificate the checks judge was chosen among those in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub(crate) enum Selection {
    Only,
    Thumbprint,
    MatchesKey,
    Authentication,
    First,
}

/// What the private key source gave.
#[derive(Debug, Clone)]
pub enum KeySource {
    /// Keys found (in the certificate file or the key file).
    Found(Vec<PrivateKey>),
    /// No key anywhere: only the certificate was given.
    Absent,
    /// A key is there but could not be read.
    Problem(KeyProblem),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum KeyProblem {
    KeyFileNotFound {
        path: String,
    },
    KeyFileUnreadable {
        path: String,
        reason: String,
    },
    KeyFileIsDirectory {
        path: String,
    },
    KeyFilePermissionDenied {
        path: String,
    },
    /// A FIFO or device with nothing to read within the time limit.
    KeyFileNoAnswer {
        path: String,
        seconds: u64,
        kind: String,
    },
    KeyFileNotAKey {
        path: String,
    },
    KeyPasswordNeeded {
        path: String,
    },
    KeyWrongPassword {
        path: String,
    },
    KeyLegacyEncryptedPem {
        path: String,
    },
    KeyUnsupported {
        path: String,
        detail: String,
    },
    /// A JWK of another key type than RSA.
    KeyJwkNotRsa {
        path: String,
        kty: String,
    },
    /// The public half of a JWK only.
    KeyJwkPublicOnly {
        path: String,
        member: String,
    },
    KeyJwkBroken {
        path: String,
        member: String,
    },
    KeyJwkTooWeak {
        path: String,
        bits: usize,
    },
}

/// The certificate material of a profile: the chosen certificate, the rest of the
/// file, and the private key.
#[derive(Debug, Clone)]
pub struct Material {
    pub(crate) path: PathBuf,
    pub(crate) format: FileFormat,
    pub(crate) leaf: Candidate,
    pub(crate) selection: Selection,
    /// The other end-entity certificates in the file (a Buypass set has two).
    pub(crate) others: Vec<Candidate>,
    /// CA certificates that came with the file.
    pub(crate) chain: Vec<CertificateDer<'static>>,
    pub(crate) keys: KeySource,
}

impl Material {
    /// The key that belongs to the chosen certificate, if the file holds it.
    pub fn matching_key(&self) -> Option<&PrivateKey> {
        match &self.keys {
            KeySource::Found(keys) => keys.iter().find(|k| k.matches(&self.leaf.facts.key)),
            _ => None,
        }
    }
}

/// Why no certificate could be read. Each is its own cause of `cert.readable`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
pub enum LoadError {
    NoSource,
    ThumbprintOnly {
        thumbprint: String,
    },
    NotFound {
        path: String,
    },
    IsDirectory {
        path: String,
    },
    Unreadable {
        path: String,
        reason: String,
    },
    PermissionDenied {
        path: String,
    },
    /// A FIFO or device with nothing to read within the time limit.
    NoAnswer {
        path: String,
        seconds: u64,
        kind: String,
    },
    Empty {
        path: String,
    },
    TooLarge {
        path: String,
        limit_kib: u64,
    },
    Unrecognised {
        path: String,
    },
    Truncated {
        path: String,
        format: String,
        have: usize,
        need: usize,
    },
    /// A PEM block that begins and never ends (a file cut short, or pasted in part).
    PemNoEnd {
        path: String,
        label: String,
        missing: String,
    },
    OnlyPrivateKey {
        path: String,
    },
    PasswordNeeded {
        path: String,
    },
    WrongPassword {
        path: String,
        /// Where the password came from (`ALTINN_DOCTOR_CERT_PASSWORD_FILE (/run/pw)`).
        from: String,
    },
    Pkcs12Damaged {
        path: String,
        detail: String,
    },
    Pkcs12Unsupported {
        path: String,
        detail: String,
    },
    BadCertificate {
        path: String,
        detail: String,
    },
    NoCertificate {
        path: String,
    },
    OnlyCaCertificates {
        path: String,
        subjects: Vec<String>,
    },
    ThumbprintNotFound {
        path: String,
        thumbprint: String,
        found: Vec<String>,
    },
}

/// A file's bytes decoded into certificates and keys.
struct Decoded {
    format: FileFormat,
    certs: Vec<CertificateDer<'static>>,
    keys: Result<Vec<PrivateKey>, KeyDecodeError>,
}

/// Loads the profile's certificate source.
pub fn load(profile: &Profile) -> Result<Material, LoadError> {
    let Some(path) = &profile.cert else {
        return Err(match &profile.thumbprint {
            Some(t) => LoadError::ThumbprintOnly { thumbprint: t.to_string() },
            None => LoadError::NoSource,
        });
    };
    let shown = path.display().to_string();
    let password = profile.secrets.cert_password.as_ref().map(|s| s.expose());
    let bytes = read_limited(path).map_err(|e| e.into_load_error(&shown))?;
    let key_file = profile.key.as_ref().map(|key_path| load_key_file(key_path, password));
    from_bytes(path, &bytes, password, key_file, profile.thumbprint.as_ref()).map_err(|e| match e {
        LoadError::WrongPassword { path, .. } => LoadError::WrongPassword { path, from: password_from(profile) },
        other => other,
    })
}

/// Where the certificate's password came from, for a sentence that sends the user there.
fn password_from(profile: &Profile) -> String {
    profile.secrets.cert_password_from.clone().unwrap_or_else(|| "ALTINN_DOCTOR_CERT_PASSWORD".into())
}

/// Decodes a certificate file's bytes (PEM, DER or PKCS#12) into the material the checks
/// judge; `key_file` is what a separate `--key` gave, if any. The entry of the fuzz target.
pub fn from_bytes(
    path: &Path,
    bytes: &[u8],
    password: Option<&str>,
    key_file: Option<KeySource>,
    thumbprint: Option<&Thumbprint>,
) -> Result<Material, LoadError> {
    let shown = path.display().to_string();
    let decoded = decode(bytes, password, &shown)?;
    let keys = match key_file {
        Some(keys) => keys,
        None => match decoded.keys {
            Ok(keys) if keys.is_empty() => KeySource::Absent,
            Ok(keys) => KeySource::Found(keys),
            Err(e) => KeySource::Problem(key_problem(e, &shown)),
        },
    };
    assemble(path, decoded.format, decoded.certs, keys, thumbprint)
}

fn assemble(
    path: &Path,
    format: FileFormat,
    certs: Vec<CertificateDer<'static>>,
    keys: KeySource,
    thumbprint: Option<&Thumbprint>,
) -> Result<Material, LoadError> {
    let shown = path.display().to_string();
    if certs.is_empty() {
        return Err(match keys {
            KeySource::Found(_) => LoadError::OnlyPrivateKey { path: shown },
            _ => LoadError::NoCertificate { path: shown },
        });
    }
    let mut leaves = Vec::new();
    let mut chain = Vec::new();
    let mut all_thumbprints = Vec::new();
    for der in certs {
        let facts =
            CertFacts::read(&der).map_err(|e| LoadError::BadCertificate { path: shown.clone(), detail: e.0 })?;
        all_thumbprints.push(facts.thumbprint.to_string());
        if facts.is_ca && thumbprint != Some(&facts.thumbprint) {
            chain.push(der);
        } else {
            leaves.push(Candidate { der, facts });
        }
    }
    if leaves.is_empty() && thumbprint.is_none() {
        // A self-made CA-flagged certificate given as the enterprise certificate:
        // judge it (the issuer check will say what it is) rather than refuse the file.
        let keyed = chain.iter().position(|d| match (&keys, CertFacts::read(d)) {
            (KeySource::Found(ks), Ok(f)) => ks.iter().any(|k| k.matches(&f.key)),
            _ => false,
        });
        let pick = keyed.or((chain.len() == 1).then_some(0));
        if let Some(i) = pick {
            let der = chain.remove(i);
            let facts =
                CertFacts::read(&der).map_err(|e| LoadError::BadCertificate { path: shown.clone(), detail: e.0 })?;
            leaves.push(Candidate { der, facts });
        }
    }
    if leaves.is_empty() {
        let subjects =
            chain.iter().filter_map(|d| CertFacts::read(d).ok()).map(|f| f.subject_cn.unwrap_or(f.subject)).collect();
        return Err(match thumbprint {
            Some(t) => LoadError::ThumbprintNotFound { path: shown, thumbprint: t.to_string(), found: all_thumbprints },
            None => LoadError::OnlyCaCertificates { path: shown, subjects },
        });
    }
    let (index, selection) = select(&leaves, &keys, thumbprint).ok_or_else(|| LoadError::ThumbprintNotFound {
        path: shown.clone(),
        thumbprint: thumbprint.map(|t| t.to_string()).unwrap_or_default(),
        found: all_thumbprints.clone(),
    })?;
    let leaf = leaves.remove(index);
    Ok(Material { path: path.to_path_buf(), format, leaf, selection, others: leaves, chain, keys })
}

/// Chooses the certificate to judge: the thumbprint's; else one whose key is in the
/// file, preferring an authentication certificate; else the authentication one.
fn select(leaves: &[Candidate], keys: &KeySource, thumbprint: Option<&Thumbprint>) -> Option<(usize, Selection)> {
    if let Some(t) = thumbprint {
        return leaves.iter().position(|c| &c.facts.thumbprint == t).map(|i| (i, Selection::Thumbprint));
    }
    if leaves.len() == 1 {
        return Some((0, Selection::Only));
    }
    let has_key = |c: &Candidate| match keys {
        KeySource::Found(keys) => keys.iter().any(|k| k.matches(&c.facts.key)),
        _ => false,
    };
    let auth = |c: &Candidate| c.facts.role == Role::Authentication && c.facts.eku_allows_client_auth;
    let pick = |pred: &dyn Fn(&Candidate) -> bool| leaves.iter().position(pred);
    pick(&|c| has_key(c) && auth(c))
        .map(|i| (i, Selection::MatchesKey))
        .or_else(|| pick(&|c| has_key(c)).map(|i| (i, Selection::MatchesKey)))
        .or_else(|| pick(&auth).map(|i| (i, Selection::Authentication)))
        .or(Some((0, Selection::First)))
}

enum ReadError {
    NotFound,
    IsDirectory,
    TooLarge,
    PermissionDenied,
    NoAnswer { seconds: u64, kind: &'static str },
    Other(String),
}

impl ReadError {
    fn into_load_error(self, path: &str) -> LoadError {
        let path = path.to_string();
        match self {
            ReadError::NotFound => LoadError::NotFound { path },
            ReadError::IsDirectory => LoadError::IsDirectory { path },
            ReadError::TooLarge => LoadError::TooLarge { path, limit_kib: MAX_FILE / 1024 },
            ReadError::PermissionDenied => LoadError::PermissionDenied { path },
            ReadError::NoAnswer { seconds, kind } => LoadError::NoAnswer { path, seconds, kind: kind.into() },
            ReadError::Other(reason) => LoadError::Unreadable { path, reason },
        }
    }
}

fn read_limited(path: &Path) -> Result<Vec<u8>, ReadError> {
    use crate::files::FileError;
    crate::files::read(path, MAX_FILE).map_err(|e| match e {
        FileError::NotFound => ReadError::NotFound,
        FileError::IsDirectory => ReadError::IsDirectory,
        FileError::TooLarge { .. } => ReadError::TooLarge,
        FileError::PermissionDenied => ReadError::PermissionDenied,
        FileError::TimedOut { kind, seconds } => ReadError::NoAnswer { seconds, kind },
        FileError::Other(reason) => ReadError::Other(reason),
    })
}

/// What the first bytes of a DER file say it is.
enum DerShape {
    Pkcs12,
    PrivateKey,
    Certificate,
    Unknown,
}

/// Tells the format by content: PEM text, or DER whose first element tells a
/// PKCS#12 (INTEGER 3), a private key (INTEGER 0) and a certificate (SEQUENCE) apart.
fn decode(bytes: &[u8], password: Option<&str>, shown: &str) -> Result<Decoded, LoadError> {
    let path = shown.to_string();
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(LoadError::Empty { path });
    }
    if find(bytes, b"-----BEGIN ").is_some() {
        return decode_pem(bytes, password, shown);
    }
    let Some((header_len, body_len)) = der_header(bytes) else {
        return Err(LoadError::Unrecognised { path });
    };
    let shape = der_shape(&bytes[header_len..]);
    let need = header_len + body_len;
    if need > bytes.len() {
        return match shape {
            DerShape::Unknown => Err(LoadError::Unrecognised { path }),
            DerShape::Pkcs12 => Err(LoadError::Truncated { path, format: "PKCS#12".into(), have: bytes.len(), need }),
            _ => Err(LoadError::Truncated { path, format: "DER".into(), have: bytes.len(), need }),
        };
    }
    let bytes = &bytes[..need];
    match shape {
        DerShape::Pkcs12 => decode_pkcs12(bytes, password, shown),
        DerShape::PrivateKey => Err(LoadError::OnlyPrivateKey { path }),
        DerShape::Certificate => Ok(Decoded {
            format: FileFormat::Der,
            certs: vec![CertificateDer::from(bytes.to_vec())],
            keys: Ok(Vec::new()),
        }),
        DerShape::Unknown => Err(LoadError::Unrecognised { path }),
    }
}

fn der_shape(body: &[u8]) -> DerShape {
    match body.first() {
        Some(0x02) => match body.get(1..3) {
            Some([1, 3]) => DerShape::Pkcs12,
            Some([1, 0]) => DerShape::PrivateKey,
            _ => DerShape::Unknown,
        },
        Some(0x30) => DerShape::Certificate,
        _ => DerShape::Unknown,
    }
}

/// The header and body length of a DER SEQUENCE at the start of `bytes`.
fn der_header(bytes: &[u8]) -> Option<(usize, usize)> {
    if bytes.first() != Some(&0x30) {
        return None;
    }
    der::header(bytes)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn decode_pem(bytes: &[u8], password: Option<&str>, shown: &str) -> Result<Decoded, LoadError> {
    if let Some(label) = unended_pem_block(bytes) {
        return Err(LoadError::PemNoEnd { path: shown.into(), missing: format!("-----END {label}-----"), label });
    }
    let mut certs = Vec::new();
    for item in CertificateDer::pem_slice_iter(bytes) {
        match item {
            Ok(c) => certs.push(c.into_owned()),
            Err(e) => {
                return Err(LoadError::BadCertificate { path: shown.into(), detail: format!("PEM: {e}") });
            }
        }
    }
    Ok(Decoded { format: FileFormat::Pem, certs, keys: pem_keys(bytes, password) })
}

/// The label of the first `-----BEGIN label-----` without its `-----END label-----`.
fn unended_pem_block(bytes: &[u8]) -> Option<String> {
    let mut rest = bytes;
    while let Some(start) = find(rest, b"-----BEGIN ") {
        let after = &rest[start + 11..];
        let label_end = find(after, b"-----")?;
        let label = String::from_utf8_lossy(&after[..label_end]).into_owned();
        let end = format!("-----END {label}-----");
        match find(after, end.as_bytes()) {
            Some(i) => rest = &after[i + end.len()..],
            None => return Some(label.chars().take(40).collect()),
        }
    }
    None
}

/// The private keys of a PEM file: plain, encrypted PKCS#8, or (refused with a
/// clear message) the legacy OpenSSL `Proc-Type: 4,ENCRYPTED` form.
fn pem_keys(bytes: &[u8], password: Option<&str>) -> Result<Vec<PrivateKey>, KeyDecodeError> {
    if find(bytes, b"Proc-Type: 4,ENCRYPTED").is_some() {
        return Err(KeyDecodeError::Unsupported("legacy-encrypted-pem".into()));
    }
    let mut keys = Vec::new();
    for block in pem_blocks(bytes, "ENCRYPTED PRIVATE KEY") {
        keys.push(key::decrypt_pkcs8(&block, password)?);
    }
    for item in PrivateKeyDer::pem_slice_iter(bytes) {
        match item {
            Ok(k) => keys.push(PrivateKey::new(k.clone_key())),
            Err(_) => return Err(KeyDecodeError::NotAKey),
        }
    }
    Ok(keys)
}

/// The DER of each PEM block with `label`.
fn pem_blocks(bytes: &[u8], label: &str) -> Vec<Vec<u8>> {
    let begin = format!("-----BEGIN {label}-----");
    let end = format!("-----END {label}-----");
    let mut out = Vec::new();
    let mut rest = bytes;
    while let Some(start) = find(rest, begin.as_bytes()) {
        let Some(stop) = find(&rest[start..], end.as_bytes()) else {
            break;
        };
        let block = &rest[start..start + stop + end.len()];
        if let Ok((_, der)) = pem_rfc7468::decode_vec(block) {
            out.push(der);
        }
        rest = &rest[start + stop + end.len()..];
    }
    out
}

fn decode_pkcs12(bytes: &[u8], password: Option<&str>, shown: &str) -> Result<Decoded, LoadError> {
    use p12_keystore::error::Error as P12Error;
    let path = shown.to_string();
    if let Some(pw) = password.filter(|p| pkcs12_mac::beyond_bmp(p)) {
        return decode_pkcs12_beyond_bmp(bytes, pw, shown);
    }
    // Some PKCS#12 files have no password; try the empty one before asking for one.
    let tried = password.unwrap_or("");
    let archive = p12_keystore::Pkcs12Archive::from_pkcs12(bytes, tried).map_err(|e| match e {
        P12Error::MacError(_) | P12Error::UnpadError | P12Error::Pkcs5Error(_) if password.is_none() => {
            LoadError::PasswordNeeded { path: path.clone() }
        }
        P12Error::MacError(_) => mac_failed(bytes, tried, &path),
        // The MAC verified with this password, so the password is right: the contents are damaged.
        P12Error::UnpadError | P12Error::Pkcs5Error(_) if pkcs12_without_mac(bytes).is_some() => {
            LoadError::Pkcs12Damaged {
                path: path.clone(),
                detail: "the contents do not decrypt although the integrity check passes".into(),
            }
        }
        P12Error::UnpadError | P12Error::Pkcs5Error(_) => {
            LoadError::WrongPassword { path: path.clone(), from: String::new() }
        }
        P12Error::UnsupportedEncryptionScheme
        | P12Error::UnsupportedMacAlgorithm
        | P12Error::UnsupportedContentType => {
            LoadError::Pkcs12Unsupported { path: path.clone(), detail: e.to_string() }
        }
        other => LoadError::Pkcs12Damaged { path: path.clone(), detail: other.to_string() },
    })?;
    Ok(decoded(&archive))
}

fn decoded(archive: &p12_keystore::Pkcs12Archive) -> Decoded {
    let certs = archive.certs.iter().map(|c| CertificateDer::from(c.cert.as_der().to_vec())).collect();
    let keys = archive.keys.iter().map(|k| key::from_der(k.key.as_der(), None)).collect::<Result<Vec<_>, _>>();
    Decoded { format: FileFormat::Pkcs12, certs, keys }
}

/// A password with characters beyond the BMP (an emoji), as OpenSSL writes it: the MAC
/// is checked here (UTF-16 with surrogates), the contents opened without it. AES
/// (PBES2) contents take the password as UTF-8 and open; the legacy ciphers cannot.
fn decode_pkcs12_beyond_bmp(bytes: &[u8], password: &str, shown: &str) -> Result<Decoded, LoadError> {
    let path = shown.to_string();
    let contents = match pkcs12_mac::verify(bytes, password) {
        Some(false) => return Err(mac_failed(bytes, password, shown)),
        Some(true) => pkcs12_without_mac(bytes).unwrap_or_else(|| bytes.to_vec()),
        None => bytes.to_vec(),
    };
    match p12_keystore::Pkcs12Archive::from_pkcs12(&contents, password) {
        Ok(archive) => Ok(decoded(&archive)),
        Err(p12_keystore::error::Error::DerError(_)) => Err(LoadError::Pkcs12Unsupported {
            path,
            detail: "the password has a character outside Unicode's Basic Multilingual Plane (an emoji), which only \
                     AES-protected PKCS#12 files (OpenSSL 3's default) can use: export the file again without -legacy, \
                     or choose another password"
                .into(),
        }),
        Err(_) => Err(LoadError::WrongPassword { path, from: String::new() }),
    }
}

/// The integrity check (MAC) failed: a wrong password, or a damaged file. Each part of
/// the contents is tried on its own, without the MAC: if the password opens any part, it
/// is right, and the file is damaged. Where no part opens, the two cannot be told apart.
/// (The password is tried against the local file only, never a service.)
fn mac_failed(bytes: &[u8], password: &str, path: &str) -> LoadError {
    let opened = pkcs12_parts(bytes)
        .unwrap_or_default()
        .iter()
        .any(|part| p12_keystore::Pkcs12Archive::from_pkcs12(part, password).is_ok());
    match opened {
        true => LoadError::Pkcs12Damaged {
            path: path.into(),
            detail: "the integrity check (MAC) fails although the password opens the contents".into(),
        },
        false => LoadError::WrongPassword { path: path.into(), from: String::new() },
    }
}

/// One PFX without MAC for each part (ContentInfo) of the authenticated safe.
/// PFX ::= SEQUENCE { version, authSafe ContentInfo { OID data, [0] OCTET STRING
/// { SEQUENCE OF ContentInfo } }, macData OPTIONAL }.
fn pkcs12_parts(bytes: &[u8]) -> Option<Vec<Vec<u8>>> {
    let top = der::elements(der::value(bytes)?)?;
    let (version, auth_safe) = (top.first()?, top.get(1)?);
    let auth = der::elements(der::value(auth_safe)?)?;
    let oid = auth.first()?;
    let safes = der::value(der::value(der::value(auth.get(1)?)?)?)?;
    let parts = der::elements(safes)?
        .into_iter()
        .map(|safe| {
            let octets = der::wrap(0x04, &der::wrap(0x30, safe));
            let auth = der::wrap(0x30, &[oid, der::wrap(0xa0, &octets).as_slice()].concat());
            der::wrap(0x30, &[version, auth.as_slice()].concat())
        })
        .collect();
    Some(parts)
}

/// The same PFX without its `macData`, or `None` when it has none (or is not a PFX).
fn pkcs12_without_mac(bytes: &[u8]) -> Option<Vec<u8>> {
    let top = der::elements(der::value(bytes)?)?;
    let [version, auth_safe, _mac] = top.as_slice() else { return None };
    Some(der::wrap(0x30, &[*version, *auth_safe].concat()))
}

/// Why a key file could not be read.
fn key_file_problem(e: ReadError, path: String) -> KeyProblem {
    match e {
        ReadError::NotFound => KeyProblem::KeyFileNotFound { path },
        ReadError::IsDirectory => KeyProblem::KeyFileIsDirectory { path },
        ReadError::TooLarge => KeyProblem::KeyFileNotAKey { path },
        ReadError::PermissionDenied => KeyProblem::KeyFilePermissionDenied { path },
        ReadError::NoAnswer { seconds, kind } => KeyProblem::KeyFileNoAnswer { path, seconds, kind: kind.into() },
        ReadError::Other(reason) => KeyProblem::KeyFileUnreadable { path, reason },
    }
}

/// Reads a private key file on its own (a `kid` client needs no certificate).
pub(crate) fn load_key_file(path: &Path, password: Option<&str>) -> KeySource {
    let shown = path.display().to_string();
    let bytes = match read_limited(path) {
        Ok(b) => b,
        Err(e) => return KeySource::Problem(key_file_problem(e, shown)),
    };
    keys_from_bytes(&bytes, password, &shown)
}

/// The `kid` of a key file that is a JWK (JSON or base64 of it), when it names one.
pub(crate) fn jwk_kid(path: &Path) -> Option<String> {
    let bytes = read_limited(path).ok()?;
    key::from_jwk(&bytes)?.ok()?.1
}

/// The private keys of a key file's bytes (a JWK, PEM or DER). The entry of the fuzz target.
pub fn keys_from_bytes(bytes: &[u8], password: Option<&str>, shown: &str) -> KeySource {
    let keys = if let Some(jwk) = key::from_jwk(bytes) {
        jwk.map(|(k, _)| vec![k])
    } else if find(bytes, b"-----BEGIN ").is_some() {
        pem_keys(bytes, password)
    } else {
        key::from_der(bytes, password).map(|k| vec![k])
    };
    match keys {
        Ok(keys) if keys.is_empty() => KeySource::Problem(KeyProblem::KeyFileNotAKey { path: shown.into() }),
        Ok(keys) => KeySource::Found(keys),
        Err(e) => KeySource::Problem(key_problem(e, shown)),
    }
}

fn key_problem(e: KeyDecodeError, shown: &str) -> KeyProblem {
    let path = shown.to_string();
    match e {
        KeyDecodeError::NotAKey => KeyProblem::KeyFileNotAKey { path },
        KeyDecodeError::PasswordNeeded => KeyProblem::KeyPasswordNeeded { path },
        KeyDecodeError::WrongPassword => KeyProblem::KeyWrongPassword { path },
        KeyDecodeError::Unsupported(d) if d == "legacy-encrypted-pem" => KeyProblem::KeyLegacyEncryptedPem { path },
        KeyDecodeError::Unsupported(detail) => KeyProblem::KeyUnsupported { path, detail },
        KeyDecodeError::Jwk(fault) => match fault {
            JwkFault::NotRsa { kty } => KeyProblem::KeyJwkNotRsa { path, kty },
            JwkFault::PublicOnly { member } => KeyProblem::KeyJwkPublicOnly { path, member },
            JwkFault::Broken { member } => KeyProblem::KeyJwkBroken { path, member },
            JwkFault::TooWeak { bits } => KeyProblem::KeyJwkTooWeak { path, bits },
        },
    }
}
