//! The command line as the user typed it: clap definitions, each flag once with its doc.
//!
//! Nothing here is resolved: flags stay `Option`s so that `config` can layer them
//! over the environment and the profile file, and name where each value came from.

use clap::{Args, Parser, Subcommand};

pub(crate) use crate::config::CheckArgs;

/// Tells whether an organisation is ready to call Altinn's APIs through Maskinporten.
#[derive(Debug, Parser)]
#[command(name = "altinn-doctor", version, about, long_about = None)]
pub struct Cli {
    /// The language of help, messages and reports: `nb` (bokmål) or `en`; default from
    /// the locale. Before the command; a command's own --lang wins.
    #[arg(long, value_name = "nb|en")]
    pub lang: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the checks for a profile and print the report.
    Check(Box<CheckArgs>),
    /// Print the page of one check: what it proves, each cause of failure, the fix.
    Explain {
        /// The check ID, as the report and `list` show it (for example `cert.validity`),
        /// a Maskinporten code (`MP-303`), a cause code (`scope-owned-by`), or `exit-codes`.
        id: String,
        /// The page's language: `nb` (bokmål) or `en`; default from the locale.
        #[arg(long, value_name = "nb|en")]
        lang: Option<String>,
    },
    /// List the checks in run order with their IDs and titles.
    List {
        /// `table` (the default) or `json` (each check's id, title, domain, dependencies).
        #[arg(long, value_name = "table|json")]
        format: Option<String>,
    },
    /// Run the checks and, when none fails, print the Maskinporten access token alone
    /// on stdout (the report goes to stderr): for `curl -H "Authorization: Bearer $(altinn-doctor token)"`.
    Token(Box<CheckArgs>),
    /// Print the public JWK of the certificate's key (with `kid` and `x5c`), to register
    /// on a Maskinporten client that uses keys.
    Jwk(Box<CheckArgs>),
    /// Explain a Maskinporten or Altinn token (from a log line, a support case): issuer,
    /// kind, organisation, client, scopes, system user, lifetime and what it is for. Prints
    /// claims, never the token or its signature.
    Inspect(InspectArgs),
    /// Serve simulated Maskinporten and Altinn on loopback, write their CA, demo
    /// certificates, registry and a ready profile into DIR, and serve until interrupted.
    Simulate(SimulateArgs),
    /// Show the whole tool working against a simulated set-up: no configuration, no
    /// network, nothing left behind. Exits as `check` would.
    Demo(DemoArgs),
    /// Print the shell completions for SHELL, made from these very definitions:
    /// `altinn-doctor completions bash > /etc/bash_completion.d/altinn-doctor`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff): `altinn-doctor man > altinn-doctor.1`.
    Man,
}

#[derive(Debug, Default, Args)]
pub struct InspectArgs {
    /// The token, `Bearer <token>`, any log line or JSON holding one, or `-` (the
    /// default) to read it from stdin.
    #[arg(value_name = "TOKEN|-")]
    pub(crate) token: Option<String>,

    /// Verify the signature with this JWKS (for Maskinporten: its `jwks_uri`,
    /// https://test.maskinporten.no/jwk).
    #[arg(long, value_name = "URL")]
    pub(crate) jwks: Option<String>,

    /// Trust these CA certificates for --jwks beside the system's, and as anchors for
    /// --cert (repeatable).
    #[arg(long = "ca-file", value_name = "FILE")]
    pub(crate) ca_file: Vec<String>,

    /// Report format: `table` (default), `json`, `junit`, `github` or `markdown`.
    #[arg(long, value_name = "FORMAT")]
    pub(crate) format: Option<String>,

    /// Inspect a certificate file instead (what the servicedesk asks for): its checks
    /// offline, with every fact (its password, if any, in ALTINN_DOCTOR_CERT_PASSWORD).
    #[arg(long, value_name = "FILE", conflicts_with_all = ["token", "jwks"])]
    pub(crate) cert: Option<String>,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Folder for ca.pem, ORGNO.p12/.pem, clients.toml (read if it exists) and profile.toml.
    #[arg(long, value_name = "DIR")]
    pub(crate) dir: std::path::PathBuf,

    /// Address to listen on (loopback). Default: 127.0.0.1 and a free port.
    #[arg(long, value_name = "127.0.0.1:PORT", default_value = "127.0.0.1:0")]
    pub(crate) listen: std::net::SocketAddr,

    /// Delay every new connection and every answer by this many milliseconds.
    #[arg(long = "latency-ms", value_name = "N", default_value_t = 0)]
    pub(crate) latency_ms: u64,

    /// Shift the simulator's clock by this many seconds (negative: behind), at most
    /// ten years (315360000 s) either way: a larger shift cannot be a date.
    #[arg(
        long = "clock-offset-s",
        value_name = "N",
        default_value_t = 0,
        allow_hyphen_values = true,
        value_parser = clap::value_parser!(i64).range(-315_360_000..=315_360_000)
    )]
    pub(crate) clock_offset_s: i64,

    /// The environment the simulator plays: `test` (default) or `prod`.
    #[arg(long, value_name = "test|prod", default_value = "test")]
    pub(crate) env: String,

    /// Which Altinn: `2025` (API keys and enterprise users as the guide describes) or
    /// `current` (since 19 June 2026: enterprise users answer 410, Altinn 2 is gone).
    #[arg(long, value_name = "2025|current", default_value = "current", value_parser = parse_era)]
    pub(crate) era: crate::vocab::Era,
}

fn parse_era(text: &str) -> Result<crate::vocab::Era, String> {
    crate::vocab::Era::parse(text).ok_or_else(|| format!("`{text}`: write 2025 or current"))
}

#[derive(Debug, Default, Args)]
pub struct DemoArgs {
    /// The scenario to run (see --list). Default: system-user-ok, today's Altinn.
    #[arg(long, value_name = "NAME", default_value = crate::demo::DEFAULT)]
    pub(crate) scenario: String,

    /// List the scenarios and what each shows.
    #[arg(long)]
    pub(crate) list: bool,

    /// Report format: `table` (default), `json`, `junit`, `github` or `markdown`.
    #[arg(long, value_name = "FORMAT")]
    pub(crate) format: Option<String>,

    /// Write the report to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub(crate) output: Option<std::path::PathBuf>,

    /// Also write the Markdown support report to this file.
    #[arg(long = "support-report", value_name = "FILE")]
    pub(crate) support_report: Option<std::path::PathBuf>,

    /// Log each HTTP exchange on stderr, as `check -v` does.
    #[arg(short, long)]
    pub(crate) verbose: bool,

    /// Print the verdict line only, as `check -q` does.
    #[arg(short, long)]
    pub(crate) quiet: bool,

    /// Count warnings as failures, as `check --strict` does.
    #[arg(long)]
    pub(crate) strict: bool,

    /// Colour: `auto` (default: on a terminal, not with NO_COLOR), `always` or `never`.
    #[arg(long, value_name = "WHEN")]
    pub(crate) color: Option<String>,

    /// The language of the report: `nb` (bokmål) or `en`; default from the locale.
    #[arg(long, value_name = "nb|en")]
    pub(crate) lang: Option<String>,
}
