//! The simulator's client registry (`clients.toml`): clients, scopes, delegations.

use serde::{Deserialize, Serialize};

/// How a client authenticates its grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AuthMethod {
    /// An enterprise certificate in the `x5c` header.
    X5c,
    /// A key registered on the client, named by `kid`.
    Kid,
}

/// One Maskinporten client.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Client {
    pub client_id: String,
    /// The org number of the organisation that owns the client.
    pub org: String,
    /// `test` or `prod`: a client exists in one environment only.
    pub env: String,
    pub scopes: Vec<String>,
    pub auth: AuthMethod,
    /// For `kid` clients: the key's ID and public JWK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwk: Option<serde_json::Value>,
    /// When the key was registered (`YYYY-MM-DD`); keys expire after a year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_registered: Option<String>,
}

/// One API scope and who may use it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Scope {
    pub name: String,
    /// False for scopes of another integration type (ID-porten), refused with MP-201.
    #[serde(default = "yes")]
    pub maskinporten: bool,
    /// Org numbers the API provider has granted the scope to; empty with `open`.
    #[serde(default)]
    pub consumers: Vec<String>,
    /// Granted to every organisation.
    #[serde(default)]
    pub open: bool,
    /// Token lifetime in seconds, as the provider configured it.
    #[serde(default = "default_lifetime")]
    pub lifetime: u64,
    /// Whether a supplier may act for a consumer with `consumer_org`.
    #[serde(default)]
    pub delegable: bool,
}

fn yes() -> bool {
    true
}

fn default_lifetime() -> u64 {
    120
}

/// A consumer's delegation of a scope to a supplier.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Delegation {
    pub consumer: String,
    pub supplier: String,
    pub scope: String,
}

/// An Altinn 2 enterprise user (virksomhetsbruker).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EnterpriseUser {
    pub org: String,
    pub username: String,
    pub password: String,
    /// Role codes the user holds for its organisation (HADM, UTINN, …).
    pub roles: Vec<String>,
}

/// An Altinn 2 API key and the operations it may call.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ApiKey {
    pub key: String,
    /// `Organization.read` (reportees), `Authorization.read` (roles).
    pub operations: Vec<String>,
}

/// An Altinn 2 role definition.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RoleDefinition {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A system in Altinn's system register.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct System {
    pub id: String,
    /// The vendor's org number.
    pub vendor: String,
    pub client_ids: Vec<String>,
    #[serde(default)]
    pub access_packages: Vec<String>,
}

/// A system user, or the request for one, for a customer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SystemUserEntry {
    pub id: String,
    pub system_id: String,
    /// The customer's org number.
    pub org: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_ref: Option<String>,
    /// `New` (waiting for the customer), `Accepted`, `Rejected`.
    pub status: String,
    #[serde(default)]
    pub access_packages: Vec<String>,
    /// `standard`, or `agent` (then `org` is the facilitator: an accountant, an auditor).
    #[serde(default = "standard", skip_serializing_if = "is_standard")]
    pub user_type: String,
    /// How old the request is: after 180 days Altinn marks it `timedOut`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub age_days: u32,
}

fn standard() -> String {
    crate::altinn::types::USER_TYPE_STANDARD.into()
}

fn is_standard(t: &String) -> bool {
    t == crate::altinn::types::USER_TYPE_STANDARD
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

impl SystemUserEntry {
    pub fn is_agent(&self) -> bool {
        self.user_type == crate::altinn::types::USER_TYPE_AGENT
    }

    /// The reference the vendor gave, or the org number it defaults to.
    pub fn reference(&self) -> &str {
        self.external_ref.as_deref().unwrap_or(&self.org)
    }
}

/// The whole registry.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Registry {
    #[serde(default, rename = "client")]
    pub clients: Vec<Client>,
    #[serde(default, rename = "scope")]
    pub scopes: Vec<Scope>,
    #[serde(default, rename = "delegation")]
    pub delegations: Vec<Delegation>,
    #[serde(default, rename = "enterprise_user")]
    pub enterprise_users: Vec<EnterpriseUser>,
    #[serde(default, rename = "api_key")]
    pub api_keys: Vec<ApiKey>,
    #[serde(default, rename = "role_definition")]
    pub role_definitions: Vec<RoleDefinition>,
    #[serde(default, rename = "system")]
    pub systems: Vec<System>,
    #[serde(default, rename = "system_user")]
    pub system_users: Vec<SystemUserEntry>,
}

impl Registry {
    pub fn parse(text: &str) -> Result<Registry, String> {
        toml::from_str(text).map_err(|e| format!("clients.toml: {}", e.message()))
    }

    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    pub fn client(&self, id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.client_id == id)
    }

    pub fn scope(&self, name: &str) -> Option<&Scope> {
        self.scopes.iter().find(|s| s.name == name)
    }

    /// The system whose client IDs include `client_id`.
    pub fn system_of_client(&self, client_id: &str) -> Option<&System> {
        self.systems.iter().find(|s| s.client_ids.iter().any(|c| c == client_id))
    }

    /// System users and requests of `system_id` for the customer `org`.
    pub fn system_users_for<'a>(
        &'a self,
        system_id: &'a str,
        org: &'a str,
    ) -> impl Iterator<Item = &'a SystemUserEntry> {
        self.system_users.iter().filter(move |u| u.system_id == system_id && u.org == org)
    }

    pub fn delegated(&self, consumer: &str, supplier: &str, scope: &str) -> bool {
        self.delegations.iter().any(|d| d.consumer == consumer && d.supplier == supplier && d.scope == scope)
    }
}
