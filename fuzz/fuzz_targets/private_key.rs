//! Private key files: PKCS#8, encrypted PKCS#8, PKCS#1, SEC1, PEM or DER.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let altinn_doctor::certificate::load::KeySource::Found(keys) =
        altinn_doctor::certificate::load::keys_from_bytes(data, Some("pw"), "fuzz.key")
    {
        for key in keys {
            let _ = key.public_part();
        }
    }
});
