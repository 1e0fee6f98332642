//! Certificate files as a user may give them: PEM, DER, anything else.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(material) = altinn_doctor::certificate::load::from_bytes(Path::new("fuzz.pem"), data, None, None, None) {
        let _ = material.matching_key();
    }
});
