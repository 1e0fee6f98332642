//! PKCS#12 files with the password the seeds were written with, a wrong one, and an
//! emoji (the doctor's own MAC check for passwords beyond the BMP).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for password in ["pw", "wrong", "pw😀"] {
        let _ = altinn_doctor::certificate::load::from_bytes(Path::new("fuzz.p12"), data, Some(password), None, None);
    }
});
