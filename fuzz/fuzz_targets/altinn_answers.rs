//! Altinn's answers: the exchange (a raw JWT or a JSON string), ProblemDetails, the vendor
//! look-ups (system register, requests, system users and their pages) and the authorised
//! parties (with sub-units searched), the product APIs' lists and denials, package metadata.
#![no_main]

use altinn_doctor::altinn::client::{authorized_parties, find_party, token_of};
use altinn_doctor::altinn::types::{Page, ProblemDetails, RegisteredSystem, SystemUser, SystemUserRequest, package_code};
use altinn_doctor::altinn::products::{denial, listed};
use altinn_doctor::altinn::types::PackageInfo;
use altinn_doctor::config::Probe;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = token_of(data);
    let _ = serde_json::from_slice::<ProblemDetails>(data);
    if let Ok(system) = serde_json::from_slice::<RegisteredSystem>(data) {
        let _ = system.vendor.orgno();
    }
    let _ = serde_json::from_slice::<SystemUserRequest>(data);
    for probe in Probe::ALL {
        let _ = listed(probe, data);
    }
    if let Some(d) = denial(data) {
        let _ = (d.number(), d.prefix());
    }
    let _ = serde_json::from_slice::<PackageInfo>(data);
    let _ = serde_json::from_slice::<SystemUser>(data);
    let _ = serde_json::from_slice::<Page<SystemUser>>(data);
    if let Some(parties) = authorized_parties(data) {
        if let Some(party) = find_party(&parties, "313876144") {
            let _: Vec<&str> = party.authorized_access_packages.iter().map(|p| package_code(p)).collect();
        }
    }
});
