//! What the system-user checks share: signing and sending a grant, and exchanging the
//! token Maskinporten gives for Altinn's. Each check words the faults in its own causes.

use crate::altinn::client::{self, Accept};
use crate::certificate::key::PrivateKey;
use crate::engine::Finding;
use crate::http::NetError;
use crate::maskinporten::client as mp;
use crate::maskinporten::client::{Ask, Discovered, GrantError, Signer, TokenAnswer};
use crate::maskinporten::types::MpCode;
use crate::sources::Sources;
use crate::vocab::Secret;
use serde_json::Value;

/// Where grants go and what signs them.
pub(crate) struct Grantor<'a> {
    pub(crate) found: &'a Discovered,
    signer: Signer,
}

impl<'a> Grantor<'a> {
    /// The profile's signer (the registered key, or the key `cert.key-match` proved).
    pub(crate) fn new(ctx: &Sources, found: &'a Discovered, proven_key: Option<&PrivateKey>) -> Result<Self, Finding> {
        let signer = crate::maskinporten::checks::signer(ctx, proven_key)?;
        Ok(Grantor { found, signer })
    }

    /// Signs and sends a grant for `scopes`, with `authorization_details` when given.
    pub(crate) async fn grant(
        &self,
        ctx: &Sources,
        scopes: &[String],
        authorization_details: Option<Value>,
    ) -> Result<TokenAnswer, GrantError> {
        let ask = Ask { scopes: scopes.to_vec(), authorization_details, consumer_org: false, client_id: None };
        mp::grant(&ctx.http, &ctx.profile, self.found, &self.signer, ask).await.map(|(_, answer)| answer)
    }

    /// A token for each vendor scope, each asked for in a grant of its own (at once), so
    /// that a client holding two of three still gets two; from `vendor_client_id` when
    /// the profile names one.
    pub(crate) async fn vendor_tokens(&self, ctx: &Sources, scopes: &[&'static str]) -> VendorTokens {
        let client_id = ctx.profile.altinn.vendor_client_id.clone();
        let asks = scopes.iter().map(|scope| {
            let ask = Ask {
                scopes: vec![scope.to_string()],
                authorization_details: None,
                consumer_org: false,
                client_id: client_id.clone(),
            };
            mp::grant(&ctx.http, &ctx.profile, self.found, &self.signer, ask)
        });
        let answers = futures_util::future::join_all(asks).await;
        let mut tokens = VendorTokens::default();
        for (scope, answer) in scopes.iter().zip(answers) {
            match answer {
                Ok((_, TokenAnswer::Granted(r))) => tokens.granted.push((scope, r.access_token)),
                Ok((_, TokenAnswer::Refused { body, .. })) => {
                    let reading = crate::maskinporten::errors::read(&body);
                    match reading.code {
                        Some(MpCode::Mp200 | MpCode::Mp201) => tokens.missing.push(scope),
                        _ => tokens.failure = Some(format!("{} {}", body.error, reading.description)),
                    }
                }
                Err(GrantError::Signing(reason)) => tokens.failure = Some(reason),
                Err(GrantError::Net(e)) => tokens.failure = Some(e.code()),
            }
        }
        tokens
    }
}

/// The vendor look-ups' tokens, by scope; the scopes the client may not ask for; the
/// last answer that was neither.
#[derive(Default)]
pub(crate) struct VendorTokens {
    granted: Vec<(&'static str, Secret)>,
    pub(crate) missing: Vec<&'static str>,
    pub(crate) failure: Option<String>,
}

impl VendorTokens {
    pub(crate) fn token(&self, scope: &str) -> Option<&Secret> {
        self.granted.iter().find(|(s, _)| *s == scope).map(|(_, t)| t)
    }

    pub(crate) fn none(&self) -> bool {
        self.granted.is_empty()
    }
}

/// Why an exchange gave no Altinn token.
pub(crate) enum ExchangeFault {
    Net(NetError),
    /// Another status than 200, and what the exchange said with it.
    Status {
        status: u16,
        said: String,
    },
    NotAToken {
        content_type: String,
        first_bytes: String,
    },
}

/// Exchanges a system user's Maskinporten token for an Altinn token.
pub(crate) async fn exchange(ctx: &Sources, token: &Secret) -> Result<Secret, ExchangeFault> {
    let platform = client::platform_base(&ctx.profile);
    let exchanged =
        client::exchange(&ctx.http, &platform, token, None, Accept::Text).await.map_err(ExchangeFault::Net)?;
    if exchanged.status != 200 {
        return Err(ExchangeFault::Status { status: exchanged.status, said: client::said(&exchanged) });
    }
    client::token_of(&exchanged.body).ok_or_else(|| ExchangeFault::NotAToken {
        content_type: exchanged.content_type.clone(),
        first_bytes: exchanged.first_bytes(),
    })
}
