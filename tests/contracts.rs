//! The client's parsers on the services' own answers (tests/contracts/, copied from the
//! shared contract examples, each with its source there): what the doctor relies on must
//! read the real shapes, not only the simulator's.

use altinn_doctor::altinn::client::token_of;
use altinn_doctor::maskinporten::client::peek_claims;
use altinn_doctor::maskinporten::types::{AccessTokenClaims, ErrorResponse, Metadata, TokenResponse};

fn example(name: &str) -> String {
    std::fs::read_to_string(format!("{}/tests/contracts/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

#[test]
fn maskinporten_metadata_token_and_errors_parse() {
    let m: Metadata = serde_json::from_str(&example("01-mp-well-known.json")).unwrap();
    assert_eq!(m.issuer, "https://test.maskinporten.no/");
    let t: TokenResponse = serde_json::from_str(&example("07-mp-token-200.json")).unwrap();
    let claims: AccessTokenClaims = peek_claims(t.access_token.expose()).expect("a real token is a token");
    assert_eq!(claims.consumer.orgno(), Some("310547891"));
    for name in ["08-mp-token-400-MP-100.json", "09-mp-token-400-MP-130-expired.json", "13-mp-token-400-MP-303.json"] {
        let e: ErrorResponse = serde_json::from_str(&example(name)).unwrap();
        assert!(!e.error.is_empty(), "{name}");
    }
}

#[test]
fn access_token_claims_of_every_variant_parse() {
    for name in [
        "14-mp-claims-plain-org.json",
        "15-mp-claims-systemuser.json",
        "16-mp-claims-systemuser-agent.json",
        "17-mp-claims-supplier.json",
    ] {
        let c: Result<AccessTokenClaims, _> = serde_json::from_str(&example(name));
        assert!(c.is_ok(), "{name}: {c:?}");
    }
}

#[test]
fn the_real_exchange_answer_is_a_token_and_its_claims_read() {
    let jwt: String = serde_json::from_str(&example("19-altinn-exchange-200.json")).unwrap();
    let token = token_of(example("19-altinn-exchange-200.json").as_bytes()).expect("the JSON string form");
    assert_eq!(token.expose(), jwt);
    assert!(token_of(jwt.as_bytes()).is_some(), "the raw form");
    let claims: serde_json::Value = peek_claims(&jwt).unwrap();
    assert_eq!(claims["urn:altinn:orgNumber"], "310547891");
    assert!(claims["authorization_details"].is_object(), "one object after the exchange");
}

use altinn_doctor::altinn::client::{authorized_parties, find_party, problem};
use altinn_doctor::altinn::types::{
    ChangeRequest, Page, RegisteredSystem, SystemUser, SystemUserRequest, package_code,
};

#[test]
fn vendor_answers_parse_into_the_facts_the_doctor_uses() {
    let s: RegisteredSystem = serde_json::from_str(&example("23-systemregister-vendor-200.json")).unwrap();
    assert_eq!(s.vendor.orgno(), "310547891");
    assert!(s.client_id.contains(&"7b3c2f9e-41d5-4c8a-9e2b-5f0d6a1c3e84".to_string()));
    assert_eq!(s.access_packages.unwrap()[0].urn, "urn:altinn:accesspackage:regnskapsforer-lonn");
    let r: SystemUserRequest = serde_json::from_str(&example("27-request-vendor-get-200.json")).unwrap();
    assert_eq!((r.status.as_str(), r.timed_out, r.external_ref.as_deref()), ("Accepted", false, Some("kunde-4471")));
    let agent: SystemUserRequest = serde_json::from_str(&example("29-request-agent-201.json")).unwrap();
    assert!(agent.confirm_url.unwrap().contains("/agentrequest?id="));
    let u: SystemUser = serde_json::from_str(&example("34-systemuser-byquery-200.json")).unwrap();
    assert_eq!((u.reportee_org_no.as_str(), u.user_type.as_str()), ("313876144", "standard"));
    let page: Page<SystemUser> = serde_json::from_str(&example("35-systemuser-bysystem-200.json")).unwrap();
    assert!(page.links.next.unwrap().contains("token="));
    assert_eq!(page.data[2].user_type, "agent");
    let last: Page<SystemUser> = serde_json::from_str(&example("36-systemuser-bysystem-200-lastpage.json")).unwrap();
    assert!(last.links.next.is_none());
}

#[test]
fn authorised_parties_parse_with_sub_units_and_codes() {
    let parties = authorized_parties(example("37-authorizedparties-200.json").as_bytes()).unwrap();
    let sub = find_party(&parties, "973154125").expect("a sub-unit is found");
    assert!(
        sub.authorized_access_packages.iter().any(|p| p == package_code("urn:altinn:accesspackage:skattegrunnlag"))
    );
    // The bare array older documents show is read too.
    let bare = serde_json::to_string(&parties).unwrap();
    assert_eq!(authorized_parties(bare.as_bytes()).unwrap().len(), 1);
    // An agent system user's parties: its client with the package, the facilitator bare.
    let agent = authorized_parties(example("77-authorizedparties-agent-200.json").as_bytes()).unwrap();
    let client = find_party(&agent, "313876144").unwrap();
    assert_eq!(client.authorized_access_packages, ["regnskapsforer-lonn"]);
    assert!(find_party(&agent, "310547891").unwrap().authorized_access_packages.is_empty());
}

#[test]
fn a_change_request_parses_and_its_empty_package_list_is_as_altinn_sends_it() {
    let c: ChangeRequest = serde_json::from_str(&example("c1-changerequest-byexternalref-200.json")).unwrap();
    assert_eq!((c.status.as_str(), c.timed_out), ("New", false));
    assert!(c.confirm_url.unwrap().contains("/systemuser/changerequest?id="));
    assert!(c.required_access_packages.is_empty(), "the look-up copies the rights, not the packages");
}

#[test]
fn auth_problems_carry_their_code() {
    for (file, code) in [
        ("31-request-404-AUTH-00011.json", "AUTH-00011"),
        ("32-request-404-AUTH-00010.json", "AUTH-00010"),
        ("33-auth-401-AUTH-00023.json", "AUTH-00023"),
    ] {
        let reply = altinn_doctor::http::Reply {
            url: String::new(),
            status: 404,
            reason: None,
            content_type: "application/problem+json".into(),
            retry_after: None,
            location: None,
            date: None,
            received: time::OffsetDateTime::UNIX_EPOCH,
            body: example(file).into_bytes(),
        };
        assert_eq!(problem(&reply).and_then(|p| p.code).as_deref(), Some(code), "{file}");
    }
}

#[test]
fn the_scope_catalogue_parses_as_digdir_sends_it() {
    let all: Vec<altinn_doctor::maskinporten::types::ScopeInfo> =
        serde_json::from_str(&example("68-mp-scopes-all-200.json")).unwrap();
    let s = &all[0];
    assert_eq!(s.full_name(), "altinn:accessmanagement/authorizedparties.resourceowner");
    assert!(s.active && s.for_maskinporten() && !s.accessible_for_all);
    assert_eq!((s.owner_orgno.as_str(), s.at_max_age), ("991825827", Some(3600)));
    assert_eq!(s.delegation_source.as_deref(), Some("https://www.altinn.no/"));
}

#[test]
fn a_resource_and_its_policy_subjects_parse() {
    use altinn_doctor::altinn::types::{PolicySubject, ServiceResource};
    let r: ServiceResource = serde_json::from_str(&example("60-rr-resource-200.json")).unwrap();
    assert_eq!(r.scopes(), ["ttd:mps/example.read", "ttd:mps/example.write"]);
    assert!(r.delegable);
    assert_eq!(r.access_list_mode.as_deref(), Some("Disabled"));
    assert_eq!(r.has_competent_authority.unwrap().organization.as_deref(), Some("991825827"));
    let page: Page<PolicySubject> = serde_json::from_str(&example("62-rr-policy-subjects-200.json")).unwrap();
    assert!(page.data.iter().any(|s| s.kind == "urn:altinn:accesspackage" && s.value == "regnskapsforer-lonn"));
}

#[test]
fn a_policy_s_minimum_authentication_level_is_read_from_its_obligations() {
    use altinn_doctor::altinn::types::minimum_level;
    let policy = |obligations: &str| {
        format!(
            "<xacml:Policy xmlns:xacml=\"urn:oasis:names:tc:xacml:3.0:core:schema:wd-17\"><xacml:ObligationExpressions>{obligations}</xacml:ObligationExpressions></xacml:Policy>"
        )
    };
    let level = |category: &str, n: u8| {
        format!(
            "<xacml:ObligationExpression FulfillOn=\"Permit\" ObligationId=\"urn:altinn:obligation:authenticationLevel1\">\
             <xacml:AttributeAssignmentExpression AttributeId=\"urn:altinn:obligation-assignment:1\" Category=\"{category}\">\
             <xacml:AttributeValue DataType=\"http://www.w3.org/2001/XMLSchema#integer\">{n}</xacml:AttributeValue>\
             </xacml:AttributeAssignmentExpression></xacml:ObligationExpression>"
        )
    };
    let general = level("urn:altinn:minimum-authenticationlevel", 4);
    let org = level("urn:altinn:minimum-authenticationlevel-org", 3);
    assert_eq!(minimum_level(&policy(&general)), Some(4));
    // The organisations' own obligation wins for an organisation's token.
    assert_eq!(minimum_level(&policy(&format!("{general}{org}"))), Some(3));
    assert_eq!(minimum_level(&policy("")), None);
    assert_eq!(minimum_level("not xml <"), None);
}

#[test]
fn private_keys_as_the_tools_write_them_are_read() {
    use altinn_doctor::certificate::load::{KeySource, keys_from_bytes};
    for file in [
        "83-jwk-private-rsa.json",
        "84-settings-apiclients-encodedjwk.json",
        "85-settings-studioctl-provisioned-file.json",
        "86-settings-studioctl-bare-jwk.json",
        "87-settings-studioctl-named-section.json",
    ] {
        let found = keys_from_bytes(example(file).as_bytes(), None, file);
        assert!(matches!(found, KeySource::Found(ref k) if k.len() == 1), "{file}: {found:?}");
    }
}

/// The product APIs' answers as the contract gives them: lists counted, denials decoded
/// into their codes and words, whatever the code's padding or a second `traceId`.
#[test]
fn product_answers_and_denials_are_read() {
    use altinn_doctor::altinn::products::{denial, listed};
    use altinn_doctor::config::Probe;
    let bytes = |name: &str| example(name).into_bytes();
    assert_eq!(listed(Probe::Correspondence, &bytes("69-corr-list-200.json")), Some((2, false)));
    assert_eq!(listed(Probe::Broker, &bytes("71-brkr-list-200.json")), Some((2, false)));
    assert_eq!(listed(Probe::Dialogporten, &bytes("74-dp-enduser-search-200-empty.json")), Some((0, false)));
    assert_eq!(listed(Probe::Instances, &bytes("76-storage-instances-200-empty.json")), Some((0, false)));
    assert_eq!(listed(Probe::Broker, &bytes("69-corr-list-200.json")), None, "another product's list is not Broker's");
    let d = denial(&bytes("70-corr-401-4001.json")).unwrap();
    assert_eq!((d.prefix(), d.number()), (Some("CORR"), Some(4001)));
    assert!(d.detail.unwrap().starts_with("You must use an Altinn token"));
    let d = denial(&bytes("72-brkr-401-6.json")).unwrap();
    assert_eq!((d.prefix(), d.number()), (Some("BRO"), Some(6)));
    let d = denial(&bytes("73-brkr-403-5.json")).unwrap();
    assert_eq!(d.number(), Some(5));
    let d = denial(&bytes("75-dp-403-usertype.json")).unwrap();
    assert!(d.errors[0].contains("Valid user types for this endpoint are: Person, SystemUser"));
    // Plausible forms the contract leaves open: the integer only, the code unpadded, a
    // traceId twice.
    let d = denial(br#"{"status":401,"errorCode":4001,"traceId":"a","traceId":"b"}"#).unwrap();
    assert_eq!((d.prefix(), d.number()), (Some("CORR"), Some(4001)));
    assert_eq!(denial(br#"{"code":"BRO-6"}"#).unwrap().number(), Some(6));
}

#[test]
fn an_access_package_s_metadata_parses() {
    use altinn_doctor::altinn::types::{PackageInfo, package_code};
    let p: PackageInfo = serde_json::from_str(&example("64-am-package-by-urn-200.json")).unwrap();
    assert_eq!((p.name.as_str(), p.urn.as_str()), ("Revisorattesterer", "urn:altinn:accesspackage:revisorattesterer"));
    assert_eq!(package_code(&p.urn), "revisorattesterer");
}
