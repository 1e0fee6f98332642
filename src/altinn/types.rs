//! Altinn's wire types, shared by the client and the simulator (never the logic).

use serde::{Deserialize, Serialize};

/// RFC 7807 ProblemDetails, as the platform answers errors.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ProblemDetails {
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, rename = "traceId", skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
}

/// The enterprise-user header of the token exchange.
pub const ENTERPRISE_USER_HEADER: &str = "X-Altinn-EnterpriseUser-Authentication";
/// The exchange path on the platform host.
pub const EXCHANGE_PATH: &str = "/authentication/api/v1/exchange/maskinporten";
/// The system-user `authorization_details` type.
pub const SYSTEMUSER_TYPE: &str = "urn:altinn:systemuser";
/// The scope that lets a system user read its authorised parties.
pub const AUTHORIZED_PARTIES_SCOPE: &str = "altinn:accessmanagement/authorizedparties";

/// The 410 the exchange gives an enterprise user since June 2026 (PROTOCOLS.md).
pub const GONE_TITLE: &str = "Virksomhetsbruker is no longer available";
pub const GONE_DETAIL: &str = "Virksomhetsbruker (enterprise user) is no longer available. It has been replaced by Systembruker (system user) or ID-porten, depending on the use case. See https://docs.altinn.studio for migration guidance.";
/// The date Altinn 2 and enterprise users closed.
pub const ALTINN2_CLOSED: &str = "2026-06-19";

/// Altinn 2 API reason phrases (PROTOCOLS.md).
pub const REASON_APIKEY_MISSING: &str = "Required header 'ApiKey' is missing.";
pub const REASON_APIKEY_NOT_AUTHORIZED: &str = "The API key is not authorized for this operation";
pub const REASON_NO_ORG: &str =
    "Authorization failed: There is no authenticated organization number set on this request.";
/// The simulator's answer to an unknown key (the real one is unconfirmed).
pub const REASON_APIKEY_UNKNOWN: &str = "The API key is not valid";
/// The platform's answer to an unknown user or wrong password.
pub const WRONG_USER_OR_PASSWORD: &str = "The user either does not exist or the password is incorrect.";

/// Claims of an Altinn token (what the doctor shows).
pub mod claims {
    pub const ORG_NUMBER: &str = "urn:altinn:orgNumber";
    pub const AUTH_METHOD: &str = "urn:altinn:authenticatemethod";
    pub const AUTH_LEVEL: &str = "urn:altinn:authlevel";
    pub const USER_ID: &str = "urn:altinn:userid";
    pub const USER_NAME: &str = "urn:altinn:username";
}

/// A role in the Altinn 2 API (HAL `_embedded.roles[]`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct Role {
    pub role_id: i64,
    pub role_type: String,
    pub role_definition_id: i64,
    pub role_name: String,
    #[serde(default)]
    pub role_description: String,
}

/// A role definition (`/api/metadata/roledefinitions`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "PascalCase")]
pub struct RoleDefinition {
    pub role_definition_id: i64,
    pub role_definition_code: String,
    pub role_name: String,
}

/// A system user as the vendor look-up returns it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SystemUser {
    pub id: String,
    pub system_id: String,
    pub party_org_no: String,
    #[serde(default)]
    pub external_ref: Option<String>,
}

/// A system-user request as the vendor sees it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SystemUserRequest {
    pub id: String,
    pub system_id: String,
    pub party_org_no: String,
    #[serde(default)]
    pub external_ref: Option<String>,
    /// `New`, `Accepted`, `Rejected` or `Denied`.
    pub status: String,
    #[serde(default)]
    pub confirm_url: Option<String>,
}

/// A system registered by a vendor (`systemregister/vendor/{systemId}`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredSystem {
    pub id: String,
    pub vendor: String,
    pub client_id: Vec<String>,
    #[serde(default)]
    pub access_packages: Vec<String>,
}

/// A party the system user may act for (`authorizedparties`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AuthorizedParty {
    pub name: String,
    #[serde(default)]
    pub organization_number: Option<String>,
    #[serde(default, rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub authorized_access_packages: Vec<String>,
    #[serde(default)]
    pub authorized_roles: Vec<String>,
}
