//! Profile files (TOML), with and without a named profile.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let path = Path::new("/fuzz/altinn-doctor.toml");
        let _ = altinn_doctor::config::read_file_text(path, text, None);
        let _ = altinn_doctor::config::read_file_text(path, text, Some("prod"));
    }
});
