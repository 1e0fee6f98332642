//! The simulator's client registry (`clients.toml`): clients, scopes, delegations.

use serde::{Deserialize, Serialize};

/// How a client authenticates its grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum AuthMethod {
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
    pub(crate) org: String,
    /// `test` or `prod`: a client exists in one environment only.
    pub(crate) env: String,
    pub(crate) scopes: Vec<String>,
    pub(crate) auth: AuthMethod,
    /// For `kid` clients: the key's ID and public JWK.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) kid: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) jwk: Option<serde_json::Value>,
    /// When the key was registered (`YYYY-MM-DD`); keys expire after a year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_registered: Option<String>,
}

/// One API scope and who may use it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Scope {
    pub(crate) name: String,
    /// False for scopes of another integration type (ID-porten), refused with MP-201.
    #[serde(default = "yes")]
    pub(crate) maskinporten: bool,
    /// Org numbers the API provider has granted the scope to; empty with `open`.
    #[serde(default)]
    pub(crate) consumers: Vec<String>,
    /// Granted to every organisation.
    #[serde(default)]
    pub(crate) open: bool,
    /// Token lifetime in seconds, as the provider configured it.
    #[serde(default = "default_lifetime")]
    pub(crate) lifetime: u64,
    /// Whether a supplier may act for a consumer with `consumer_org`.
    #[serde(default)]
    pub(crate) delegable: bool,
    /// The organisation that owns the scope (and grants access to it).
    #[serde(default = "digdir")]
    pub(crate) owner: String,
    /// Listed in the public catalogue (`PUBLIC`); a private scope is not.
    #[serde(default = "yes")]
    pub(crate) public: bool,
    /// Deactivated by its owner: listed with `inactive=true` only, and refused.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) inactive: bool,
}

/// Digdir's org number, the owner of the demo's Altinn scopes.
fn digdir() -> String {
    "991825827".into()
}

fn yes() -> bool {
    true
}

fn default_lifetime() -> u64 {
    120
}

/// A consumer's delegation of a scope to a supplier.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Delegation {
    pub(crate) consumer: String,
    pub(crate) supplier: String,
    pub(crate) scope: String,
}

/// An Altinn 2 enterprise user (virksomhetsbruker).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct EnterpriseUser {
    pub(crate) org: String,
    pub(crate) username: String,
    pub(crate) password: String,
    /// Role codes the user holds for its organisation (HADM, UTINN, …).
    pub(crate) roles: Vec<String>,
}

/// An Altinn 2 API key and the operations it may call.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ApiKey {
    pub(crate) key: String,
    /// `Organization.read` (reportees), `Authorization.read` (roles).
    pub(crate) operations: Vec<String>,
}

/// An Altinn 2 role definition.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RoleDefinition {
    pub(crate) id: i64,
    pub(crate) code: String,
    pub(crate) name: String,
}

/// A system in Altinn's system register.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct System {
    pub(crate) id: String,
    /// The vendor's org number.
    pub(crate) vendor: String,
    pub(crate) client_ids: Vec<String>,
    #[serde(default)]
    pub(crate) access_packages: Vec<String>,
    /// Deleted by its vendor: still answered by the system register, never matched by
    /// Maskinporten (CONTRACTS.md §3).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) is_deleted: bool,
}

/// A system user, or the request for one, for a customer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SystemUserEntry {
    pub(crate) id: String,
    pub(crate) system_id: String,
    /// The customer's org number.
    pub(crate) org: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) external_ref: Option<String>,
    /// `New` (waiting for the customer), `Accepted`, `Rejected`.
    pub(crate) status: String,
    #[serde(default)]
    pub(crate) access_packages: Vec<String>,
    /// `standard`, or `agent` (then `org` is the facilitator: an accountant, an auditor).
    #[serde(default = "standard", skip_serializing_if = "is_standard")]
    pub(crate) user_type: String,
    /// How old the request is: after 180 days Altinn marks it `timedOut`.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(crate) age_days: u32,
    /// An agent system user's clients, as its facilitator delegated them, each with the
    /// packages it gave.
    #[serde(default, rename = "client", skip_serializing_if = "Vec::is_empty")]
    pub(crate) clients: Vec<AgentClient>,
}

/// A client of an accountant (or auditor), delegated to its agent system user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct AgentClient {
    pub(crate) org: String,
    pub(crate) name: String,
    pub(crate) access_packages: Vec<String>,
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
    pub(crate) fn is_agent(&self) -> bool {
        self.user_type == crate::altinn::types::USER_TYPE_AGENT
    }

    /// The reference the vendor gave, or the org number it defaults to.
    pub(crate) fn reference(&self) -> &str {
        self.external_ref.as_deref().unwrap_or(&self.org)
    }
}

/// A resource in the resource registry, and what its policy grants it to.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ResourceEntry {
    pub(crate) id: String,
    /// The owner's org number.
    pub(crate) owner: String,
    /// Access-package codes and role codes that grant it.
    #[serde(default)]
    pub(crate) packages: Vec<String>,
    #[serde(default)]
    pub(crate) roles: Vec<String>,
    /// The Maskinporten scopes that guard it.
    #[serde(default)]
    pub(crate) scopes: Vec<String>,
    #[serde(default = "yes")]
    pub(crate) delegable: bool,
    #[serde(default)]
    pub(crate) access_list: bool,
    /// The minimum authentication level its policy demands (an obligation), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) min_level: Option<u8>,
    /// How many messages, file transfers and dialogs each product lists for a party
    /// with access.
    #[serde(default)]
    pub(crate) items: u32,
}

/// A service owner: an organisation whose exchanged token carries `urn:altinn:org`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ServiceOwner {
    pub(crate) org: String,
    pub(crate) code: String,
}

/// A vendor's change request for a standard system user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ChangeRequestEntry {
    pub(crate) id: String,
    pub(crate) system_user_id: String,
    pub(crate) system_id: String,
    pub(crate) org: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) external_ref: Option<String>,
    /// `New` (waiting for the customer), `Accepted`, `Rejected`.
    pub(crate) status: String,
    pub(crate) access_packages: Vec<String>,
}

/// The whole registry.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Registry {
    #[serde(default, rename = "client")]
    pub clients: Vec<Client>,
    #[serde(default, rename = "scope")]
    pub(crate) scopes: Vec<Scope>,
    #[serde(default, rename = "delegation")]
    pub(crate) delegations: Vec<Delegation>,
    #[serde(default, rename = "enterprise_user")]
    pub(crate) enterprise_users: Vec<EnterpriseUser>,
    #[serde(default, rename = "api_key")]
    pub(crate) api_keys: Vec<ApiKey>,
    #[serde(default, rename = "role_definition")]
    pub(crate) role_definitions: Vec<RoleDefinition>,
    #[serde(default, rename = "system")]
    pub(crate) systems: Vec<System>,
    #[serde(default, rename = "system_user")]
    pub(crate) system_users: Vec<SystemUserEntry>,
    #[serde(default, rename = "change_request")]
    pub(crate) change_requests: Vec<ChangeRequestEntry>,
    #[serde(default, rename = "resource")]
    pub(crate) resources: Vec<ResourceEntry>,
    #[serde(default, rename = "service_owner")]
    pub(crate) service_owners: Vec<ServiceOwner>,
}

impl Registry {
    pub(crate) fn parse(text: &str) -> Result<Registry, String> {
        toml::from_str(text).map_err(|e| format!("clients.toml: {}", e.message()))
    }

    pub(crate) fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    pub(crate) fn client(&self, id: &str) -> Option<&Client> {
        self.clients.iter().find(|c| c.client_id == id)
    }

    pub(crate) fn scope(&self, name: &str) -> Option<&Scope> {
        self.scopes.iter().find(|s| s.name == name)
    }

    /// The system whose client IDs include `client_id`.
    pub(crate) fn system_of_client(&self, client_id: &str) -> Option<&System> {
        self.systems.iter().find(|s| s.client_ids.iter().any(|c| c == client_id))
    }

    /// System users and requests of `system_id` for the customer `org`.
    pub(crate) fn system_users_for<'a>(
        &'a self,
        system_id: &'a str,
        org: &'a str,
    ) -> impl Iterator<Item = &'a SystemUserEntry> {
        self.system_users.iter().filter(move |u| u.system_id == system_id && u.org == org)
    }

    /// The public scope catalogue as Digdir's self-service API lists it.
    pub(crate) fn scope_catalogue(&self, inactive: bool) -> Vec<crate::maskinporten::types::ScopeInfo> {
        let listed = self.scopes.iter().filter(|s| s.public && (inactive || !s.inactive));
        listed
            .map(|s| {
                let (prefix, subscope) = s.name.split_once(':').unwrap_or((&s.name, ""));
                crate::maskinporten::types::ScopeInfo {
                    name: s.name.clone(),
                    prefix: prefix.into(),
                    subscope: subscope.into(),
                    description: format!("Simulated scope {}", s.name),
                    active: !s.inactive,
                    created: "2024-05-23T13:17:33.438Z".into(),
                    last_updated: "2026-01-19T09:40:37.258551Z".into(),
                    allowed_integration_types: vec![if s.maskinporten { "maskinporten" } else { "idporten" }.into()],
                    owner_orgno: s.owner.clone(),
                    token_type: "SELF_CONTAINED".into(),
                    visibility: "PUBLIC".into(),
                    delegation_source: s.delegable.then(|| "https://tt02.altinn.no/".into()),
                    at_max_age: Some(s.lifetime),
                    authorization_max_lifetime: Some(s.lifetime),
                    accessible_for_all: s.open,
                    ..Default::default()
                }
            })
            .collect()
    }

    pub(crate) fn delegated(&self, consumer: &str, supplier: &str, scope: &str) -> bool {
        self.delegations.iter().any(|d| d.consumer == consumer && d.supplier == supplier && d.scope == scope)
    }
}
