//! The Altinn checks against the simulator over real HTTPS, in both eras: the exchange,
//! the API key, the enterprise user (and that it is tried once), roles, system users.

mod common;

use altinn_doctor::altinn::client::token_of;
use altinn_doctor::altinn::types::*;
use altinn_doctor::sim::server::Faults;
use altinn_doctor::sim::world::{self, Options};
use altinn_doctor::vocab::Era;
use common::*;

const DEMO: &str = "312345676";

fn era(era: Era) -> SimRun {
    start_sim(Options { era, ..Options::default() })
}

/// The enterprise-user path of the 2025 profile, with these changes.
fn old_path(s: &SimRun, extra: &[&str], env: Env) -> Run {
    let mut args = vec!["--flow", "enterprise-user"];
    args.extend_from_slice(extra);
    s.check_env(&args, env)
}

#[test]
fn the_2025_profile_passes_the_whole_chain() {
    let s = era(Era::Y2025);
    let r = s.check(&[]);
    r.assert_all_pass();
    assert_eq!(r.status("altinn.enterprise-user"), "pass");
    assert_eq!(r.status("altinn.system-user"), "pass");
    assert_eq!(r.fact("altinn.exchange", "altinn_org"), DEMO);
    assert_eq!(r.fact("altinn.exchange", "altinn_auth_method"), "maskinporten");
    assert_eq!(r.fact("altinn.roles", "roles"), serde_json::json!(["HADM", "UTINN"]));
    assert_eq!(r.fact("altinn.system-user", "systemuser_org"), DEMO);
    assert_eq!(r.fact("altinn.system-user", "system_id"), world::SYSTEM_ID);
    assert!(r.fact("altinn.system-user", "systemuser_id").as_str().unwrap().len() > 10);
    // The report carries no secret: not the API key, the password, or any token.
    for out in [&r.stdout, &r.stderr] {
        for secret in [world::API_KEY, world::ENTERPRISE_PASSWORD, world::SIM_PASSWORD] {
            assert!(!out.contains(secret), "{secret} leaked");
        }
        assert!(!out.contains("eyJ"), "a JWT leaked");
    }
    let table = run(&["check", "--config", &s.profile], &s.env(), s.dir.path());
    for secret in [world::API_KEY, world::ENTERPRISE_PASSWORD, world::SIM_PASSWORD, "eyJ"] {
        assert!(!table.stdout.contains(secret) && !table.stderr.contains(secret), "{secret} leaked");
    }
}

#[test]
fn today_the_old_path_is_reported_gone_and_the_system_user_works() {
    let s = era(Era::Current);
    // The profile `simulate` writes for today runs the system-user flow, and passes.
    let r = s.check(&[]);
    r.assert_all_pass();
    assert_eq!(r.code_of("altinn.enterprise-user"), "not-in-flow");
    // Asked for the old path anyway: gone, never "bad key" or "bad password".
    let env =
        [("ALTINN_DOCTOR_API_KEY", world::API_KEY), ("ALTINN_DOCTOR_ENTERPRISE_PASSWORD", world::ENTERPRISE_PASSWORD)];
    let r = old_path(&s, &["--enterprise-user", world::ENTERPRISE_USER], &env);
    assert_eq!(r.code_of("altinn.api-key"), "altinn2-gone");
    assert!(r.cause("altinn.api-key").contains("2026-06-19"));
    assert_eq!(r.code_of("altinn.enterprise-user"), "gone");
    let cause = r.cause("altinn.enterprise-user");
    assert!(cause.contains(GONE_TITLE) && cause.contains("2026-06-19"), "{cause}");
    let fix = r.fix("altinn.enterprise-user");
    assert!(fix.contains("system user") && fix.contains("altinn.system-user"), "{fix}");
    assert_eq!(r.status("altinn.roles"), "skip");
    assert_eq!(r.code, 1);
}

#[test]
fn the_exchange_answers_raw_or_as_a_json_string_and_the_doctor_reads_both() {
    let s = era(Era::Y2025);
    let token = run(&["token", "--config", &s.profile], &s.env(), s.dir.path()).stdout.trim().to_string();
    let ca = reqwest::Certificate::from_pem(world().ca.root_pem().as_bytes()).unwrap();
    let http = reqwest::Client::builder().tls_certs_only([ca]).no_proxy().build().unwrap();
    let url = format!("{}{EXCHANGE_PATH}", s.sim.base_url);
    for (accept, json) in
        [("text/plain", false), ("*/*", false), ("application/json", true), ("application/hal+json", true)]
    {
        let (ct, body) = s.block_on(async {
            let r = http.get(&url).bearer_auth(&token).header("accept", accept).send().await.unwrap();
            assert_eq!(r.status(), 200);
            let ct = r.headers()["content-type"].to_str().unwrap().to_string();
            (ct, r.bytes().await.unwrap())
        });
        assert_eq!(body.starts_with(b"\""), json, "{accept}: {ct}");
        let altinn = token_of(&body).expect("the doctor reads it");
        assert_eq!(altinn.expose().split('.').count(), 3);
    }
}

#[test]
fn a_wrong_password_is_tried_once_and_the_lock_out_is_reported() {
    let s = era(Era::Y2025);
    let wrong = [("ALTINN_DOCTOR_ENTERPRISE_PASSWORD", "feil-passord")];
    let r = old_path(&s, &[], &wrong);
    assert_eq!(r.code_of("altinn.enterprise-user"), "wrong-user-or-password");
    assert!(r.cause("altinn.enterprise-user").contains("tried once"));
    assert_eq!(s.sim.state.altinn.attempts.lock().unwrap().len(), 1, "exactly one login attempt per run");
    // Nine more runs: ten failures, and the user is locked for an hour.
    for _ in 0..9 {
        old_path(&s, &[], &wrong);
    }
    assert_eq!(s.sim.state.altinn.attempts.lock().unwrap().len(), 10);
    let r = old_path(&s, &[], &[]);
    assert_eq!(r.code_of("altinn.enterprise-user"), "locked-out", "even the right password is refused now");
    let retry: u64 = r
        .cause("altinn.enterprise-user")
        .split("unlocks in ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((3500..=3600).contains(&retry), "unlocks in about an hour: {retry}");
}

#[test]
fn enterprise_user_answers_400_and_502() {
    let s = era(Era::Y2025);
    for (status, code) in [(400, "header-rejected"), (502, "backend")] {
        let body = format!(r#"{{"title":"x","status":{status},"traceId":"00-abc-01"}}"#);
        s.sim.set_faults(Faults { enterprise_login_answer: Some((status, body)), ..Faults::default() });
        let r = old_path(&s, &[], &[]);
        assert_eq!(r.code_of("altinn.enterprise-user"), code);
        assert_eq!(r.fact("altinn.enterprise-user", "trace_id"), "00-abc-01");
    }
    // A username with a colon cannot be sent: a configuration error.
    let r = old_path(&s, &["--enterprise-user", "navn:med-kolon"], &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("enterprise_user"), "{}", r.stderr);
}

#[test]
fn api_keys_told_apart_by_their_reason_phrase() {
    let s = era(Era::Y2025);
    let r = old_path(&s, &[], &[("ALTINN_DOCTOR_API_KEY", "ukjent")]);
    assert_eq!(r.code_of("altinn.api-key"), "unknown-key");
    assert_eq!(r.fact("altinn.api-key", "api_reason"), REASON_APIKEY_UNKNOWN);
    let r = old_path(&s, &[], &[("ALTINN_DOCTOR_API_KEY", world::API_KEY_ROLES_ONLY)]);
    assert_eq!(r.code_of("altinn.api-key"), "not-authorized");
    assert!(r.cause("altinn.api-key").contains("Organization.read"));
    // The answers the doctor cannot provoke, read straight from the simulator.
    let ca = reqwest::Certificate::from_pem(world().ca.root_pem().as_bytes()).unwrap();
    let http = reqwest::Client::builder().tls_certs_only([ca]).no_proxy().http1_only().build().unwrap();
    let url = format!("{}/api/reportees", s.sim.base_url);
    let reason = |r: &reqwest::Response| {
        r.extensions().get::<hyper::ext::ReasonPhrase>().map(|p| String::from_utf8_lossy(p.as_bytes()).into_owned())
    };
    s.block_on(async {
        let r = http.get(&url).send().await.unwrap();
        assert_eq!((r.status().as_u16(), reason(&r).as_deref()), (400, Some(REASON_APIKEY_MISSING)));
        let r = http.get(&url).header("ApiKey", world::API_KEY).bearer_auth("not-a-token").send().await.unwrap();
        assert_eq!((r.status().as_u16(), reason(&r).as_deref()), (401, Some(REASON_NO_ORG)));
    });
}

#[test]
fn roles_are_resolved_through_the_role_definitions() {
    let s = era(Era::Y2025);
    let r = old_path(&s, &["--require-role", "dagl"], &[]);
    assert_eq!(r.code_of("altinn.roles"), "missing-role");
    let cause = r.cause("altinn.roles");
    assert!(cause.contains("DAGL") && cause.contains("Daglig leder"), "{cause}");
    assert!(r.fix("altinn.roles").contains("daglig leder"));
}

#[test]
fn an_opaque_401_names_the_likely_causes_in_the_platform_s_order() {
    // Maskinporten of one simulator, the platform of another: its keys differ.
    let a = era(Era::Y2025);
    let b = era(Era::Y2025);
    let r = a.check_env(&[], &[("ALTINN_DOCTOR_PLATFORM_URL", &b.sim.base_url)]);
    assert_eq!(r.code_of("altinn.exchange"), "unauthorized");
    let cause = r.cause("altinn.exchange");
    assert!(cause.contains("traceId 00-"), "{cause}");
    let order = ["other environment", "expired", "issuer", "consumer"];
    let at: Vec<usize> = order.iter().map(|w| cause.find(w).unwrap_or_else(|| panic!("{w}: {cause}"))).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "in the platform's order: {cause}");
}

#[test]
fn system_user_causes_with_who_fixes_them() {
    let s = era(Era::Current);
    let su = |extra: &[&str]| s.check(extra);
    let r = su(&["--system-user-org", world::CUSTOMER_PENDING]);
    assert_eq!(r.code_of("altinn.system-user"), "not-approved");
    assert!(r.fix("altinn.system-user").contains("https://") && r.fix("altinn.system-user").contains("customer"));
    let r = su(&["--system-user-org", world::CUSTOMER_REJECTED]);
    assert_eq!(r.code_of("altinn.system-user"), "rejected");
    let r = su(&["--system-user-org", "313311317"]);
    assert_eq!(r.code_of("altinn.system-user"), "no-request");
    assert!(r.fix("altinn.system-user").contains("vendor"));
    let r = su(&["--system-user-org", world::CUSTOMER_WITH_REF]);
    assert_eq!(r.code_of("altinn.system-user"), "external-ref-missing");
    assert!(r.fix("altinn.system-user").contains(world::CUSTOMER_REF));
    let r = su(&[
        "--system-user-org",
        world::CUSTOMER_WITH_REF,
        "--external-ref",
        world::CUSTOMER_REF,
        "--require-access-package",
        world::PACKAGE,
    ]);
    assert_eq!(r.status("altinn.system-user"), "pass", "{}", r.cause("altinn.system-user"));
    // Without the vendor's system ID, MP-303's three causes are listed in order.
    let no_system = Dir::new();
    let text = std::fs::read_to_string(&s.profile).unwrap().replace("system_id", "# system_id");
    let cfg = no_system.write("profile.toml", text);
    for f in ["ca.pem", "ca.crl", "312345676.p12", "cert-password"] {
        std::fs::copy(s.dir.file(f), no_system.file(f)).unwrap();
    }
    let r = check_json(&["--config", &cfg, "--system-user-org", world::CUSTOMER_PENDING], &s.env(), no_system.path());
    assert_eq!(r.code_of("altinn.system-user"), "customer-configuration");
    // A client that is not in the system's registration.
    let key = s.dir.file(format!("{DEMO}.pem").as_str());
    let r = su(&["--client-id", world::KEY_CLIENT, "--kid", world::KEY_ID, "--key", key.to_str().unwrap()]);
    assert_eq!(r.code_of("altinn.system-user"), "client-not-in-system");
    assert!(r.fix("altinn.system-user").contains("vendor"));
}

#[test]
fn system_user_rights_name_the_missing_package() {
    let s = era(Era::Current);
    let r = s.check(&["--require-access-package", world::PACKAGE_NOT_GRANTED]);
    assert_eq!(r.code_of("altinn.system-user-rights"), "missing-package");
    assert!(r.cause("altinn.system-user-rights").contains(world::PACKAGE_NOT_GRANTED));
    assert!(r.fix("altinn.system-user-rights").contains("customer"));
    let parties = r.fact("altinn.system-user-rights", "authorized_parties");
    // Access management names packages by code, not URN.
    assert!(parties.to_string().contains("skattegrunnlag") && !parties.to_string().contains("urn:"), "{parties}");
}

#[test]
fn mp_303_causes_from_the_vendor_look_ups() {
    let s = era(Era::Current);
    let su = |extra: &[&str]| s.check(extra);
    // A request older than 180 days: timed out, not "waiting for approval".
    let r = su(&["--system-user-org", world::CUSTOMER_TIMED_OUT]);
    assert_eq!(r.code_of("altinn.system-user"), "request-timed-out");
    assert_eq!(r.fact("altinn.system-user", "request_timed_out"), true);
    assert!(r.fix("altinn.system-user").contains("new request"));
    // The reference given is not the one the system user was made with.
    let r = su(&["--system-user-org", world::CUSTOMER_WITH_REF, "--external-ref", "feil-ref"]);
    assert_eq!(r.code_of("altinn.system-user"), "external-ref-mismatch");
    assert!(r.cause("altinn.system-user").contains(world::CUSTOMER_REF));
    // A system ID of no system of this vendor.
    let r = su(&["--system-user-org", "313311317", "--system-id", "312345676_finnes-ikke"]);
    assert_eq!(r.code_of("altinn.system-user"), "system-not-found");
    // A client without the vendor scopes: explained without look-ups, naming the scopes.
    let r = su(&["--system-user-org", "313311317", "--client-id", world::NO_VENDOR_SCOPES_CLIENT]);
    assert_eq!(r.code_of("altinn.system-user"), "vendor-scopes-missing");
    assert!(r.cause("altinn.system-user").contains("altinn:authentication/systemuser.request.read"));
}

#[test]
fn agent_system_users_and_the_facilitator_pitfall() {
    let s = era(Era::Current);
    // The accountant's own org number: the agent system user works, and its clients, not
    // the accountant, hold the package (given as a code); said with or without the type.
    for typed in [true, false] {
        let mut args = vec!["--system-user-org", world::FACILITATOR, "--require-access-package", "regnskapsforer-lonn"];
        if typed {
            args.extend(["--system-user-type", "agent"]);
        }
        let r = s.check(&args);
        assert_eq!(r.status("altinn.system-user"), "pass", "{}", r.cause("altinn.system-user"));
        let rights = r.cause("altinn.system-user-rights");
        assert_eq!(r.code_of("altinn.system-user-rights"), "clients-granted", "typed {typed}: {rights}");
        assert!(rights.contains("2 client(s)"), "{rights}");
        let parties = r.fact("altinn.system-user-rights", "authorized_parties").to_string();
        assert!(parties.contains(world::AGENT_CLIENT) && parties.contains(world::AGENT_CLIENT_2), "{parties}");
    }
    // The client's package missing on one client: named, for the facilitator to delegate.
    let r = s.check(&[
        "--system-user-org",
        world::FACILITATOR,
        "--system-user-type",
        "agent",
        "--require-access-package",
        world::PACKAGE,
    ]);
    assert_eq!(r.code_of("altinn.system-user-rights"), "clients-missing-package");
    assert_eq!(r.status("altinn.system-user-rights"), "warn", "one client of two is complete");
    assert!(r.cause("altinn.system-user-rights").contains(world::AGENT_CLIENT));
    // An accountant with no client delegated: told apart, and the facilitator acts.
    let r = s.check(&[
        "--system-user-org",
        world::FACILITATOR_NO_CLIENTS,
        "--require-access-package",
        "regnskapsforer-lonn",
    ]);
    assert_eq!(r.status("altinn.system-user"), "pass", "{}", r.cause("altinn.system-user"));
    assert_eq!(r.code_of("altinn.system-user-rights"), "no-clients", "{}", r.cause("altinn.system-user-rights"));
    assert!(r.fix("altinn.system-user-rights").contains("client administration"));
    assert_eq!(r.code, 1);
    // A client's org number in the grant: MP-303. The system has two accountants' agent
    // system users, so none is named as "the" facilitator; how many is said.
    let r = s.check(&["--system-user-org", world::AGENT_CLIENT, "--system-user-type", "agent"]);
    assert_eq!(r.code_of("altinn.system-user"), "not-a-facilitator");
    let cause = r.cause("altinn.system-user");
    assert!(cause.contains(world::AGENT_CLIENT) && cause.contains("2 agent system users"), "{cause}");
    assert!(!cause.contains(world::FACILITATOR) && !cause.contains(world::FACILITATOR_NO_CLIENTS), "{cause}");
}

#[test]
fn a_client_without_the_rights_scope_still_proves_its_system_user() {
    let s = era(Era::Current);
    let r = s.check(&["--client-id", world::NO_RIGHTS_SCOPE_CLIENT, "--require-access-package", world::PACKAGE]);
    assert_eq!(r.status("altinn.system-user"), "pass", "{}", r.cause("altinn.system-user"));
    let scope = r.fact("altinn.system-user", "system_user_scope").to_string();
    assert!(!scope.contains("authorizedparties"), "the system user's grant keeps the profile's scopes: {scope}");
    assert_eq!(r.code_of("altinn.system-user-rights"), "scope-missing", "{}", r.cause("altinn.system-user-rights"));
    let cause = r.cause("altinn.system-user-rights");
    assert!(
        cause.contains("altinn:accessmanagement/authorizedparties") && cause.contains(world::NO_RIGHTS_SCOPE_CLIENT)
    );
    assert!(r.fix("altinn.system-user-rights").contains("vendor"));
    // With the scope among the profile's own: one token serves both checks.
    let r =
        s.check(&["--require-access-package", world::PACKAGE, "--scope", "altinn:accessmanagement/authorizedparties"]);
    assert_eq!(r.code_of("altinn.system-user-rights"), "granted", "{}", r.cause("altinn.system-user-rights"));
}

#[test]
fn a_deleted_system_a_pending_change_and_a_separate_vendor_client() {
    let s = era(Era::Current);
    // The client is registered only on a system its vendor deleted: MP-303, and the
    // register still answers the system, with isDeleted.
    let r = s.check(&["--client-id", world::DELETED_SYSTEM_CLIENT, "--system-id", world::DELETED_SYSTEM_ID]);
    assert_eq!(r.code_of("altinn.system-user"), "system-deleted", "{}", r.cause("altinn.system-user"));
    assert!(r.fix("altinn.system-user").contains("vendor"));
    // A missing package the vendor asked for: the change request waits for the customer.
    let r = s.check(&[
        "--system-user-org",
        world::CUSTOMER_CHANGE_PENDING,
        "--require-access-package",
        world::PACKAGE_NOT_GRANTED,
    ]);
    assert_eq!(r.status("altinn.system-user"), "pass", "{}", r.cause("altinn.system-user"));
    assert_eq!(
        r.code_of("altinn.system-user-rights"),
        "change-request-pending",
        "{}",
        r.cause("altinn.system-user-rights")
    );
    assert!(r.fix("altinn.system-user-rights").contains("/systemuser/changerequest?id="));
    // No change request for the demo org: the plain missing package.
    let r = s.check(&["--require-access-package", world::PACKAGE_NOT_GRANTED]);
    assert_eq!(r.code_of("altinn.system-user-rights"), "missing-package");
    assert_eq!(r.fact("altinn.system-user-rights", "change_request_status"), "none");
    // The vendor scopes on another client: the look-ups are made with it.
    let r = s.check(&[
        "--client-id",
        world::NO_VENDOR_SCOPES_CLIENT,
        "--vendor-client-id",
        world::CLIENT,
        "--system-user-org",
        world::CUSTOMER_PENDING,
    ]);
    assert_eq!(r.code_of("altinn.system-user"), "not-approved", "{}", r.cause("altinn.system-user"));
}

#[test]
fn rights_that_know_the_resource() {
    let s = era(Era::Current);
    let res = |id: &str| format!("urn:altinn:resource:{id}");
    // The demo system user's package grants the resource: no --require-access-package.
    let r = s.check(&["--resource", &res(world::RESOURCE)]);
    assert_eq!(r.code_of("altinn.resource"), "known", "{}", r.cause("altinn.resource"));
    assert_eq!(r.code_of("altinn.system-user-rights"), "resources-granted", "{}", r.cause("altinn.system-user-rights"));
    // Only a package it lacks grants the other: named, with who acts.
    let r = s.check(&["--resource", &res(world::RESOURCE_OTHER_PACKAGE)]);
    assert_eq!(
        r.code_of("altinn.system-user-rights"),
        "resource-not-granted",
        "{}",
        r.cause("altinn.system-user-rights")
    );
    let cause = r.cause("altinn.system-user-rights");
    assert!(cause.contains("regnskapsforer-lonn") && cause.contains(world::RESOURCE_OTHER_PACKAGE), "{cause}");
    // The package is named beside its code, from access management's metadata.
    assert!(cause.contains("regnskapsforer-lonn (Accountant salary)"), "{cause}");
    assert_eq!(r.code, 1);
    // An access list: a warning naming the owner. A resource the registry lacks: a failure.
    let r = s.check(&["--resource", world::RESOURCE_ACCESS_LIST]);
    assert_eq!(r.code_of("altinn.resource"), "access-list", "{}", r.cause("altinn.resource"));
    assert!(r.fix("altinn.resource").contains(world::DIGDIR));
    let r = s.check(&["--resource", "urn:altinn:resource:finnes-ikke"]);
    assert_eq!(r.code_of("altinn.resource"), "not-found");
    // The API's scope not asked for: a warning.
    let r = s.check(&["--resource", world::RESOURCE, "--scope", world::SCOPE_GRANTED]);
    assert_eq!(r.code_of("altinn.resource"), "scope-not-asked", "{}", r.cause("altinn.resource"));
    // An https URL is the token's audience, not a resource; two are a usage error.
    let r = s.check(&["--resource", "https://a.example/", "--resource", "https://b.example/"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn a_resource_demanding_level_4_shuts_out_a_system_user() {
    let s = era(Era::Current);
    let r = s.check(&["--resource", world::RESOURCE_LEVEL_4]);
    assert_eq!(r.code_of("altinn.resource"), "level-too-high", "{}", r.cause("altinn.resource"));
    assert!(r.cause("altinn.resource").contains("level 4"), "{}", r.cause("altinn.resource"));
    assert_eq!(r.code, 1);
    // Level 3 (the others) is what a system user has.
    let r = s.check(&["--resource", world::RESOURCE]);
    assert_eq!(r.status("altinn.resource"), "pass", "{}", r.cause("altinn.resource"));
}

/// The product probes, against the simulator's product APIs: one read-only GET each.
#[test]
fn probes_prove_real_access_to_each_product() {
    use altinn_doctor::altinn::products as p;
    let s = era(Era::Current);
    let scopes = [world::SCOPE, p::SCOPE_CORRESPONDENCE_READ, world::SCOPE_GRANTED, p::SCOPE_DIALOGPORTEN].join(" ");
    let with = |extra: &[&str]| {
        let mut args = vec!["--resource", world::RESOURCE];
        args.extend_from_slice(extra);
        s.check_env(&args, &[("ALTINN_DOCTOR_SCOPE", scopes.as_str())])
    };
    // The system user holds the resource's package: each product lists what is there.
    let r = with(&["--probe", "correspondence", "--probe", "broker", "--probe", "dialogporten"]);
    for id in ["altinn.probe.correspondence", "altinn.probe.broker", "altinn.probe.dialogporten"] {
        assert_eq!(r.code_of(id), "listed", "{id}: {}", r.cause(id));
        assert!(r.cause(id).contains("2 "), "{id}: {}", r.cause(id));
    }
    assert_eq!(r.code_of("altinn.probe.instances"), "not-asked");
    assert_eq!(r.code, 0, "{}", r.stdout);
    // A resource only a package it lacks grants: Correspondence 4001, Broker 6, and
    // Dialogporten's empty list (a warning: no rights, or nothing there).
    let r = s.check_env(
        &["--resource", world::RESOURCE_OTHER_PACKAGE, "--probe", "correspondence,broker,dialogporten"],
        &[("ALTINN_DOCTOR_SCOPE", scopes.as_str())],
    );
    assert_eq!(r.code_of("altinn.probe.correspondence"), "no-access", "{}", r.cause("altinn.probe.correspondence"));
    assert!(r.cause("altinn.probe.correspondence").contains("CORR-04001"));
    assert_eq!(r.code_of("altinn.probe.broker"), "no-access", "{}", r.cause("altinn.probe.broker"));
    assert!(r.cause("altinn.probe.broker").contains("BRO-00006"));
    assert_eq!(r.code_of("altinn.probe.dialogporten"), "empty-list", "{}", r.cause("altinn.probe.dialogporten"));
    assert_eq!(r.status("altinn.probe.dialogporten"), "warn");
    // Without the product's scope: a 403 with no body, the scope named.
    let r = s.check(&["--resource", world::RESOURCE, "--probe", "correspondence"]);
    assert_eq!(r.code_of("altinn.probe.correspondence"), "scope-refused", "{}", r.cause("altinn.probe.correspondence"));
    assert!(r.cause("altinn.probe.correspondence").contains(p::SCOPE_CORRESPONDENCE_READ));
    assert_eq!(r.code, 1);
}

#[test]
fn probes_as_the_organisation_service_owner_and_their_usage_errors() {
    use altinn_doctor::altinn::products as p;
    let s = era(Era::Current);
    // Storage takes the exchanged token of the app's service owner.
    let owner = [world::SCOPE, p::SCOPE_SERVICE_OWNER, p::SCOPE_INSTANCES_READ].join(" ");
    let r = s.check_env(
        &["--flow", "enterprise-user", "--probe", "instances", "--app", world::APP],
        &[("ALTINN_DOCTOR_SCOPE", owner.as_str())],
    );
    assert_eq!(r.code_of("altinn.probe.instances"), "nothing-there", "{}", r.cause("altinn.probe.instances"));
    // Without altinn:serviceowner the exchanged token has no urn:altinn:org: 403.
    let r = s.check_env(
        &["--flow", "enterprise-user", "--probe", "instances", "--app", world::APP],
        &[("ALTINN_DOCTOR_SCOPE", [world::SCOPE, p::SCOPE_INSTANCES_READ].join(" ").as_str())],
    );
    assert_eq!(r.code_of("altinn.probe.instances"), "scope-refused", "{}", r.cause("altinn.probe.instances"));
    // An organisation token on Dialogporten's service-owner search without its scopes,
    // then a plain organisation token where a system user is needed.
    let r = s.check(&["--flow", "enterprise-user", "--probe", "dialogporten", "--resource", world::RESOURCE]);
    assert_eq!(r.code_of("altinn.probe.dialogporten"), "scope-refused", "{}", r.cause("altinn.probe.dialogporten"));
    // What a probe needs to name its target is a usage error, before any request.
    let r = s.check(&["--probe", "instances"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--app"), "{}", r.stderr);
    let r = s.check(&["--flow", "enterprise-user", "--probe", "broker"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("--resource"), "{}", r.stderr);
    let r = s.check(&["--probe", "sftp"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("correspondence"), "{}", r.stderr);
}

/// Each product's denial, as the contract's examples give it, is decoded into its cause.
#[test]
fn probe_denials_as_the_contract_gives_them() {
    let s = era(Era::Current);
    let body =
        |name: &str| std::fs::read_to_string(format!("{}/tests/contracts/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let cases = [
        ("broker", 403, body("73-brkr-403-5.json"), "not-registered", "BRO-00005"),
        ("broker", 401, body("72-brkr-401-6.json"), "no-access", "BRO-00006"),
        ("correspondence", 401, body("70-corr-401-4001.json"), "no-access", "CORR-04001"),
        (
            "correspondence",
            451,
            r#"{"status":451,"code":"CORR-02014","detail":"Service owner not set up"}"#.into(),
            "not-set-up",
            "CORR-02014",
        ),
        ("dialogporten", 403, body("75-dp-403-usertype.json"), "wrong-user-type", "SystemUser"),
        ("dialogporten", 422, r#"{"title":"Search too broad"}"#.into(), "refused", "422"),
        ("broker", 401, String::new(), "token-refused", "401"),
    ];
    for (probe, status, body, code, shown) in cases {
        s.sim.set_faults(Faults { product_answer: Some((status, body)), ..Faults::default() });
        let r = s.check(&["--resource", world::RESOURCE, "--probe", probe]);
        let id = format!("altinn.probe.{probe}");
        assert_eq!(r.code_of(&id), code, "{probe} {status}: {}", r.cause(&id));
        assert!(r.cause(&id).contains(shown), "{probe}: {}", r.cause(&id));
        assert_eq!(r.code, 1, "{probe} {status}");
        r.assert_no_panic();
    }
    // A rate limit is never retried: the probe could not check (exit 3).
    s.sim.set_faults(Faults { product_answer: Some((429, String::new())), ..Faults::default() });
    let r = s.check(&["--resource", world::RESOURCE, "--probe", "broker"]);
    assert_eq!(r.code_of("altinn.probe.broker"), "rate-limited", "{}", r.cause("altinn.probe.broker"));
    assert_eq!(r.code, 3);
    let probes = s.sim.state.seen.lock().unwrap().iter().filter(|x| x.path.contains("/broker/")).count();
    assert_eq!(probes, 4, "one request per run (three broker cases and this one), never a retry");
}

/// The old path: a resource's policy names roles, and the enterprise user's are compared.
#[test]
fn an_enterprise_user_lacking_every_role_a_resource_grants_is_named() {
    let s = era(Era::Y2025);
    let r = old_path(&s, &["--resource", world::RESOURCE], &[]);
    assert_eq!(r.code_of("altinn.roles"), "resource-role-missing", "{}", r.cause("altinn.roles"));
    let cause = r.cause("altinn.roles");
    assert!(cause.contains("DAGL") && cause.contains(world::RESOURCE), "{cause}");
    assert_eq!(r.code, 1);
}
