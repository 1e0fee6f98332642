//! Maskinporten: environments, discovery, the grant, the token request, the error catalogue.

pub mod types;
