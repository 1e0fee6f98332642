//! The Maskinporten checks, one per file: discovery, clock, the client's token, and the
//! token's claims. Each takes what it reads as arguments and returns what it hands on.

pub(crate) mod clock;
pub(crate) mod discovery;
pub(crate) mod scopes;
pub(crate) mod token;
pub(crate) mod token_claims;

use crate::certificate::checks::{KEY_MATCH, READABLE};
use crate::certificate::key::PrivateKey;
use crate::certificate::load::KeySource;
use crate::certificate::orgno::OrgReading;
use crate::engine::{Diagnosis, Finding, Status};
use crate::maskinporten::client::{NetError, Signer};
use crate::maskinporten::types::TokenResponse;
use crate::sources::Sources;

/// The domain of these checks, as reports group them.
const DOMAIN: &str = "maskinporten";

crate::check_id!(
    /// The metadata document.
    DISCOVERY = "mp.discovery"
);
crate::check_id!(
    /// The scopes, in Digdir's public scope catalogue.
    SCOPES = "mp.scopes"
);
crate::check_id!(
    /// The local clock against Maskinporten's.
    CLOCK = "mp.clock"
);
crate::check_id!(
    /// The client's token.
    TOKEN = "mp.token"
);
crate::check_id!(
    /// The token's claims and signature.
    TOKEN_CLAIMS = "mp.token-claims"
);

impl Diagnosis for NetError {
    fn status(&self) -> Status {
        Status::Fail
    }

    fn inconclusive(&self) -> bool {
        NetError::inconclusive(self)
    }
}

/// A token Maskinporten issued in this run, for the checks after `mp.token`.
#[derive(Clone)]
pub(crate) struct Issued {
    pub(crate) response: TokenResponse,
    pub(crate) requested: Vec<String>,
    /// The org the certificate says the client acts as (x5c clients).
    pub(crate) cert_org: Option<String>,
}

/// The signer of the profile's grants: the registered key of a `kid` client (loaded
/// with the sources), or the certificate's key that `cert.key-match` proved.
pub(crate) fn signer(s: &Sources, proven_key: Option<&PrivateKey>) -> Result<Signer, Finding> {
    let profile = &s.profile;
    if let Some(kid) = &profile.maskinporten.kid {
        return match &s.kid_keys {
            KeySource::Found(keys) => {
                Ok(Signer { key: keys[0].clone(), chain: Vec::new(), cert_org: None, kid: Some(kid.clone()) })
            }
            KeySource::Absent => Err(Finding::of(token::TokenCause::NoKeyForKid { kid: kid.clone() })),
            KeySource::Problem(_) => Err(Finding::of(token::TokenCause::KeyUnreadable {
                path: profile.key.as_ref().map(|p| p.display().to_string()).unwrap_or_default(),
            })),
        };
    }
    let Ok(m) = &s.certificate else { return Err(Finding::needs(READABLE)) };
    let Some(key) = proven_key else { return Err(Finding::needs(KEY_MATCH)) };
    let mut chain = vec![m.leaf.der.to_vec()];
    if profile.maskinporten.x5c_chain {
        chain.extend(m.chain.iter().map(|c| c.to_vec()));
    }
    let cert_org = match &m.leaf.facts.org {
        OrgReading::Found { number, .. } => Some(number.to_string()),
        _ => None,
    };
    Ok(Signer { key: key.clone(), chain, cert_org, kid: None })
}
