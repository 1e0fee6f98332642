//! `cert.issuer`: the certificate chains to a Buypass or Commfides enterprise CA of the environment.

use serde::Serialize;

use super::*;
use crate::certificate::chain::{self, ChainError};
use crate::certificate::trust::AnchorOrigin;
use crate::engine::{Diagnosis, Facts, Finding, Status};

#[derive(Serialize)]
#[serde(tag = "code", rename_all = "kebab-case")]
enum IssuerCause {
    Trusted {
        product: String,
        cert_env: String,
        anchor: String,
        anchor_source: String,
    },
    TrustedByCaFile {
        anchor: String,
        path: String,
    },
    EnvMismatch {
        product: String,
        cert_env: String,
        env: String,
    },
    SelfSigned {
        subject: String,
    },
    UnknownIssuer {
        issuer: String,
    },
    /// Issued by a Buypass or Commfides CA by its name, with no chain to it in the file
    /// (a bare `.cer`): the intermediate is missing, not the issuer wrong.
    ChainIncomplete {
        issuer: String,
        product: String,
        path: String,
    },
    BadSignature {
        issuer: String,
    },
    CaAsLeaf {
        subject: String,
    },
    Invalid {
        detail: String,
    },
}

impl Diagnosis for IssuerCause {
    fn status(&self) -> Status {
        match self {
            IssuerCause::Trusted { .. } | IssuerCause::TrustedByCaFile { .. } => Status::Pass,
            _ => Status::Fail,
        }
    }
}

/// The issuer a certificate's issuer name claims, when it names Buypass or Commfides.
fn named_product(issuer: &str) -> Option<&'static str> {
    let lower = issuer.to_ascii_lowercase();
    if lower.contains("buypass") {
        Some("Buypass")
    } else if lower.contains("commfides") {
        Some("Commfides")
    } else {
        None
    }
}

pub(crate) fn run(ctx: &Input<'_>) -> Finding {
    with_material(ctx, |m| {
        let c = &m.leaf.facts;
        let mut facts = Facts::new();
        let verified = match chain::verify(m, ctx.trust, ctx.profile.at) {
            Ok(v) => v,
            Err(e) => {
                let issuer = c.issuer.clone();
                return Finding::of(match e {
                    ChainError::SelfSigned => IssuerCause::SelfSigned { subject: c.subject.clone() },
                    ChainError::UnknownIssuer => match named_product(&issuer) {
                        Some(product) if m.chain.is_empty() => IssuerCause::ChainIncomplete {
                            issuer,
                            product: product.into(),
                            path: m.path.display().to_string(),
                        },
                        _ => IssuerCause::UnknownIssuer { issuer },
                    },
                    ChainError::BadSignature => IssuerCause::BadSignature { issuer },
                    ChainError::CaAsLeaf => IssuerCause::CaAsLeaf { subject: c.subject.clone() },
                    ChainError::Unparseable(detail) | ChainError::Other(detail) => IssuerCause::Invalid { detail },
                });
            }
        };
        let anchor_name =
            verified.anchor.facts.subject_cn.clone().unwrap_or_else(|| verified.anchor.facts.subject.clone());
        let mut chain_names = verified.intermediates.clone();
        chain_names.push(anchor_name.clone());
        facts.put("chain", chain_names).put("anchor", anchor_name.clone());
        let (classification, anchor_source) = match &verified.anchor.origin {
            AnchorOrigin::Bundled { file, classification } => (Some(*classification), format!("bundled: {file}")),
            AnchorOrigin::CaFile { path } => (c.classification, format!("--ca-file {}", path.display())),
        };
        facts.put("anchor_source", anchor_source.clone());
        let Some(class) = classification else {
            let path = match &verified.anchor.origin {
                AnchorOrigin::CaFile { path } => path.display().to_string(),
                AnchorOrigin::Bundled { file, .. } => file.to_string(),
            };
            return Finding::of(IssuerCause::TrustedByCaFile { anchor: anchor_name, path }).with(facts);
        };
        facts
            .put("family", json(&class.family))
            .put("generation", json(&class.generation))
            .put("cert_env", class.env.as_str());
        let product = class.product().to_string();
        let cause = if class.env != ctx.profile.env {
            IssuerCause::EnvMismatch {
                product,
                cert_env: class.env.as_str().into(),
                env: ctx.profile.env.as_str().into(),
            }
        } else {
            IssuerCause::Trusted { product, cert_env: class.env.as_str().into(), anchor: anchor_name, anchor_source }
        };
        Finding::of(cause).with(facts)
    })
}
