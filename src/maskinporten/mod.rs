//! Maskinporten: environments, discovery, the grant, the token request, the error catalogue.

pub mod checks;
pub mod client;
pub mod errors;
pub mod jwk;
pub mod types;
