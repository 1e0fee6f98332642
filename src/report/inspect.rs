//! The words of `inspect`: a token's facts as a table or JSON, from the catalogue.

use serde::Serialize;

use super::Catalogue;
use super::catalogue::fill;
use crate::config::Format;
use crate::inspect::{Explained, Kind};

/// What became of the signature check.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub(crate) enum Signature {
    NotChecked,
    Verified,
    Invalid,
    /// The JWKS was read but cannot judge this token (no key with its `kid`, not RSA).
    Unverifiable {
        reason: String,
    },
    Unreachable {
        reason: String,
    },
}

#[derive(Serialize)]
struct JsonInspect<'a> {
    #[serde(flatten)]
    token: &'a Explained,
    signature: &'a Signature,
    summary: String,
}

/// How a token's check ended, for the formats that judge (JUnit, GitHub).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Judged {
    Fine,
    /// Expired, or a signature that does not verify.
    Failed,
    /// The signature could not be checked (JWKS unreachable or not usable).
    Unchecked,
}

fn judged(e: &Explained, signature: &Signature) -> Judged {
    match signature {
        Signature::Invalid => Judged::Failed,
        _ if e.seconds_left.is_some_and(|s| s < 0) => Judged::Failed,
        Signature::Unreachable { .. } | Signature::Unverifiable { .. } => Judged::Unchecked,
        _ => Judged::Fine,
    }
}

/// The report of one token in `format`.
pub(crate) fn render(e: &Explained, signature: &Signature, format: Format, lang: crate::vocab::Lang) -> String {
    let cat = Catalogue::of(lang);
    let summary = summary(cat, e);
    let rows = rows(cat, e, signature);
    let never = cat.text("inspect", "never_printed");
    match format {
        Format::Json => {
            let doc = JsonInspect { token: e, signature, summary };
            format!("{}\n", serde_json::to_string_pretty(&doc).unwrap_or_default())
        }
        Format::Table => {
            let mut table = comfy_table::Table::new();
            table.load_style(comfy_table::presets::UTF8_FULL_CONDENSED).set_width(120);
            table.set_content_arrangement(comfy_table::ContentArrangement::Dynamic).force_no_tty();
            for (k, v) in rows {
                table.add_row(vec![k, v]);
            }
            format!("{table}\n\n{summary}\n{never}\n")
        }
        Format::Markdown => {
            let cell = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").replace('|', "\\|");
            let mut out = format!(
                "# {}\n\n| {} | {} |\n|---|---|\n",
                cat.text("inspect", "title"),
                cat.text("heading", "fact"),
                cat.text("heading", "value")
            );
            for (k, v) in rows {
                out.push_str(&format!("| {} | {} |\n", cell(&k), cell(&v)));
            }
            format!("{out}\n{summary}\n\n_{never}_\n")
        }
        Format::Github => {
            let command = match judged(e, signature) {
                Judged::Fine => "notice",
                Judged::Failed => "error",
                Judged::Unchecked => "warning",
            };
            let facts: Vec<String> = rows.iter().map(|(k, v)| format!("{k}: {v}")).collect();
            let message = format!("{summary}\n{}", facts.join("\n"));
            format!("::{command} title=token::{}\n{summary}\n", super::github::data(&message))
        }
        Format::Junit => super::junit::render_token(
            &summary,
            &rows,
            judged(e, signature) == Judged::Failed,
            judged(e, signature) == Judged::Unchecked,
        ),
    }
}

/// The facts of a token, as label and value.
fn rows(cat: &Catalogue, e: &Explained, signature: &Signature) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = vec![
        (cat.text("inspect", "issuer"), format!("{} ({})", word(cat, "inspect-issuer", &e.issuer), e.iss)),
        (cat.text("inspect", "kind"), word(cat, "inspect-kind", &e.kind)),
    ];
    let mut opt = |key: &str, value: &Option<String>| {
        if let Some(v) = value {
            rows.push((cat.text("inspect", key), v.clone()));
        }
    };
    let system_user = matches!(e.kind, Kind::SystemUser | Kind::ExchangedSystemUser);
    opt(if system_user { "vendor" } else { "organisation" }, &e.organisation);
    opt("supplier", &e.supplier);
    opt("client_id", &e.client_id);
    opt("client_amr", &e.client_amr);
    opt("system_user_id", &e.system_user_id);
    opt("system_user_org", &e.system_user_org);
    opt("system_id", &e.system_id);
    opt("external_ref", &e.external_ref);
    opt("consent_id", &e.consent_id);
    opt("issued", &e.issued);
    opt("expires", &e.expires);
    rows.push((cat.text("inspect", "scopes"), e.scopes.join(" ")));
    rows.push((cat.text("inspect", "algorithm"), format!("{} {}", e.algorithm, e.key_id.clone().unwrap_or_default())));
    rows.push((cat.text("inspect", "signature"), signature_text(cat, signature)));
    let uses: Vec<String> = e.uses.iter().map(|u| cat.text("inspect-use", u)).collect();
    rows.push((cat.text("inspect", "uses"), uses.join("\n")));
    rows
}

/// The catalogue's word for a kebab-case code.
fn word(cat: &Catalogue, section: &str, v: &impl Serialize) -> String {
    let code = serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default();
    cat.text(section, &code)
}

/// One sentence: what kind, for whom, and how long it is valid.
fn summary(cat: &Catalogue, e: &Explained) -> String {
    let args = serde_json::json!({
        "left": duration(cat, e.seconds_left.map(i64::abs).unwrap_or(0)),
        "expires": e.expires.clone().unwrap_or_default(),
    });
    let key = match e.seconds_left {
        None => "no_expiry",
        Some(s) if s < 0 => "expired",
        Some(_) => "valid",
    };
    fill(&cat.text("inspect", key), args.as_object().expect("json! object"))
}

/// Seconds as a person reads them: `45 s`, `12 min`, `3 h 5 min`, `90 days`, in the
/// catalogue's words.
fn duration(cat: &Catalogue, seconds: i64) -> String {
    let (key, args) = match seconds {
        s if s < 120 => ("seconds", serde_json::json!({ "n": s })),
        s if s < 7200 => ("minutes", serde_json::json!({ "n": s / 60 })),
        s if s < 172_800 => ("hours", serde_json::json!({ "h": s / 3600, "m": s % 3600 / 60 })),
        s => ("days", serde_json::json!({ "n": s / 86_400 })),
    };
    fill(&cat.text("inspect", key), args.as_object().expect("json! object"))
}

fn signature_text(cat: &Catalogue, s: &Signature) -> String {
    let (key, reason) = match s {
        Signature::NotChecked => ("not_checked", String::new()),
        Signature::Verified => ("verified", String::new()),
        Signature::Invalid => ("invalid", String::new()),
        Signature::Unverifiable { reason } | Signature::Unreachable { reason } => ("unverifiable", reason.clone()),
    };
    let args = serde_json::json!({ "reason": reason });
    fill(&cat.text("inspect-signature", key), args.as_object().expect("json! object"))
}
