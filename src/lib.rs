//! altinn-doctor: tells an organisation whether it is ready to call Altinn's APIs
//! through Maskinporten, and if not, what is wrong and how to fix it.

pub mod altinn;
pub mod certificate;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod engine;
pub mod files;
pub mod http;
pub mod inspect;
pub mod jwt;
pub mod maskinporten;
pub mod report;
pub mod sim;

/// An I/O error as a short sentence, without the OS error number.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file".into(),
        PermissionDenied => "permission denied".into(),
        IsADirectory => "it is a directory".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}
