//! The enterprise certificate: loading (PEM, DER, PKCS#12), facts, org number, chain, revocation.

pub(crate) mod chain;
pub(crate) mod checks;
pub(crate) mod der;
pub(crate) mod facts;
pub(crate) mod key;
pub mod load;
pub(crate) mod orgno;
mod pkcs12_mac;
pub mod revocation;
pub mod trust;

pub use facts::{CertFacts, Role};
pub use load::{FileFormat, LoadError, Material, load};
pub(crate) use orgno::OrgNumber;
pub use trust::TrustStore;
