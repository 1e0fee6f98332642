//! Maskinporten's wire types, shared by the client and the simulator (never the logic).

use serde::{Deserialize, Serialize};

/// `/.well-known/oauth-authorization-server`, every field of the real document.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Metadata {
    pub issuer: String,
    pub token_endpoint: String,
    pub jwks_uri: String,
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Vec<String>,
    #[serde(default)]
    pub grant_types_supported: Vec<String>,
    #[serde(default)]
    pub token_endpoint_auth_signing_alg_values_supported: Vec<String>,
    #[serde(default)]
    pub authorization_details_types_supported: Vec<String>,
}

/// A successful token answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TokenResponse {
    /// Masked in `Debug`; only `altinn-doctor token` prints it.
    pub access_token: crate::vocab::Secret,
    pub token_type: String,
    pub expires_in: u64,
    #[serde(default)]
    pub scope: String,
}

/// An error answer: `error`, `error_description` (ending in a trace id), `error_uri`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ErrorResponse {
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_uri: Option<String>,
}

/// The `consumer` (and `systemuser_org`) object.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Party {
    pub authority: String,
    #[serde(rename = "ID")]
    pub id: String,
}

impl Party {
    pub const AUTHORITY: &'static str = "iso6523-actorid-upis";

    pub fn org(orgno: &str) -> Party {
        Party { authority: Party::AUTHORITY.into(), id: format!("0192:{orgno}") }
    }

    /// The org number of a `0192:` identifier.
    pub fn orgno(&self) -> Option<&str> {
        self.id.strip_prefix("0192:")
    }
}

/// The claims of a JWT grant.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct GrantClaims {
    pub aud: String,
    pub iss: String,
    pub scope: String,
    pub iat: i64,
    pub exp: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<serde_json::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub consumer_org: Option<String>,
    /// One `urn:altinn:systemuser` entry for a system-user token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_details: Option<serde_json::Value>,
}

/// The claims of a Maskinporten access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccessTokenClaims {
    pub iss: String,
    pub client_id: String,
    pub client_amr: String,
    pub consumer: Party,
    /// Only for a supplier acting for a consumer (never `null`), with `delegation_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub supplier: Option<Party>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delegation_source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_type: Option<String>,
    pub scope: String,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorization_details: Option<serde_json::Value>,
}

/// `client_amr` for a grant signed with an enterprise certificate.
pub const AMR_CERTIFICATE: &str = "virksomhetssertifikat";
/// `client_amr` for a grant signed with a registered key.
pub const AMR_KEY: &str = "private_key_jwt";
/// The grant type of a JWT bearer grant.
pub const GRANT_TYPE: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// The documented issuers.
pub const ISSUER_TEST: &str = "https://test.maskinporten.no/";
pub const ISSUER_PROD: &str = "https://maskinporten.no/";
/// Retired 10 June 2024; old guides still use it.
pub const ISSUER_VER2: &str = "https://ver2.maskinporten.no/";

/// The codes of the error catalogue (PROTOCOLS.md); texts without a code are `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MpCode {
    #[serde(rename = "MP-011")]
    Mp011,
    #[serde(rename = "MP-012")]
    Mp012,
    #[serde(rename = "MP-100")]
    Mp100,
    #[serde(rename = "MP-110")]
    Mp110,
    #[serde(rename = "MP-120")]
    Mp120,
    #[serde(rename = "MP-121")]
    Mp121,
    #[serde(rename = "MP-122")]
    Mp122,
    #[serde(rename = "MP-123")]
    Mp123,
    #[serde(rename = "MP-124")]
    Mp124,
    #[serde(rename = "MP-130")]
    Mp130,
    #[serde(rename = "MP-200")]
    Mp200,
    #[serde(rename = "MP-201")]
    Mp201,
    #[serde(rename = "MP-250")]
    Mp250,
    #[serde(rename = "MP-251")]
    Mp251,
    #[serde(rename = "MP-301")]
    Mp301,
    #[serde(rename = "MP-302")]
    Mp302,
    #[serde(rename = "MP-303")]
    Mp303,
}

impl MpCode {
    pub const ALL: &'static [MpCode] = &[
        MpCode::Mp011,
        MpCode::Mp012,
        MpCode::Mp100,
        MpCode::Mp110,
        MpCode::Mp120,
        MpCode::Mp121,
        MpCode::Mp122,
        MpCode::Mp123,
        MpCode::Mp124,
        MpCode::Mp130,
        MpCode::Mp200,
        MpCode::Mp201,
        MpCode::Mp250,
        MpCode::Mp251,
        MpCode::Mp301,
        MpCode::Mp302,
        MpCode::Mp303,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MpCode::Mp011 => "MP-011",
            MpCode::Mp012 => "MP-012",
            MpCode::Mp100 => "MP-100",
            MpCode::Mp110 => "MP-110",
            MpCode::Mp120 => "MP-120",
            MpCode::Mp121 => "MP-121",
            MpCode::Mp122 => "MP-122",
            MpCode::Mp123 => "MP-123",
            MpCode::Mp124 => "MP-124",
            MpCode::Mp130 => "MP-130",
            MpCode::Mp200 => "MP-200",
            MpCode::Mp201 => "MP-201",
            MpCode::Mp250 => "MP-250",
            MpCode::Mp251 => "MP-251",
            MpCode::Mp301 => "MP-301",
            MpCode::Mp302 => "MP-302",
            MpCode::Mp303 => "MP-303",
        }
    }

    pub fn parse(text: &str) -> Option<MpCode> {
        MpCode::ALL.iter().copied().find(|c| c.as_str() == text)
    }
}

/// One scope of Digdir's public scope catalogue (`GET {D}/api/v1/scopes/all`,
/// CONTRACTS-APIS §3, example 68): snake_case; absent members mean "not set".
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct ScopeInfo {
    pub prefix: String,
    pub description: String,
    pub subscope: String,
    pub active: bool,
    pub created: String,
    pub last_updated: String,
    pub allowed_integration_types: Vec<String>,
    pub owner_orgno: String,
    /// `SELF_CONTAINED` or `OPAQUE`.
    pub token_type: String,
    /// `PUBLIC` (only these are listed), `PRIVATE`, `INTERNAL`.
    pub visibility: String,
    pub requires_user_consent: bool,
    pub requires_user_authentication: bool,
    pub requires_pseudonymous_tokens: bool,
    /// Set when the owner's customers may delegate the scope to a supplier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delegation_source: Option<String>,
    /// The longest token lifetime, in seconds.
    pub at_max_age: Option<u64>,
    pub authorization_max_lifetime: Option<u64>,
    pub accessible_for_all: bool,
    pub name: String,
    pub protected: bool,
    pub supports_european_businesses: bool,
}

impl ScopeInfo {
    /// The scope's full name: `name`, or `prefix:subscope` when `name` is absent.
    pub fn full_name(&self) -> String {
        if self.name.is_empty() { format!("{}:{}", self.prefix, self.subscope) } else { self.name.clone() }
    }

    /// Whether Maskinporten clients may use it (the integration type, any case).
    pub fn for_maskinporten(&self) -> bool {
        self.allowed_integration_types.iter().any(|t| t.eq_ignore_ascii_case("maskinporten"))
    }
}
