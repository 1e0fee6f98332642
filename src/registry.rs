//! Every domain's checks, in run order, in one place: what each needs, what it reads,
//! and what it hands on. The data flow of a run is read here, top to bottom.

use crate::altinn::checks::{self as altinn, EnterpriseToken, OrgToken, SystemUserToken};
use crate::certificate::checks::{self as cert, Input};
use crate::certificate::key::PrivateKey;
use crate::config::Probe;
use crate::engine::{BoxFuture, Check, CheckId, Finding, Given, Run as How, Slot};
use crate::maskinporten::checks::{self as mp, Issued};
use crate::maskinporten::client::Discovered;
use crate::sources::Sources;

/// A run: the sources, and a slot for each product a check hands on.
pub struct Run {
    pub(crate) sources: Sources,
    proven_key: Slot<PrivateKey>,
    discovered: Slot<Discovered>,
    scopes: Slot<mp::scopes::ScopeCatalogue>,
    pub(crate) issued: Slot<Issued>,
    org_token: Slot<OrgToken>,
    enterprise_token: Slot<EnterpriseToken>,
    system_user_token: Slot<SystemUserToken>,
    resource_grants: Slot<altinn::resource::ResourceGrants>,
}

impl Run {
    pub(crate) fn new(sources: Sources) -> Run {
        Run {
            sources,
            proven_key: Slot::new(cert::KEY_MATCH),
            discovered: Slot::new(mp::DISCOVERY),
            scopes: Slot::new(mp::SCOPES),
            issued: Slot::new(mp::TOKEN),
            org_token: Slot::new(altinn::EXCHANGE),
            enterprise_token: Slot::new(altinn::ENTERPRISE_USER),
            system_user_token: Slot::new(altinn::SYSTEM_USER),
            resource_grants: Slot::new(altinn::RESOURCE),
        }
    }

    fn certificate(&self) -> Input<'_> {
        let s = &self.sources;
        Input {
            profile: &s.profile,
            certificate: &s.certificate,
            kid_keys: &s.kid_keys,
            trust: &s.trust,
            crl_files: &s.crl_files,
            http: &s.http,
        }
    }
}

/// A local check of the certificate domain.
fn local(id: CheckId, depends_on: &'static [CheckId], run: for<'a> fn(&'a Run, &Given<'a>) -> Finding) -> Check<Run> {
    Check { id, depends_on, reads: &[], needs_network: false, round_trips: 0, applies: None, run: How::Local(run) }
}

/// The checks that need the certificate read.
const READ: &[CheckId] = &[cert::READABLE];

/// Every check, in run order (the order of the report).
pub fn checks() -> Vec<Check<Run>> {
    let mut all = certificate_checks();
    all.extend(maskinporten_checks());
    all.extend(altinn_checks());
    all.extend(system_user_checks());
    all.extend(probe_checks());
    all
}

/// The certificate's checks: local, on what the sources stage loaded.
fn certificate_checks() -> Vec<Check<Run>> {
    vec![
        local(cert::READABLE, &[], |r, _| cert::readable::run(&r.certificate())),
        // Not blocked by cert.readable: a key client with no certificate has its
        // registered key judged here, offline too.
        Check {
            reads: READ,
            ..local(cert::KEY_MATCH, &[], |r, g| {
                let (finding, key) = cert::key_match::run(&r.certificate());
                g.put(&r.proven_key, key);
                finding
            })
        },
        local(cert::VALIDITY, READ, |r, _| cert::validity::run(&r.certificate())),
        local(cert::ROLE, READ, |r, _| cert::role::run(&r.certificate())),
        local(cert::KEY_STRENGTH, READ, |r, _| cert::key_strength::run(&r.certificate())),
        local(cert::ISSUER, READ, |r, _| cert::issuer::run(&r.certificate())),
        Check {
            id: cert::REVOCATION,
            depends_on: READ,
            reads: &[],
            needs_network: false,
            round_trips: 1,
            applies: None,
            run: How::Async(|r, _| Box::pin(async move { cert::revocation::run(&r.certificate()).await })),
        },
        local(cert::ORG_NUMBER, READ, |r, _| cert::org_number::run(&r.certificate())),
    ]
}

/// Maskinporten's checks: discovery, then the clock and the token beside each other.
fn maskinporten_checks() -> Vec<Check<Run>> {
    vec![
        Check {
            id: mp::DISCOVERY,
            depends_on: &[],
            reads: &[],
            needs_network: true,
            round_trips: 1,
            applies: None,
            run: How::Async(discovery),
        },
        Check {
            id: mp::SCOPES,
            depends_on: &[],
            reads: &[],
            needs_network: true,
            round_trips: 1,
            applies: None,
            run: How::Async(scopes),
        },
        Check {
            id: mp::CLOCK,
            depends_on: &[mp::DISCOVERY],
            reads: &[],
            needs_network: true,
            round_trips: 0,
            applies: None,
            run: How::Local(|r, g| match g.need(&r.discovered) {
                Ok(found) => mp::clock::run(found),
                Err(skip) => skip,
            }),
        },
        Check {
            id: mp::TOKEN,
            depends_on: &[mp::DISCOVERY],
            reads: &[cert::KEY_MATCH, mp::SCOPES],
            needs_network: true,
            round_trips: 1,
            applies: None,
            run: How::Async(token),
        },
        Check {
            id: mp::TOKEN_CLAIMS,
            depends_on: &[mp::TOKEN, mp::DISCOVERY],
            reads: &[],
            needs_network: true,
            round_trips: 1,
            applies: None,
            run: How::Async(token_claims),
        },
    ]
}

/// Altinn's checks: the exchange and the old guide's path after the token.
fn altinn_checks() -> Vec<Check<Run>> {
    vec![
        Check {
            id: altinn::EXCHANGE,
            depends_on: &[mp::TOKEN],
            reads: &[],
            needs_network: true,
            round_trips: 1,
            applies: None,
            run: How::Async(exchange),
        },
        Check {
            id: altinn::API_KEY,
            depends_on: &[altinn::EXCHANGE],
            reads: &[],
            needs_network: true,
            round_trips: 1,
            applies: Some(|r| altinn::enterprise_user_flow(&r.sources.profile)),
            run: How::Async(api_key),
        },
        // The one password attempt of the run is spent only once the exchange itself works:
        // a login against a failing exchange would count as a failure towards the lock-out.
        Check {
            id: altinn::ENTERPRISE_USER,
            depends_on: &[altinn::EXCHANGE, mp::TOKEN],
            reads: &[],
            needs_network: true,
            round_trips: 1,
            applies: Some(|r| altinn::enterprise_user_flow(&r.sources.profile)),
            run: How::Async(enterprise_user),
        },
        Check {
            id: altinn::ROLES,
            depends_on: &[altinn::ENTERPRISE_USER, altinn::API_KEY],
            reads: &[altinn::RESOURCE],
            needs_network: true,
            round_trips: 1,
            applies: Some(|r| altinn::enterprise_user_flow(&r.sources.profile)),
            run: How::Async(roles),
        },
    ]
}

/// The system user's checks, after discovery: each asks for tokens of its own. The
/// resources' policies are read beside them (anonymous), for the rights.
fn system_user_checks() -> Vec<Check<Run>> {
    vec![
        Check {
            id: altinn::RESOURCE,
            depends_on: &[],
            reads: &[],
            needs_network: true,
            round_trips: 1,
            applies: None,
            run: How::Async(resource),
        },
        Check {
            id: altinn::SYSTEM_USER,
            depends_on: &[mp::DISCOVERY],
            reads: &[cert::KEY_MATCH],
            needs_network: true,
            round_trips: 2,
            applies: Some(|r| altinn::system_user::applies(&r.sources.profile)),
            run: How::Async(system_user),
        },
        Check {
            id: altinn::SYSTEM_USER_RIGHTS,
            depends_on: &[altinn::SYSTEM_USER, mp::DISCOVERY],
            reads: &[cert::KEY_MATCH, altinn::RESOURCE],
            needs_network: true,
            // A grant and an exchange of its own when the profile's scopes lack the
            // rights scope, then the parties.
            round_trips: 3,
            applies: Some(|r| altinn::system_user_flow(&r.sources.profile)),
            run: How::Async(system_user_rights),
        },
    ]
}

/// The product probes, each only when `--probe` names it: one GET with the token the
/// run already holds (the system user's, the exchanged one, or Maskinporten's).
fn probe_checks() -> Vec<Check<Run>> {
    let probe = |id, run| Check {
        id,
        depends_on: &[],
        reads: &[mp::TOKEN, altinn::EXCHANGE, altinn::SYSTEM_USER],
        needs_network: true,
        round_trips: 1,
        applies: None,
        run: How::Async(run),
    };
    vec![
        Check {
            applies: Some(|r| altinn::probe::asked(&r.sources.profile, Probe::Correspondence)),
            ..probe(altinn::PROBE_CORRESPONDENCE, |r, g| probe_with(r, g, Probe::Correspondence))
        },
        Check {
            applies: Some(|r| altinn::probe::asked(&r.sources.profile, Probe::Broker)),
            ..probe(altinn::PROBE_BROKER, |r, g| probe_with(r, g, Probe::Broker))
        },
        Check {
            applies: Some(|r| altinn::probe::asked(&r.sources.profile, Probe::Dialogporten)),
            ..probe(altinn::PROBE_DIALOGPORTEN, |r, g| probe_with(r, g, Probe::Dialogporten))
        },
        Check {
            applies: Some(|r| altinn::probe::asked(&r.sources.profile, Probe::Instances)),
            ..probe(altinn::PROBE_INSTANCES, |r, g| probe_with(r, g, Probe::Instances))
        },
    ]
}

/// Connects to every host the run will need, at once, so that the TLS handshakes overlap
/// with the local checks and with discovery (nothing when offline). Two connections to
/// Altinn 2, whose HTTP/1.1 cannot share one between the roles check's two requests.
pub(crate) fn warm_up(run: &Run) -> impl std::future::Future<Output = ()> + Send + 'static {
    let profile = &run.sources.profile;
    let (http, http1) = (run.sources.http.clone(), run.sources.http1.clone());
    let platform = crate::altinn::client::platform_base(profile);
    let altinn2 = profile.altinn.flow.enterprise_user().then(|| crate::altinn::client::altinn2_base(profile));
    let offline = profile.offline;
    async move {
        if offline {
            return;
        }
        let old = async {
            if let Some(base) = &altinn2 {
                http1.warm(base, 2).await;
            }
        };
        futures_util::future::join(http.warm(&platform, 1), old).await;
    }
}

/// Failures that are the consequence of another check's, by cause: `(check, cause code,
/// root)`. The report shows them under their root, as one problem with one fix.
pub(crate) const CONSEQUENCES: &[(CheckId, &str, CheckId)] = &[
    (mp::TOKEN, "certificate-expired", cert::VALIDITY),
    (mp::TOKEN, "environment-mix-up", cert::ISSUER),
    (mp::TOKEN, "invalid-certificate", cert::ISSUER),
    (mp::TOKEN, "org-mismatch", cert::ORG_NUMBER),
    (altinn::SYSTEM_USER, "maskinporten-refused", mp::TOKEN),
    (altinn::SYSTEM_USER, "exchange-failed", altinn::EXCHANGE),
    (altinn::SYSTEM_USER_RIGHTS, "maskinporten-refused", mp::TOKEN),
];

/// Every check ID, in run order: the one list (pages, `explain`, `list`, `--only`).
pub fn ids() -> Vec<CheckId> {
    checks().iter().map(|c| c.id).collect()
}

/// Reads an ID as the user typed it (case-insensitive).
pub fn parse_id(text: &str) -> Option<CheckId> {
    let text = text.trim().to_ascii_lowercase();
    ids().into_iter().find(|id| id.as_str() == text)
}

/// `--only NAME` or `--skip NAME` that names no check: the error lists them all.
pub(crate) fn unknown_id(flag: &str, name: &str) -> crate::config::Usage {
    let known = ids().iter().map(|c| c.as_str().to_string()).collect();
    crate::config::Usage::flag(flag, crate::vocab::Problem::NoSuchCheck { name: name.to_string(), known })
}

fn discovery<'a>(r: &'a Run, g: Given<'a>) -> BoxFuture<'a, Finding> {
    Box::pin(async move {
        let (finding, found) = mp::discovery::run(&r.sources).await;
        g.put(&r.discovered, found);
        finding
    })
}

fn scopes<'a>(r: &'a Run, g: Given<'a>) -> BoxFuture<'a, Finding> {
    Box::pin(async move {
        let (finding, catalogue) = mp::scopes::run(&r.sources).await;
        g.put(&r.scopes, catalogue);
        finding
    })
}

fn token<'a>(r: &'a Run, g: Given<'a>) -> BoxFuture<'a, Finding> {
    Box::pin(async move {
        let found = match g.need(&r.discovered) {
            Ok(found) => found,
            Err(skip) => return skip,
        };
        let (finding, issued) = mp::token::run(&r.sources, found, g.get(&r.proven_key), g.get(&r.scopes)).await;
        g.put(&r.issued, issued);
        finding
    })
}

fn token_claims<'a>(r: &'a Run, g: Given<'a>) -> BoxFuture<'a, Finding> {
    Box::pin(async move {
        match (g.need(&r.discovered), g.need(&r.issued)) {
            (Ok(found), Ok(issued)) => mp::token_claims::run(&r.sources, found, issued).await,
            (Err(skip), _) | (_, Err(skip)) => skip,
        }
    })
}

fn exchange<'a>(r: &'a Run, g: Given<'a>) -> BoxFuture<'a, Finding> {
    Box::pin(async move {
        let issued = match g.need(&r.issued) {
            Ok(issued) => issued,
            Err(skip) => return skip,
        };
        let (finding, token) = altinn::exchange::run(&r.sources, issued).await;
        g.put(&r.org_token, token);
        finding
    })
}

fn api_key<'a>(r: &'a Run, g: Given<'a>) -> BoxFuture<'a, Finding> {
    Box::pin(async move {
        match g.need(&r.org_token) {
            Ok(token) => altinn::api_key::run(&r.sources, token).await,
            Err(skip) => skip,
        }
    })
}

fn enterprise_user<'a>(r: &'a Run, g: Given<'a>) -> BoxFuture<'a, Finding> {
    Box::pin(async move {
        let issued = match g.need(&r.issued) {
            Ok(issued) => issued,
            Err(skip) => return skip,
        };
        let (finding, token) = altinn::enterprise_user::run(&r.sources, issued).await;
        g.put(&r.enterprise_token, token);
        finding
    })
}

fn roles<'a>(r: &'a Run, g: Given<'a>) -> BoxFuture<'a, Finding> {
    Box::pin(async move {
        match g.need(&r.enterprise_token) {
            Ok(token) => altinn::roles::run(&r.sources, token, g.get(&r.resource_grants)).await,
            Err(skip) => skip,
        }
    })
}

fn system_user<'a>(r: &'a Run, g: Given<'a>) -> BoxFuture<'a, Finding> {
    Box::pin(async move {
        let found = match g.need(&r.discovered) {
            Ok(found) => found,
            Err(skip) => return skip,
        };
        let (finding, token) = altinn::system_user::run(&r.sources, found, g.get(&r.proven_key)).await;
        g.put(&r.system_user_token, token);
        finding
    })
}

fn resource<'a>(r: &'a Run, g: Given<'a>) -> BoxFuture<'a, Finding> {
    Box::pin(async move {
        let (finding, grants) = altinn::resource::run(&r.sources).await;
        g.put(&r.resource_grants, grants);
        finding
    })
}

/// A probe with the token its product takes: the system user's in that flow (Storage
/// excepted), else the exchanged token, or Maskinporten's for Dialogporten's service owner.
fn probe_with<'a>(r: &'a Run, g: Given<'a>, probe: Probe) -> BoxFuture<'a, Finding> {
    Box::pin(async move {
        let profile = &r.sources.profile;
        let token = match probe {
            _ if altinn::probe::as_system_user(profile, probe) => g.need(&r.system_user_token).map(|t| &t.altinn),
            Probe::Dialogporten => g.need(&r.issued).map(|i| &i.response.access_token),
            _ => g.need(&r.org_token).map(|t| &t.0),
        };
        match token {
            Ok(token) => altinn::probe::run(&r.sources, probe, token).await,
            Err(skip) => skip,
        }
    })
}

fn system_user_rights<'a>(r: &'a Run, g: Given<'a>) -> BoxFuture<'a, Finding> {
    Box::pin(async move {
        match (g.need(&r.system_user_token), g.need(&r.discovered)) {
            (Ok(token), Ok(found)) => {
                let grants = g.get(&r.resource_grants);
                let given =
                    altinn::system_user_rights::Given { found, proven_key: g.get(&r.proven_key), token, grants };
                altinn::system_user_rights::run(&r.sources, given).await
            }
            (Err(skip), _) | (_, Err(skip)) => skip,
        }
    })
}
