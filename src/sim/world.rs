//! The simulated world: its PKI, demo organisations, client registry, and the running server.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use rcgen::{CertificateParams, DnType, ExtendedKeyUsagePurpose, KeyPair, KeyUsagePurpose, SanType};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use time::OffsetDateTime;

use super::altinn::AltinnService;
use super::clock::Clock;
use super::maskinporten::TokenService;
use super::pki::{self, CaChain, Leaf, LeafSpec, Purpose, Style};
use super::registry::{
    AgentClient, ApiKey, AuthMethod, ChangeRequestEntry, Client, Delegation, EnterpriseUser, Registry, ResourceEntry,
    RoleDefinition, Scope, ServiceOwner, System, SystemUserEntry,
};
use super::server::{self, AppState, Faults, Running};
use crate::maskinporten::types::{ISSUER_PROD, ISSUER_TEST};
use crate::vocab::Environment;
use crate::vocab::Era;

/// A demo organisation: its enterprise certificates and key.
pub struct DemoOrg {
    pub(crate) orgno: &'static str,
    pub name: &'static str,
    pub key: KeyPair,
    pub auth: Leaf,
    pub(crate) signing: Leaf,
}

/// The demo organisations (synthetic numbers with valid check digits).
pub const ORGS: &[(&str, &str)] = &[("312345676", "DEMOBEDRIFT AS"), ("310987654", "LEVERANDØR AS")];

/// Client IDs of the default registry.
pub const CLIENT: &str = "demo-client";
pub const KEY_CLIENT: &str = "demo-key-client";
pub const PROD_CLIENT: &str = "demo-prod-client";
pub const SUPPLIER_CLIENT: &str = "supplier-client";
/// The kid of the key registered on `demo-key-client`.
pub const KEY_ID: &str = "demo-key-1";
/// Scopes of the default registry.
pub const SCOPE: &str = "altinn:enduser";
pub const SCOPE_GRANTED: &str = "altinn:broker.read";
pub const SCOPE_NOT_GRANTED: &str = "digdir:restricted";
/// The organisation that owns SCOPE_NOT_GRANTED (and grants it to no one).
pub const SCOPE_NOT_GRANTED_OWNER: &str = "974761076";
/// Digdir's org number: the owner of the other demo scopes.
pub const DIGDIR: &str = "991825827";
pub const SCOPE_IDPORTEN: &str = "openid";
pub(crate) use crate::altinn::types::AUTHORIZED_PARTIES_SCOPE;

/// Altinn in the default registry: an enterprise user with HADM, one without, API keys.
pub const ENTERPRISE_USER: &str = "demo-bruker";
pub const ENTERPRISE_PASSWORD: &str = "Demo-Passord-1";
pub(crate) const USER_WITHOUT_HADM: &str = "uten-hadm";
pub(crate) const USER_WITHOUT_HADM_PASSWORD: &str = "Demo-Passord-2";
pub const API_KEY: &str = "demo-api-key";
/// A key that may read roles but not reportees.
pub const API_KEY_ROLES_ONLY: &str = "roles-only-key";
/// HADM's role definition ID in the simulated TT02 (28997 in production).
pub(crate) const HADM_ID: i64 = 85;
/// The demo organisation's own system, and its system users' customers.
pub const SYSTEM_ID: &str = "312345676_demo";
pub const CUSTOMER_WITH_REF: &str = "313311333";
pub const CUSTOMER_REF: &str = "kunde-42";
pub const CUSTOMER_PENDING: &str = "313311341";
pub const CUSTOMER_REJECTED: &str = "313311368";
pub const PACKAGE: &str = "urn:altinn:accesspackage:skattegrunnlag";
/// A customer whose request is older than 180 days: timed out.
pub const CUSTOMER_TIMED_OUT: &str = "313311376";
/// An accountant owning an agent system user of the demo system (the facilitator).
pub const FACILITATOR: &str = "313311384";
/// A client of the accountant: never the `systemuser_org` of an agent system user.
pub const AGENT_CLIENT: &str = "313311392";
/// A second client of the accountant.
pub const AGENT_CLIENT_2: &str = "313311422";
/// Another accountant with an agent system user of the demo system, and no client yet.
pub const FACILITATOR_NO_CLIENTS: &str = "313311406";
/// A client of the demo system that may not ask for the authorised-parties scope.
pub const NO_RIGHTS_SCOPE_CLIENT: &str = "demo-client-no-rights-scope";
/// A customer whose system user lacks a package the vendor asked for in a change
/// request that waits for the customer.
pub const CUSTOMER_CHANGE_PENDING: &str = "313311430";
/// Demo resources of the resource registry: granted by the demo system user's package; by
/// a package it lacks; behind an access list.
pub const RESOURCE: &str = "demo-skattegrunnlag";
pub const RESOURCE_OTHER_PACKAGE: &str = "demo-lonn";
pub const RESOURCE_ACCESS_LIST: &str = "demo-tilgangsliste";
/// A resource whose policy demands authentication level 4 (a system user has 3).
pub const RESOURCE_LEVEL_4: &str = "demo-niva4";
/// The demo organisation's code as a service owner, and its app (Storage's instances).
pub const SERVICE_OWNER_CODE: &str = "demo";
pub const APP: &str = "demo/skjema";
/// The product APIs' scopes, open to all in the simulator.
pub const PRODUCT_SCOPES: [&str; 7] = [
    crate::altinn::products::SCOPE_CORRESPONDENCE_READ,
    crate::altinn::products::SCOPE_DIALOGPORTEN,
    crate::altinn::products::SCOPE_DIALOGPORTEN_PROVIDER,
    crate::altinn::products::SCOPE_DIALOGPORTEN_SEARCH,
    crate::altinn::products::SCOPE_SERVICE_OWNER,
    crate::altinn::products::SCOPE_INSTANCES_READ,
    crate::altinn::products::SCOPE_CORRESPONDENCE_WRITE,
];
/// A system the vendor has deleted, and the one client registered on it.
pub const DELETED_SYSTEM_ID: &str = "312345676_gammel";
pub const DELETED_SYSTEM_CLIENT: &str = "demo-client-deleted-system";
/// A client of the demo system that may not ask for the vendor scopes.
pub const NO_VENDOR_SCOPES_CLIENT: &str = "demo-client-no-vendor-scopes";
pub const PACKAGE_NOT_GRANTED: &str = "urn:altinn:accesspackage:regnskapsforer-lonn";

/// The simulator's PKI: a Buypass-like CA, the demo organisations, a TLS certificate.
pub struct World {
    pub ca: CaChain,
    pub(crate) orgs: Vec<DemoOrg>,
    pub(crate) tls_chain: Vec<CertificateDer<'static>>,
    tls_key: Vec<u8>,
}

impl World {
    /// Generates everything (a few RSA keys: about a second in a release build).
    pub fn generate(now: OffsetDateTime) -> Result<World, String> {
        let err = |e: rcgen::Error| e.to_string();
        let ca = CaChain::new(Style::BuypassTest4).map_err(err)?;
        let mut orgs = Vec::new();
        for (orgno, name) in ORGS {
            let key = pki::rsa_key(rcgen::RsaKeySize::_3072).map_err(err)?;
            let auth = ca.issue(&LeafSpec::authentication(orgno, name, now), &key).map_err(err)?;
            let signing_spec = LeafSpec { purpose: Purpose::Signing, ..LeafSpec::authentication(orgno, name, now) };
            let signing = ca.issue(&signing_spec, &key).map_err(err)?;
            orgs.push(DemoOrg { orgno, name, key, auth, signing });
        }
        let tls_key = pki::rsa_key(rcgen::RsaKeySize::_2048).map_err(err)?;
        let mut params = CertificateParams::new(vec!["localhost".to_string()]).map_err(err)?;
        params.subject_alt_names.push(SanType::IpAddress([127, 0, 0, 1].into()));
        params.distinguished_name.push(DnType::CommonName, "altinn-doctor simulator");
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature, KeyUsagePurpose::KeyEncipherment];
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.not_before = now - time::Duration::days(1);
        params.not_after = now + time::Duration::days(365);
        let tls = params.signed_by(&tls_key, ca.issuer()).map_err(err)?;
        let tls_chain = vec![tls.der().clone(), ca.issuing_der().clone()];
        Ok(World { ca, orgs, tls_chain, tls_key: tls_key.serialize_der() })
    }

    /// The world saved in `dir` by an earlier run, or a new one saved there: a
    /// restarted simulator keeps its CA, so what trusts it keeps working.
    pub fn load_or_generate(dir: &Path, now: OffsetDateTime) -> Result<World, String> {
        // An existing PKI folder is used only when it is this user's alone.
        crate::files::create_private_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        if dir.join("root.pem").exists() {
            return World::load(dir);
        }
        let world = World::generate(now)?;
        world.save(dir)?;
        Ok(world)
    }

    fn save(&self, dir: &Path) -> Result<(), String> {
        crate::files::create_private_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        self.ca.save(dir)?;
        let tls: String = self.tls_chain.iter().map(|c| pki::pem("CERTIFICATE", c)).collect();
        let mut files =
            vec![("tls.pem".to_string(), tls), ("tls.key".to_string(), pki::pem("PRIVATE KEY", &self.tls_key))];
        for org in &self.orgs {
            files.push((format!("{}.key", org.orgno), org.key.serialize_pem()));
            files.push((format!("{}-auth.pem", org.orgno), org.auth.pem.clone()));
            files.push((format!("{}-signing.pem", org.orgno), org.signing.pem.clone()));
        }
        for (name, text) in files {
            let p = dir.join(name);
            crate::files::write_private(&p, text).map_err(|e| format!("{}: {e}", p.display()))?;
        }
        Ok(())
    }

    fn load(dir: &Path) -> Result<World, String> {
        use rustls_pki_types::pem::PemObject;
        let read = |name: &str| {
            let p = dir.join(name);
            std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))
        };
        let leaf = |name: &str| -> Result<Leaf, String> {
            let pem = read(name)?;
            let der = CertificateDer::from_pem_slice(pem.as_bytes()).map_err(|e| format!("{name}: {e}"))?;
            let facts = crate::certificate::CertFacts::read(&der).map_err(|e| format!("{name}: {}", e.0))?;
            Ok(Leaf { der: der.to_vec(), pem, serial: facts.raw_serial })
        };
        let ca = CaChain::load(dir, Style::BuypassTest4)?;
        let mut orgs = Vec::new();
        for (orgno, name) in ORGS {
            let key = KeyPair::from_pem(&read(&format!("{orgno}.key"))?).map_err(|e| e.to_string())?;
            let auth = leaf(&format!("{orgno}-auth.pem"))?;
            let signing = leaf(&format!("{orgno}-signing.pem"))?;
            orgs.push(DemoOrg { orgno, name, key, auth, signing });
        }
        let tls_chain = CertificateDer::pem_slice_iter(read("tls.pem")?.as_bytes())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| format!("tls.pem: {e}"))?;
        let tls_key = KeyPair::from_pem(&read("tls.key")?).map_err(|e| e.to_string())?.serialize_der();
        Ok(World { ca, orgs, tls_chain, tls_key })
    }

    pub fn org(&self, orgno: &str) -> Option<&DemoOrg> {
        self.orgs.iter().find(|o| o.orgno == orgno)
    }

    fn tls_config(&self) -> Result<rustls::ServerConfig, String> {
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.tls_key.clone()));
        let mut config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(self.tls_chain.clone(), key)
            .map_err(|e| e.to_string())?;
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Ok(config)
    }

    /// The public JWK of a demo organisation's key, as registered on a key client.
    pub fn public_jwk(&self, org: &DemoOrg, kid: &str) -> serde_json::Value {
        let spki = org.key.public_key_raw();
        let (n, e) = rsa_public_numbers(spki).unwrap_or_default();
        crate::maskinporten::jwk::rsa_jwk(kid, &n, &e)
    }

    /// The registry a fresh simulator serves.
    pub(crate) fn default_registry(&self, now: OffsetDateTime) -> Registry {
        let (demo, supplier) = (ORGS[0].0, ORGS[1].0);
        let old = old_altinn();
        Registry {
            clients: self.default_clients(now),
            scopes: default_scopes(),
            delegations: vec![Delegation { consumer: demo.into(), supplier: supplier.into(), scope: SCOPE.into() }],
            enterprise_users: old.0,
            api_keys: old.1,
            role_definitions: old.2,
            systems: vec![
                System {
                    id: SYSTEM_ID.into(),
                    vendor: demo.into(),
                    client_ids: vec![CLIENT.into(), NO_VENDOR_SCOPES_CLIENT.into(), NO_RIGHTS_SCOPE_CLIENT.into()],
                    access_packages: vec![PACKAGE.into(), PACKAGE_NOT_GRANTED.into()],
                    is_deleted: false,
                },
                System {
                    id: DELETED_SYSTEM_ID.into(),
                    vendor: demo.into(),
                    client_ids: vec![DELETED_SYSTEM_CLIENT.into()],
                    access_packages: vec![PACKAGE.into()],
                    is_deleted: true,
                },
            ],
            system_users: default_system_users(),
            resources: default_resources(),
            service_owners: vec![ServiceOwner { org: ORGS[0].0.into(), code: SERVICE_OWNER_CODE.into() }],
            change_requests: vec![ChangeRequestEntry {
                id: "9d2f6b1e-3c4a-4e8b-9f00-000000000001".into(),
                system_user_id: "7c1e4a52-0d8e-4b7a-9a52-000000000008".into(),
                system_id: SYSTEM_ID.into(),
                org: CUSTOMER_CHANGE_PENDING.into(),
                external_ref: None,
                status: "New".into(),
                access_packages: vec![PACKAGE_NOT_GRANTED.into()],
            }],
        }
    }

    /// The demo clients: certificate, key, no vendor scopes, production, supplier.
    fn default_clients(&self, now: OffsetDateTime) -> Vec<Client> {
        let (demo, supplier) = (ORGS[0].0, ORGS[1].0);
        let all_scopes = vec![
            SCOPE.into(),
            SCOPE_GRANTED.into(),
            SCOPE_NOT_GRANTED.into(),
            SCOPE_IDPORTEN.into(),
            AUTHORIZED_PARTIES_SCOPE.into(),
        ];
        let vendor_scopes = crate::altinn::types::VENDOR_SCOPES;
        let mut all_scopes = all_scopes;
        all_scopes.extend(vendor_scopes.iter().map(|s| s.to_string()));
        all_scopes.extend(PRODUCT_SCOPES.iter().map(|s| s.to_string()));
        let client = |id: &str, org: &str, env: &str| Client {
            client_id: id.into(),
            org: org.into(),
            env: env.into(),
            scopes: all_scopes.clone(),
            auth: AuthMethod::X5c,
            kid: None,
            jwk: None,
            key_registered: None,
        };
        let registered = now - time::Duration::days(30);
        let key_client = Client {
            auth: AuthMethod::Kid,
            kid: Some(KEY_ID.into()),
            jwk: self.org(demo).map(|o| self.public_jwk(o, KEY_ID)),
            key_registered: Some(crate::vocab::times::date(registered)),
            ..client(KEY_CLIENT, demo, "test")
        };
        let no_vendor_scopes = Client {
            scopes: all_scopes.iter().filter(|s| !vendor_scopes.contains(&s.as_str())).cloned().collect(),
            ..client(NO_VENDOR_SCOPES_CLIENT, demo, "test")
        };
        let deleted_system = client(DELETED_SYSTEM_CLIENT, demo, "test");
        let no_rights_scope = Client {
            scopes: all_scopes.iter().filter(|s| s.as_str() != AUTHORIZED_PARTIES_SCOPE).cloned().collect(),
            ..client(NO_RIGHTS_SCOPE_CLIENT, demo, "test")
        };
        vec![
            client(CLIENT, demo, "test"),
            no_vendor_scopes,
            no_rights_scope,
            deleted_system,
            key_client,
            client(PROD_CLIENT, demo, "prod"),
            client(SUPPLIER_CLIENT, supplier, "test"),
        ]
    }
}

/// The demo scopes: open, granted to the demo org, not granted, ID-porten only, and the
/// Altinn scopes of system users and vendors.
fn default_scopes() -> Vec<Scope> {
    let demo = ORGS[0].0;
    let vendor_scopes = crate::altinn::types::VENDOR_SCOPES;
    let scope = |name: &str| Scope {
        name: name.into(),
        maskinporten: true,
        consumers: vec![],
        open: true,
        lifetime: 120,
        delegable: false,
        owner: DIGDIR.into(),
        public: true,
        inactive: false,
    };
    let mut scopes = vec![
        Scope { lifetime: 599, delegable: true, ..scope(SCOPE) },
        Scope { consumers: vec![demo.into()], open: false, delegable: true, ..scope(SCOPE_GRANTED) },
        // Owned by another organisation, which has granted it to no one.
        Scope { open: false, owner: SCOPE_NOT_GRANTED_OWNER.into(), ..scope(SCOPE_NOT_GRANTED) },
        scope(AUTHORIZED_PARTIES_SCOPE),
        Scope { maskinporten: false, ..scope(SCOPE_IDPORTEN) },
    ];
    scopes.extend(vendor_scopes.iter().map(|s| scope(s)));
    scopes.extend(PRODUCT_SCOPES.iter().map(|s| scope(s)));
    scopes
}

/// The resource registry's demo resources: one the demo system user's package grants,
/// one only a package it lacks grants, one behind an access list.
fn default_resources() -> Vec<ResourceEntry> {
    let resource = |id: &str, package: &str| ResourceEntry {
        id: id.into(),
        owner: DIGDIR.into(),
        packages: vec![crate::altinn::types::package_code(package).into()],
        roles: vec!["DAGL".into()],
        scopes: vec![SCOPE.into()],
        delegable: true,
        access_list: false,
        min_level: Some(3),
        items: 2,
    };
    vec![
        resource(RESOURCE, PACKAGE),
        resource(RESOURCE_OTHER_PACKAGE, PACKAGE_NOT_GRANTED),
        ResourceEntry { access_list: true, ..resource(RESOURCE_ACCESS_LIST, PACKAGE) },
        ResourceEntry { min_level: Some(4), ..resource(RESOURCE_LEVEL_4, PACKAGE) },
    ]
}

/// Altinn 2's demo enterprise users, API keys and role definitions.
fn old_altinn() -> (Vec<EnterpriseUser>, Vec<ApiKey>, Vec<RoleDefinition>) {
    let demo = ORGS[0].0;
    (
        vec![
            EnterpriseUser {
                org: demo.into(),
                username: ENTERPRISE_USER.into(),
                password: ENTERPRISE_PASSWORD.into(),
                roles: vec!["HADM".into(), "UTINN".into()],
            },
            EnterpriseUser {
                org: demo.into(),
                username: USER_WITHOUT_HADM.into(),
                password: USER_WITHOUT_HADM_PASSWORD.into(),
                roles: vec!["UTINN".into()],
            },
        ],
        vec![
            ApiKey { key: API_KEY.into(), operations: vec!["Organization.read".into(), "Authorization.read".into()] },
            ApiKey { key: API_KEY_ROLES_ONLY.into(), operations: vec!["Authorization.read".into()] },
        ],
        vec![
            RoleDefinition { id: 1, code: "DAGL".into(), name: "Daglig leder".into() },
            RoleDefinition { id: 24, code: "UTINN".into(), name: "Utfyller/Innsender".into() },
            RoleDefinition { id: HADM_ID, code: "HADM".into(), name: "Hovedadministrator".into() },
        ],
    )
}

/// The demo system users: accepted, with a reference, pending, rejected, timed out, agent.
fn default_system_users() -> Vec<SystemUserEntry> {
    let demo = ORGS[0].0;
    vec![
        system_user("7c1e4a52-0d8e-4b7a-9a52-000000000001", demo, None, "Accepted"),
        system_user("7c1e4a52-0d8e-4b7a-9a52-000000000002", CUSTOMER_WITH_REF, Some(CUSTOMER_REF), "Accepted"),
        system_user("7c1e4a52-0d8e-4b7a-9a52-000000000003", CUSTOMER_PENDING, None, "New"),
        system_user("7c1e4a52-0d8e-4b7a-9a52-000000000004", CUSTOMER_REJECTED, None, "Rejected"),
        SystemUserEntry {
            age_days: 200,
            ..system_user("7c1e4a52-0d8e-4b7a-9a52-000000000005", CUSTOMER_TIMED_OUT, None, "New")
        },
        SystemUserEntry {
            user_type: crate::altinn::types::USER_TYPE_AGENT.into(),
            access_packages: vec![PACKAGE_NOT_GRANTED.into()],
            clients: vec![
                AgentClient {
                    org: AGENT_CLIENT.into(),
                    name: "KLIENT AS".into(),
                    access_packages: vec![PACKAGE_NOT_GRANTED.into()],
                },
                AgentClient {
                    org: AGENT_CLIENT_2.into(),
                    name: "KLIENT TO AS".into(),
                    access_packages: vec![PACKAGE_NOT_GRANTED.into(), PACKAGE.into()],
                },
            ],
            ..system_user("7c1e4a52-0d8e-4b7a-9a52-000000000006", FACILITATOR, None, "Accepted")
        },
        SystemUserEntry {
            user_type: crate::altinn::types::USER_TYPE_AGENT.into(),
            access_packages: vec![PACKAGE_NOT_GRANTED.into()],
            ..system_user("7c1e4a52-0d8e-4b7a-9a52-000000000007", FACILITATOR_NO_CLIENTS, None, "Accepted")
        },
        system_user("7c1e4a52-0d8e-4b7a-9a52-000000000008", CUSTOMER_CHANGE_PENDING, None, "Accepted"),
        SystemUserEntry {
            system_id: DELETED_SYSTEM_ID.into(),
            ..system_user("7c1e4a52-0d8e-4b7a-9a52-000000000009", ORGS[0].0, None, "Accepted")
        },
    ]
}

fn system_user(id: &str, org: &str, external_ref: Option<&str>, status: &str) -> SystemUserEntry {
    SystemUserEntry {
        id: id.into(),
        system_id: SYSTEM_ID.into(),
        org: org.into(),
        external_ref: external_ref.map(str::to_string),
        status: status.into(),
        access_packages: vec![PACKAGE.into()],
        user_type: crate::altinn::types::USER_TYPE_STANDARD.into(),
        age_days: 0,
        clients: Vec::new(),
    }
}

/// Modulus and exponent of a PKCS#1 RSAPublicKey.
fn rsa_public_numbers(pkcs1: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let (_, obj) = der_parser::parse_der(pkcs1).ok()?;
    let items = obj.as_sequence().ok()?;
    let int = |i: usize| items.get(i)?.as_slice().ok().map(|b| b.iter().skip_while(|x| **x == 0).copied().collect());
    Some((int(0)?, int(1)?))
}

/// How to start a simulator.
#[derive(Debug, Clone)]
pub struct Options {
    pub env: Environment,
    pub listen: SocketAddr,
    pub latency: std::time::Duration,
    pub clock_offset_s: i64,
    /// Served instead of the documented issuer (to simulate an old `ver2` set-up).
    pub issuer: Option<String>,
    pub registry: Option<Registry>,
    /// Altinn as the 2021 guide describes it, or as it is since June 2026.
    pub era: Era,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            env: Environment::Test,
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            latency: std::time::Duration::ZERO,
            clock_offset_s: 0,
            issuer: None,
            registry: None,
            era: Era::Current,
        }
    }
}

/// A running simulator.
pub struct Simulator {
    pub base_url: String,
    pub state: Arc<AppState>,
    running: Running,
}

impl Simulator {
    /// Starts serving on loopback.
    pub async fn start(world: &World, options: Options) -> Result<Simulator, String> {
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .map_err(|e| format!("cannot listen on {}: {e}", options.listen))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let base_url = format!("https://{addr}");
        let clock = Clock::with_offset(options.clock_offset_s);
        let issuer = options.issuer.clone().unwrap_or_else(|| {
            match options.env {
                Environment::Test => ISSUER_TEST,
                Environment::Prod => ISSUER_PROD,
            }
            .to_string()
        });
        let registry = options.registry.clone().unwrap_or_else(|| world.default_registry(clock.now()));
        let mp = TokenService::new(
            options.env,
            issuer,
            vec![world.ca.root_der().clone()],
            vec![world.ca.issuing_der().clone()],
            registry,
            clock,
        )?;
        let faults =
            Faults { connection_latency: options.latency, request_latency: options.latency, ..Faults::default() };
        let platform_issuer = match options.env {
            Environment::Test => "https://platform.tt02.altinn.no/authentication/api/v1/openid/",
            Environment::Prod => "https://platform.altinn.no/authentication/api/v1/openid/",
        };
        let altinn = AltinnService::new(options.era, platform_issuer.into())?;
        let state = Arc::new(AppState {
            base_url: base_url.clone(),
            mp,
            altinn,
            faults: RwLock::new(faults),
            seen: Default::default(),
            credentials: Default::default(),
        });
        let running = server::serve(addr, world.tls_config()?, state.clone(), Some(listener)).await?;
        Ok(Simulator { base_url, state, running })
    }

    pub fn set_faults(&self, faults: Faults) {
        if let Ok(mut f) = self.state.faults.write() {
            *f = faults;
        }
    }

    pub fn set_clock_offset(&self, seconds: i64) {
        self.state.mp.clock.set_offset(seconds);
    }

    pub async fn stop(self) {
        let _ = self.running.stop.send(true);
        let _ = self.running.task.await;
    }
}

/// The files `simulate --dir` writes, for a user to point `check` at.
pub fn write_dir(world: &World, dir: &Path, sim: &Simulator, registry: &Registry) -> Result<PathBuf, String> {
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    crate::files::create_private_dir(dir).map_err(|e| io(dir, e))?;
    let write = |name: &str, bytes: &[u8]| -> Result<PathBuf, String> {
        let p = dir.join(name);
        crate::files::write_private(&p, bytes).map_err(|e| io(&p, e))?;
        Ok(p)
    };
    write("ca.pem", world.ca.root_pem().as_bytes())?;
    let chain = [world.ca.issuing_der().as_ref(), world.ca.root_der().as_ref()];
    for org in &world.orgs {
        let p12 = pki::pkcs12(&org.auth.der, &org.key.serialize_der(), &chain, SIM_PASSWORD)?;
        write(&format!("{}.p12", org.orgno), &p12)?;
        let pem = format!("{}{}{}", org.auth.pem, world.ca.chain_pem(), org.key.serialize_pem());
        write(&format!("{}.pem", org.orgno), pem.as_bytes())?;
    }
    write("cert-password", format!("{SIM_PASSWORD}\n").as_bytes())?;
    let now = sim.state.mp.clock.now();
    let crl =
        world.ca.crl(&[], now - time::Duration::hours(1), now + time::Duration::days(7)).map_err(|e| e.to_string())?;
    write("ca.crl", &crl)?;
    if !dir.join("clients.toml").exists() {
        write("clients.toml", registry.to_toml().as_bytes())?;
    }
    let demo = ORGS[0].0;
    let profile = format!(
        "# A profile that passes against the simulator at {base}.\n\
         # altinn-doctor check --config {dir}/profile.toml\n\
         env = \"test\"\n\
         cert = \"{demo}.p12\"\n\
         cert_password_file = \"cert-password\"\n\
         org = \"{demo}\"\n\
         ca_file = [\"ca.pem\"]\n\
         crl = [\"ca.crl\"]\n\
         client_id = \"{CLIENT}\"\n\
         scope = [\"{SCOPE}\"]\n\
         maskinporten_url = \"{base}\"\n\
         samarbeid_url = \"{base}\"\n\
         platform_url = \"{base}\"\n\
         altinn_url = \"{base}\"\n\
         system_id = \"{SYSTEM_ID}\"\n\
         system_user_org = \"{demo}\"\n\
         # external_ref = \"…\"  (when the system-user request was made with one)\n\
         require_access_package = [\"{PACKAGE}\"]\n",
        base = sim.base_url,
        dir = dir.display(),
    );
    write("api-key", format!("{API_KEY}\n").as_bytes())?;
    write("enterprise-password", format!("{ENTERPRISE_PASSWORD}\n").as_bytes())?;
    // The old path exists only in the 2025 era: since June 2026 it would fail.
    let old_path = match sim.state.altinn.era {
        Era::Y2025 => format!(
            "flow = \"both\"\nenterprise_user = \"{ENTERPRISE_USER}\"\n\
             enterprise_password_file = \"enterprise-password\"\napi_key_file = \"api-key\"\n"
        ),
        Era::Current => "flow = \"system-user\"\n".to_string(),
    };
    write("profile.toml", format!("{profile}{old_path}").as_bytes())
}

/// The password of the PKCS#12 files the simulator writes.
pub const SIM_PASSWORD: &str = "sim-p12-Passord";
