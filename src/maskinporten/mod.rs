//! Maskinporten: environments, discovery, the grant, the token request, the error catalogue.

pub(crate) mod checks;
pub mod client;
pub mod errors;
pub(crate) mod jwk;
pub mod types;
