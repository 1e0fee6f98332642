//! The named demo scenarios: a simulator set-up and a profile each, run on a fresh
//! machine with nothing to configure, no network beyond loopback, nothing left behind.

use std::path::PathBuf;

use time::OffsetDateTime;

use crate::certificate::OrgNumber;
use crate::config::{Flow, Profile};
use crate::sim::pki::{self, Leaf, LeafSpec};
use crate::sim::world::{self, Options, Simulator, World};
use crate::vocab::Era;
use crate::vocab::{Environment, Secret};

/// The demo organisation, and another one for `wrong-org`.
pub(crate) const DEMO_ORG: &str = world::ORGS[0].0;
pub(crate) const OTHER_ORG: &str = world::ORGS[1].0;

/// A scenario: its name, what it shows, the simulator it needs, and its profile.
pub(crate) struct Scenario {
    /// Its name; what it shows is in the catalogue, section `demo-scenario`.
    pub(crate) name: &'static str,
    /// The environment the simulator plays.
    pub(crate) env: Environment,
    /// The simulator's clock offset: the local clock is this much ahead when negative.
    pub(crate) clock_offset_s: i64,
    /// Which Altinn the simulator plays.
    pub(crate) era: Era,
    setup: Setup,
}

type Setup = fn(&Lab, &mut Profile) -> Result<(), String>;

/// A scenario in the 2025 era, when every step of the guide still worked.
const fn scenario(name: &'static str, setup: Setup) -> Scenario {
    Scenario { name, env: Environment::Test, clock_offset_s: 0, era: Era::Y2025, setup }
}

/// A scenario in today's Altinn: enterprise users and Altinn 2 are gone.
const fn today(name: &'static str, setup: Setup) -> Scenario {
    Scenario { era: Era::Current, ..scenario(name, setup) }
}

/// The scenario `demo` runs when none is named: today's Altinn, a system user.
pub(crate) const DEFAULT: &str = "system-user-ok";

/// Every scenario, `ok` first.
pub(crate) const SCENARIOS: &[Scenario] = &[
    scenario("ok", ok),
    scenario("expired-cert", expired_cert),
    scenario("signing-cert", signing_cert),
    Scenario { env: Environment::Prod, ..scenario("test-cert-in-prod", test_cert_in_prod) },
    scenario("wrong-org", wrong_org),
    scenario("unknown-client", unknown_client),
    scenario("missing-scope", missing_scope),
    Scenario { clock_offset_s: -30, ..scenario("clock-skew", ok) },
    scenario("wrong-api-key", wrong_api_key),
    scenario("wrong-password", wrong_password),
    scenario("missing-role", missing_role),
    today("enterprise-user-gone", enterprise_user_gone),
    today("system-user-ok", system_user_ok),
    today("system-user-not-approved", system_user_not_approved),
    today("system-user-missing-ref", system_user_missing_ref),
    today("missing-access-package", missing_access_package),
    today("system-user-timed-out", system_user_timed_out),
    today("vendor-scopes-missing", vendor_scopes_missing),
    today("agent-system-user-ok", agent_system_user_ok),
    today("agent-client-org", agent_client_org),
    today("rights-as-codes", rights_as_codes),
    today("accountant-no-clients", accountant_no_clients),
    today("rights-scope-missing", rights_scope_missing),
    today("system-deleted", system_deleted),
    today("change-request-pending", change_request_pending),
    today("resource-not-granted", resource_not_granted),
    today("resource-level-4", resource_level_4),
    today("correspondence-no-access", correspondence_no_access),
    today("dialogporten-empty", dialogporten_empty),
    today("jwk-key-client", jwk_key_client),
];

pub(crate) fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

/// The simulated world, its running simulator, and a temporary folder of files.
pub(crate) struct Lab {
    pub(crate) world: World,
    pub(crate) sim: Simulator,
    pub(crate) dir: tempfile::TempDir,
    pub(crate) now: OffsetDateTime,
    /// Serves the simulator while the checks run on their own runtime.
    _runtime: tokio::runtime::Runtime,
}

/// Removes the demo's folder when the process is interrupted (Ctrl-C, SIGTERM), which
/// would otherwise end it before the folder's `Drop`; then exits as the signal would
/// (130, 143). Registered before anything is written there.
async fn remove_on_signal(dir: std::path::PathBuf) -> Result<(), String> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        // Registered here, synchronously: a signal from now on is caught.
        let mut int = signal(SignalKind::interrupt()).map_err(|e| e.to_string())?;
        let mut term = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
        tokio::spawn(async move {
            let code = tokio::select! {
                _ = int.recv() => 130,
                _ = term.recv() => 143,
            };
            let _ = std::fs::remove_dir_all(&dir);
            std::process::exit(code);
        });
    }
    #[cfg(not(unix))]
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        let _ = std::fs::remove_dir_all(&dir);
        std::process::exit(130);
    });
    Ok(())
}

impl Lab {
    /// Generates the world and starts the simulator for `scenario`.
    pub(crate) fn start(scenario: &Scenario, now: OffsetDateTime) -> Result<Lab, String> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let dir = tempfile::Builder::new().prefix("altinn-doctor-demo-").tempdir().map_err(|e| e.to_string())?;
        runtime.block_on(remove_on_signal(dir.path().to_path_buf()))?;
        let world = World::generate(now)?;
        let options = Options {
            env: scenario.env,
            clock_offset_s: scenario.clock_offset_s,
            era: scenario.era,
            ..Options::default()
        };
        let sim = runtime.block_on(Simulator::start(&world, options))?;
        let registry = sim.state.mp.registry.read().map_err(|_| "registry")?.clone();
        world::write_dir(&world, dir.path(), &sim, &registry)?;
        Ok(Lab { world, sim, dir, now, _runtime: runtime })
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A PKCS#12 file of `leaf` with the demo organisation's key.
    fn p12(&self, name: &str, leaf: &Leaf) -> Result<PathBuf, String> {
        let org = self.world.org(DEMO_ORG).ok_or("no demo organisation")?;
        let chain = [self.world.ca.issuing_der().as_ref(), self.world.ca.root_der().as_ref()];
        let bytes = pki::pkcs12(&leaf.der, &org.key.serialize_der(), &chain, world::SIM_PASSWORD)?;
        let path = self.path(name);
        crate::files::write_private(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(path)
    }

    /// The profile the simulator's folder describes: everything passes.
    fn base(&self, profile: &mut Profile) {
        profile.cert = Some(self.path(&format!("{DEMO_ORG}.p12")));
        profile.secrets.cert_password = Some(Secret::new(world::SIM_PASSWORD));
        profile.ca_files = vec![self.path("ca.pem")];
        profile.crl = vec![self.path("ca.crl")];
        profile.org = OrgNumber::parse(DEMO_ORG).ok();
        profile.maskinporten.url = Some(self.sim.base_url.clone());
        profile.maskinporten.samarbeid_url = Some(self.sim.base_url.clone());
        profile.maskinporten.client_id = Some(world::CLIENT.into());
        profile.maskinporten.scopes = vec![world::SCOPE.into()];
        let base = Some(self.sim.base_url.clone());
        let a = &mut profile.altinn;
        a.flow = Flow::Both;
        a.platform_url = base.clone();
        a.altinn_url = base;
        a.enterprise_user = Some(world::ENTERPRISE_USER.into());
        a.system_user_org = OrgNumber::parse(DEMO_ORG).ok();
        a.system_id = Some(world::SYSTEM_ID.into());
        a.require_access_packages = vec![world::PACKAGE.into()];
        profile.secrets.enterprise_password = Some(Secret::new(world::ENTERPRISE_PASSWORD));
        profile.secrets.api_key = Some(Secret::new(world::API_KEY));
    }

    /// The system-user flow alone, as today's Altinn leaves it.
    fn system_user_only(&self, profile: &mut Profile) {
        self.base(profile);
        profile.altinn.flow = Flow::SystemUser;
    }
}

fn ok(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.base(profile);
    Ok(())
}

fn expired_cert(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.base(profile);
    let org = lab.world.org(DEMO_ORG).ok_or("no demo organisation")?;
    let mut spec = LeafSpec::authentication(DEMO_ORG, org.name, lab.now);
    spec.not_before = lab.now - time::Duration::days(3 * 365);
    spec.not_after = lab.now - time::Duration::days(10);
    let leaf = lab.world.ca.issue(&spec, &org.key).map_err(|e| e.to_string())?;
    profile.cert = Some(lab.p12("expired.p12", &leaf)?);
    Ok(())
}

fn signing_cert(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.base(profile);
    let org = lab.world.org(DEMO_ORG).ok_or("no demo organisation")?;
    profile.cert = Some(lab.p12("signing.p12", &org.signing)?);
    Ok(())
}

fn test_cert_in_prod(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.base(profile);
    profile.env = Environment::Prod;
    profile.maskinporten.client_id = Some(world::PROD_CLIENT.into());
    Ok(())
}

fn wrong_org(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.base(profile);
    profile.org = OrgNumber::parse(OTHER_ORG).ok();
    Ok(())
}

fn unknown_client(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.base(profile);
    profile.maskinporten.client_id = Some("demo-clinet".into());
    Ok(())
}

fn missing_scope(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.base(profile);
    profile.maskinporten.scopes = vec![world::SCOPE_NOT_GRANTED.into()];
    Ok(())
}

fn wrong_api_key(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.base(profile);
    profile.secrets.api_key = Some(Secret::new("ukjent-api-nokkel"));
    Ok(())
}

fn wrong_password(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.base(profile);
    profile.secrets.enterprise_password = Some(Secret::new("feil-passord"));
    Ok(())
}

fn missing_role(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.base(profile);
    profile.altinn.enterprise_user = Some(world::USER_WITHOUT_HADM.into());
    profile.secrets.enterprise_password = Some(Secret::new(world::USER_WITHOUT_HADM_PASSWORD));
    Ok(())
}

fn enterprise_user_gone(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.base(profile);
    profile.altinn.flow = Flow::EnterpriseUser;
    Ok(())
}

fn system_user_ok(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    Ok(())
}

fn system_user_not_approved(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    profile.altinn.system_user_org = OrgNumber::parse(world::CUSTOMER_PENDING).ok();
    Ok(())
}

fn system_user_missing_ref(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    profile.altinn.system_user_org = OrgNumber::parse(world::CUSTOMER_WITH_REF).ok();
    Ok(())
}

fn missing_access_package(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    profile.altinn.require_access_packages = vec![world::PACKAGE.into(), world::PACKAGE_NOT_GRANTED.into()];
    Ok(())
}

fn system_user_timed_out(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    profile.altinn.system_user_org = OrgNumber::parse(world::CUSTOMER_TIMED_OUT).ok();
    Ok(())
}

fn vendor_scopes_missing(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    profile.maskinporten.client_id = Some(world::NO_VENDOR_SCOPES_CLIENT.into());
    profile.altinn.system_user_org = OrgNumber::parse(world::CUSTOMER_PENDING).ok();
    Ok(())
}

fn agent_system_user_ok(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    profile.altinn.system_user_org = OrgNumber::parse(world::FACILITATOR).ok();
    profile.altinn.system_user_type = Some(crate::config::SystemUserType::Agent);
    profile.altinn.require_access_packages = vec![world::PACKAGE_NOT_GRANTED.into()];
    Ok(())
}

fn agent_client_org(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    agent_system_user_ok(lab, profile)?;
    profile.altinn.system_user_org = OrgNumber::parse(world::AGENT_CLIENT).ok();
    Ok(())
}

fn accountant_no_clients(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    agent_system_user_ok(lab, profile)?;
    profile.altinn.system_user_org = OrgNumber::parse(world::FACILITATOR_NO_CLIENTS).ok();
    Ok(())
}

fn rights_scope_missing(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    profile.maskinporten.client_id = Some(world::NO_RIGHTS_SCOPE_CLIENT.into());
    profile.altinn.require_access_packages = vec![world::PACKAGE.into()];
    Ok(())
}

fn system_deleted(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    profile.maskinporten.client_id = Some(world::DELETED_SYSTEM_CLIENT.into());
    profile.altinn.system_id = Some(world::DELETED_SYSTEM_ID.into());
    Ok(())
}

fn change_request_pending(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    profile.altinn.system_user_org = OrgNumber::parse(world::CUSTOMER_CHANGE_PENDING).ok();
    profile.altinn.require_access_packages = vec![world::PACKAGE_NOT_GRANTED.into()];
    Ok(())
}

fn resource_not_granted(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    profile.altinn.require_access_packages = Vec::new();
    profile.altinn.resources = vec![world::RESOURCE.into(), world::RESOURCE_OTHER_PACKAGE.into()];
    Ok(())
}

fn resource_level_4(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    profile.altinn.resources = vec![world::RESOURCE_LEVEL_4.into()];
    Ok(())
}

/// The organisation's own exchanged token on Correspondence, for a resource whose owner
/// has granted it nothing: CORR-04001.
fn correspondence_no_access(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.base(profile);
    let a = &mut profile.altinn;
    (a.flow, a.enterprise_user, a.system_user_org, a.require_access_packages) = (Flow::None, None, None, Vec::new());
    a.resources = vec![world::RESOURCE.into()];
    a.probes = vec![crate::config::Probe::Correspondence];
    profile.maskinporten.scopes.push(crate::altinn::products::SCOPE_CORRESPONDENCE_READ.into());
    Ok(())
}

/// The system user holds what the resource's policy grants, and Dialogporten lists no
/// dialog: none yet, or no rights (it does not say which).
fn dialogporten_empty(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    let mut registry = lab.sim.state.mp.registry.write().map_err(|_| "registry")?;
    registry.resources.iter_mut().for_each(|r| r.items = 0);
    profile.altinn.resources = vec![world::RESOURCE.into()];
    profile.altinn.probes = vec![crate::config::Probe::Dialogporten];
    profile.maskinporten.scopes.push(crate::altinn::products::SCOPE_DIALOGPORTEN.into());
    Ok(())
}

/// A client that proves itself with a registered key, given as the private JWK the
/// key tool hands out (its `kid` inside), with no certificate at all.
fn jwk_key_client(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    let org = lab.world.org(DEMO_ORG).ok_or("no demo organisation")?;
    let jwk = pki::private_jwk(&org.key.serialize_der(), world::KEY_ID).ok_or("the demo key as a JWK")?;
    let path = lab.path("maskinporten-key.json");
    crate::files::write_private(&path, jwk.to_string()).map_err(|e| format!("{}: {e}", path.display()))?;
    // The vendor registered this client on its system too.
    let mut registry = lab.sim.state.mp.registry.write().map_err(|_| "registry")?;
    let system = registry.systems.iter_mut().find(|s| s.id == world::SYSTEM_ID).ok_or("no demo system")?;
    system.client_ids.push(world::KEY_CLIENT.into());
    profile.cert = None;
    profile.secrets.cert_password = None;
    profile.key = Some(path);
    profile.maskinporten.client_id = Some(world::KEY_CLIENT.into());
    Ok(())
}

fn rights_as_codes(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.system_user_only(profile);
    profile.altinn.require_access_packages = vec![crate::altinn::types::package_code(world::PACKAGE).to_string()];
    Ok(())
}

/// Sets up `scenario` in `lab` and returns the profile that checks it.
pub(crate) fn prepare(scenario: &Scenario, lab: &Lab, base: Profile) -> Result<Profile, String> {
    let mut profile = base;
    (scenario.setup)(lab, &mut profile)?;
    Ok(profile)
}
