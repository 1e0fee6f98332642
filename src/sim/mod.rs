//! The simulator of Maskinporten (and later Altinn): its PKI, its services, its faults.

pub mod clock;
pub mod maskinporten;
pub mod pki;
pub mod registry;
pub mod server;
pub mod world;
