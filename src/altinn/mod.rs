//! Altinn: the token exchange, the Altinn 2 API key and enterprise user, roles, system users.

pub(crate) mod checks;
pub mod client;
pub mod products;
pub mod types;
