//! The simulator of Maskinporten and Altinn: its PKI now; its services in later work.

pub mod pki;
