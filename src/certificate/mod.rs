//! The enterprise certificate: loading (PEM, DER, PKCS#12), facts, org number, chain, revocation.

pub mod chain;
pub mod checks;
pub mod der;
pub mod facts;
pub mod key;
pub mod load;
pub mod orgno;
mod pkcs12_mac;
pub mod revocation;
pub mod trust;

pub use crate::vocab::Thumbprint;
pub use facts::{CertFacts, Role};
pub use load::{FileFormat, LoadError, Material, load};
pub use orgno::OrgNumber;
pub use trust::TrustStore;
