//! Altinn's answers: the exchange (a raw JWT or a JSON string), ProblemDetails, the vendor
//! look-ups (system register, requests, system users) and the authorised parties.
#![no_main]

use altinn_doctor::altinn::client::token_of;
use altinn_doctor::altinn::types::{AuthorizedParty, ProblemDetails, RegisteredSystem, SystemUser, SystemUserRequest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = token_of(data);
    let _ = serde_json::from_slice::<ProblemDetails>(data);
    let _ = serde_json::from_slice::<RegisteredSystem>(data);
    let _ = serde_json::from_slice::<SystemUserRequest>(data);
    let _ = serde_json::from_slice::<SystemUser>(data);
    let _ = serde_json::from_slice::<Vec<SystemUser>>(data);
    let _ = serde_json::from_slice::<Vec<AuthorizedParty>>(data);
});
