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
    /// `AUTH-000NN` (authentication) or `AM-000NN` (access management).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, rename = "statusDescription", skip_serializing_if = "Option::is_none")]
    pub status_description: Option<String>,
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
    /// The service owner's code (`digdir`), only with `altinn:serviceowner` asked for.
    pub const SERVICE_OWNER: &str = "urn:altinn:org";
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

/// `vendor` of a registered system: `{"ID":"0192:<orgno>"}`. The service never sends
/// `authority` (a field its serializer skips, CONTRACTS.md §3); it is accepted when present.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
pub struct VendorInfo {
    #[serde(rename = "ID", alias = "id")]
    pub id: String,
    #[serde(default, skip_serializing)]
    pub authority: Option<String>,
}

impl VendorInfo {
    /// The org number, without the `0192:` prefix.
    pub fn orgno(&self) -> &str {
        self.id.strip_prefix("0192:").unwrap_or(&self.id)
    }
}

/// An access package as the system register and requests name it: `{"urn": …}`.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AccessPackageRef {
    pub urn: String,
}

/// A system registered by a vendor (`GET systemregister/vendor/{systemId}`,
/// `RegisteredSystemResponse`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RegisteredSystem {
    pub id: String,
    pub vendor: VendorInfo,
    #[serde(default)]
    pub name: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub description: std::collections::BTreeMap<String, String>,
    /// Omitted when the system has none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<Vec<serde_json::Value>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub access_packages: Option<Vec<AccessPackageRef>>,
    #[serde(default)]
    pub is_deleted: bool,
    #[serde(default)]
    pub client_id: Vec<String>,
    #[serde(default)]
    pub is_visible: bool,
    #[serde(default)]
    pub allowed_redirect_urls: Vec<String>,
}

/// `standard` or `agent` (an accountant's system user acting for its clients).
pub const USER_TYPE_STANDARD: &str = "standard";
pub const USER_TYPE_AGENT: &str = "agent";

/// A system user as the vendor look-ups return it (`SystemUserExternalDTO`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SystemUser {
    pub id: String,
    #[serde(default)]
    pub integration_title: String,
    pub system_id: String,
    #[serde(default)]
    pub product_name: String,
    /// The organisation that owns the system user: the customer, or for an agent system
    /// user the facilitator.
    pub reportee_org_no: String,
    #[serde(default)]
    pub created: String,
    #[serde(default)]
    pub is_deleted: bool,
    #[serde(default)]
    pub supplier_name: String,
    #[serde(rename = "supplierOrgno", default)]
    pub supplier_orgno: String,
    #[serde(default)]
    pub external_ref: Option<String>,
    #[serde(default = "standard")]
    pub user_type: String,
}

fn standard() -> String {
    USER_TYPE_STANDARD.into()
}

/// A page of the authentication API: `{"links":{"next":…},"data":[…]}`; `next` is left
/// out on the last page.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Page<T> {
    #[serde(default)]
    pub links: Links,
    pub data: Vec<T>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Links {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// A system-user request as the vendor sees it (`RequestSystemResponse`, and
/// `AgentRequestSystemResponse` without `rights`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SystemUserRequest {
    pub id: String,
    #[serde(default)]
    pub integration_title: String,
    #[serde(default)]
    pub external_ref: Option<String>,
    pub system_id: String,
    pub party_org_no: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rights: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    pub access_packages: Vec<AccessPackageRef>,
    /// `New`, `Accepted`, `Rejected` (the enum also has `Denied` and `Timedout`).
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    #[serde(default)]
    pub confirm_url: Option<String>,
    #[serde(default)]
    pub escalated: bool,
    #[serde(default)]
    pub created: String,
    /// True once the request is 180 days old, whatever its status.
    #[serde(default)]
    pub timed_out: bool,
}

/// A vendor's request to change an existing standard system user's rights
/// (`ChangeRequestResponse`, CONTRACTS.md §4.1). The look-ups by reference and by id copy
/// the rights, not the packages: `requiredAccessPackages` comes back empty there.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ChangeRequest {
    pub id: String,
    #[serde(default)]
    pub external_ref: Option<String>,
    pub system_id: String,
    #[serde(default)]
    pub system_user_id: Option<String>,
    pub party_org_no: String,
    #[serde(default)]
    pub required_rights: Vec<serde_json::Value>,
    #[serde(default)]
    pub unwanted_rights: Vec<serde_json::Value>,
    #[serde(default)]
    pub required_access_packages: Vec<AccessPackageRef>,
    #[serde(default)]
    pub unwanted_access_packages: Vec<AccessPackageRef>,
    /// `New`, `Accepted`, `Rejected`, `Denied`, `Timedout`, `NoChangeNeeded`.
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redirect_url: Option<String>,
    #[serde(default)]
    pub confirm_url: Option<String>,
    #[serde(default)]
    pub created: String,
    #[serde(default)]
    pub timed_out: bool,
}

/// The request states (`RequestStatus`).
pub mod request_status {
    pub const NEW: &str = "New";
    pub const ACCEPTED: &str = "Accepted";
    pub const REJECTED: &str = "Rejected";
    pub const DENIED: &str = "Denied";
    pub const TIMEDOUT: &str = "Timedout";
}

/// The scopes of the vendor look-ups (CONTRACTS.md §3–5).
pub const SCOPE_SYSTEMREGISTER_WRITE: &str = "altinn:authentication/systemregister.write";
pub const SCOPE_REQUEST_READ: &str = "altinn:authentication/systemuser.request.read";
pub const SCOPE_REQUEST_WRITE: &str = "altinn:authentication/systemuser.request.write";

/// `authorizedparties`: `{"links":{"next":null},"data":[…]}` (nulls are written here).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AuthorizedParties {
    pub links: AmLinks,
    pub data: Vec<AuthorizedParty>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct AmLinks {
    #[serde(default)]
    pub next: Option<String>,
}

/// A party the system user may act for (`AuthorizedPartyDto`). Packages and roles are
/// codes (`skattegrunnlag`, `dagl`), not URNs; sub-units nest.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct AuthorizedParty {
    pub party_uuid: Option<String>,
    pub name: String,
    pub organization_number: Option<String>,
    pub parent_id: Option<String>,
    pub person_id: Option<String>,
    pub date_of_birth: Option<String>,
    pub party_id: Option<i64>,
    pub email_id: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub unit_type: Option<String>,
    pub is_deleted: bool,
    pub only_hierarchy_element_with_no_access: bool,
    pub authorized_access_packages: Vec<String>,
    pub authorized_resources: Vec<String>,
    pub authorized_roles: Vec<String>,
    pub authorized_instances: Vec<serde_json::Value>,
    pub subunits: Vec<AuthorizedParty>,
}

/// The URN prefix of access packages; the parties list gives the code after it.
pub const ACCESS_PACKAGE_URN: &str = "urn:altinn:accesspackage:";

/// An access package as a code, from a code or a URN.
pub fn package_code(package: &str) -> &str {
    package.strip_prefix(ACCESS_PACKAGE_URN).unwrap_or(package)
}

/// The `authorization_details` entry of a token's claims: the first of an array
/// (Maskinporten), or the one object Altinn's exchange makes of it; `Null` when absent.
pub fn authorization_detail(claim: Option<&serde_json::Value>) -> serde_json::Value {
    match claim {
        Some(serde_json::Value::Array(items)) => items.first().cloned().unwrap_or(serde_json::Value::Null),
        Some(other) => other.clone(),
        None => serde_json::Value::Null,
    }
}

/// A field of an `authorization_details` entry, its name in any case.
pub fn detail_field(detail: &serde_json::Value, name: &str) -> Option<serde_json::Value> {
    detail.as_object()?.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
}

/// The scopes the vendor look-ups need, asked for in a grant of their own.
pub const VENDOR_SCOPES: [&str; 3] = [SCOPE_SYSTEMREGISTER_WRITE, SCOPE_REQUEST_READ, SCOPE_REQUEST_WRITE];

/// Access management's metadata path of an access package, by URN or bare code
/// (CONTRACTS-APIS §2; anonymous; names in nb unless `Accept-Language: en|nn`).
pub const PACKAGE_BY_URN_PATH: &str = "/accessmanagement/api/v1/meta/info/accesspackages/package/urn/";

/// An access package as access management's metadata describes it (`PackageDto`,
/// example 64): its name beside its code is what the doctor reads.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct PackageInfo {
    #[serde(default)]
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub urn: String,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub is_delegable: bool,
    #[serde(default)]
    pub is_assignable: bool,
    #[serde(default)]
    pub is_resource_policy_available: bool,
    #[serde(default)]
    pub area: Option<serde_json::Value>,
    #[serde(default, rename = "type")]
    pub kind: Option<serde_json::Value>,
    #[serde(default)]
    pub resources: Option<Vec<serde_json::Value>>,
}

/// A resource in Altinn's resource registry (`GET resourceregistry/api/v1/resource/{id}`,
/// `ServiceResource`, CONTRACTS-APIS §1, example 60): what the doctor reads of it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceResource {
    pub identifier: String,
    pub title: std::collections::BTreeMap<String, String>,
    /// A free string (`Active`, `Completed`, `UnderDevelopment`).
    pub status: Option<String>,
    pub resource_references: Vec<ResourceReference>,
    /// Default true: false blocks delegation to a system user.
    #[serde(default = "yes")]
    pub delegable: bool,
    /// `Disabled` or `Enabled`: the consumer must be on the owner's access list.
    pub access_list_mode: Option<String>,
    pub resource_type: Option<String>,
    pub has_competent_authority: Option<CompetentAuthority>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(rename_all = "camelCase", default)]
pub struct ResourceReference {
    pub reference_source: Option<String>,
    pub reference: String,
    /// `MaskinportenScope` names a scope that guards the resource.
    pub reference_type: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct CompetentAuthority {
    pub organization: Option<String>,
    pub orgcode: Option<String>,
    pub name: std::collections::BTreeMap<String, String>,
}

impl ServiceResource {
    /// The Maskinporten scopes its references name.
    pub fn scopes(&self) -> Vec<String> {
        let scope = |r: &&ResourceReference| r.reference_type.as_deref() == Some("MaskinportenScope");
        self.resource_references.iter().filter(scope).map(|r| r.reference.clone()).collect()
    }
}

/// One subject of a resource's policy (`/policy/subjects`, example 62): its value lower-cased.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Default)]
#[serde(default)]
pub struct PolicySubject {
    #[serde(rename = "type")]
    pub kind: String,
    pub value: String,
    pub urn: String,
}

/// The subject types that grant a resource to a system user: access packages and roles.
pub const SUBJECT_ACCESS_PACKAGE: &str = "urn:altinn:accesspackage";
pub const SUBJECT_ROLE_CODE: &str = "urn:altinn:rolecode";

/// The XACML obligation categories that carry a resource's minimum authentication level:
/// the general one and the organisations' (CONTRACTS-APIS §1.1).
pub const MIN_LEVEL: &str = "urn:altinn:minimum-authenticationlevel";
pub const MIN_LEVEL_ORG: &str = "urn:altinn:minimum-authenticationlevel-org";

/// The minimum authentication level a XACML policy demands of an organisation: the `-org`
/// obligation when the policy has one, else the general one; `None` when neither.
pub fn minimum_level(xacml: &str) -> Option<u8> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xacml);
    let (mut category, mut general, mut org) = (None::<String>, None, None);
    let mut in_value = false;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => {
                let local = e.local_name();
                let name: &str = local.as_ref();
                if name == "AttributeAssignmentExpression" {
                    category = e
                        .attributes()
                        .flatten()
                        .find(|a| {
                            let key = a.key.local_name();
                            let key: &str = key.as_ref();
                            key == "Category"
                        })
                        .map(|a| a.value.to_string());
                } else if name == "AttributeValue" && category.is_some() {
                    in_value = true;
                }
            }
            Event::Text(t) if in_value => {
                let text: &str = t.as_ref();
                let level = text.trim().parse::<u8>().ok();
                match category.as_deref() {
                    Some(MIN_LEVEL) => general = general.or(level),
                    Some(MIN_LEVEL_ORG) => org = org.or(level),
                    _ => {}
                }
            }
            Event::End(e) => {
                let local = e.local_name();
                let name: &str = local.as_ref();
                if name == "AttributeValue" {
                    in_value = false;
                } else if name == "AttributeAssignmentExpression" {
                    category = None;
                }
            }
            Event::Eof => return org.or(general),
            _ => {}
        }
    }
}
