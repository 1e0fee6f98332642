//! The command line as the user typed it: clap definitions, each flag once with its doc.
//!
//! Nothing here is resolved: flags stay `Option`s so that `config` can layer them
//! over the environment and the profile file, and name where each value came from.

use clap::{Args, Parser, Subcommand};

/// Tells whether an organisation is ready to call Altinn's APIs through Maskinporten.
#[derive(Debug, Parser)]
#[command(name = "altinn-doctor", version, about, long_about = None)]
pub struct Cli {
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
        /// or `exit-codes`.
        id: String,
    },
    /// List the checks in run order with their IDs and titles.
    List,
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
}

#[derive(Debug, Default, Args)]
pub struct InspectArgs {
    /// The token, `Bearer <token>`, or `-` (the default) to read it from stdin.
    #[arg(value_name = "TOKEN|-")]
    pub token: Option<String>,

    /// Verify the signature with this JWKS (for Maskinporten: its `jwks_uri`,
    /// https://test.maskinporten.no/jwk).
    #[arg(long, value_name = "URL")]
    pub jwks: Option<String>,

    /// Trust these CA certificates for --jwks beside the system's (repeatable).
    #[arg(long = "ca-file", value_name = "FILE")]
    pub ca_file: Vec<String>,

    /// Report format: `table` (default) or `json`.
    #[arg(long, value_name = "table|json")]
    pub format: Option<String>,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Folder for ca.pem, ORGNO.p12/.pem, clients.toml (read if it exists) and profile.toml.
    #[arg(long, value_name = "DIR")]
    pub dir: std::path::PathBuf,

    /// Address to listen on (loopback). Default: 127.0.0.1 and a free port.
    #[arg(long, value_name = "127.0.0.1:PORT", default_value = "127.0.0.1:0")]
    pub listen: std::net::SocketAddr,

    /// Delay every new connection and every answer by this many milliseconds.
    #[arg(long = "latency-ms", value_name = "N", default_value_t = 0)]
    pub latency_ms: u64,

    /// Shift the simulator's clock by this many seconds (negative: behind).
    #[arg(long = "clock-offset-s", value_name = "N", default_value_t = 0, allow_hyphen_values = true)]
    pub clock_offset_s: i64,

    /// The environment the simulator plays: `test` (default) or `prod`.
    #[arg(long, value_name = "test|prod", default_value = "test")]
    pub env: String,

    /// Which Altinn: `2025` (API keys and enterprise users as the guide describes) or
    /// `current` (since 19 June 2026: enterprise users answer 410, Altinn 2 is gone).
    #[arg(long, value_name = "2025|current", default_value = "current", value_parser = parse_era)]
    pub era: crate::vocab::Era,
}

fn parse_era(text: &str) -> Result<crate::vocab::Era, String> {
    crate::vocab::Era::parse(text).ok_or_else(|| format!("`{text}`: write 2025 or current"))
}

#[derive(Debug, Default, Args)]
pub struct DemoArgs {
    /// The scenario to run (see --list). Default: ok.
    #[arg(long, value_name = "NAME", default_value = "ok")]
    pub scenario: String,

    /// List the scenarios and what each shows.
    #[arg(long)]
    pub list: bool,

    /// Report format: `table` (default) or `json`.
    #[arg(long, value_name = "table|json")]
    pub format: Option<String>,
}

/// The flags of `check`. Each one can also be set as `ALTINN_DOCTOR_<NAME>` in the
/// environment or as `<name>` in the profile file (`-` written as `_`); a flag beats
/// the environment, the environment beats the file.
#[derive(Debug, Default, Args)]
pub struct CheckArgs {
    /// Profile file (TOML). Default: ./altinn-doctor.toml when it exists.
    #[arg(long, value_name = "FILE")]
    pub config: Option<String>,

    /// Named profile in the file: the table `[profile.NAME]`, over the file's top-level keys.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,

    /// Environment: `test` (Maskinporten test + TT02) or `prod`. Default: test.
    #[arg(long, value_name = "test|prod")]
    pub env: Option<String>,

    /// Enterprise certificate: PEM (certificate, chain and key), DER, or PKCS#12 (.p12/.pfx).
    /// The format is told by content, not by file name.
    #[arg(long, value_name = "PATH")]
    pub cert: Option<String>,

    /// Private key file (PEM or DER: PKCS#8, PKCS#1, or encrypted PKCS#8), when the
    /// certificate file does not hold it.
    #[arg(long, value_name = "PATH")]
    pub key: Option<String>,

    /// Select the certificate with this Windows thumbprint (SHA-1 of the DER; any case,
    /// spaces and colons allowed).
    #[arg(long, value_name = "HEX")]
    pub thumbprint: Option<String>,

    /// The organisation number (9 digits) the certificate must belong to.
    #[arg(long, value_name = "ORGNR")]
    pub org: Option<String>,

    /// Judge validity, chain and revocation at this time instead of now:
    /// `YYYY-MM-DD` (midnight UTC) or RFC 3339.
    #[arg(long, value_name = "DATE")]
    pub at: Option<String>,

    /// Check revocation against this CRL file (DER or PEM) instead of fetching it.
    /// Repeatable.
    #[arg(long, value_name = "FILE")]
    pub crl: Vec<String>,

    /// Trust the CA certificates in this PEM file beside the bundled Buypass and
    /// Commfides anchors, and for HTTPS beside the system's roots (a company test CA,
    /// a TLS-inspecting proxy, the simulator's CA). Repeatable.
    #[arg(long = "ca-file", value_name = "FILE")]
    pub ca_file: Vec<String>,

    /// Run only the checks that need no network; the others are skipped, saying so.
    #[arg(long)]
    pub offline: bool,

    /// Report format: `table` (default) or `json`.
    #[arg(long, value_name = "table|json")]
    pub format: Option<String>,

    /// Treat warnings as failures in the exit code.
    #[arg(long)]
    pub strict: bool,

    /// Days before expiry at which the validity check warns, comma separated.
    /// Default: 60,30 (the second, nearer one is worded as urgent).
    #[arg(long = "expiry-warn-days", value_name = "DAYS")]
    pub expiry_warn_days: Option<String>,

    /// Deadline for the whole run, in seconds. Default: 60.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<String>,

    /// The Maskinporten client ID (the grant's `iss`).
    #[arg(long = "client-id", value_name = "ID")]
    pub client_id: Option<String>,

    /// A scope to ask for. Repeatable; a variable or file may list several.
    #[arg(long, value_name = "SCOPE")]
    pub scope: Vec<String>,

    /// Maskinporten base URL instead of the environment's (a simulator, a new environment).
    #[arg(long = "maskinporten-url", value_name = "URL")]
    pub maskinporten_url: Option<String>,

    /// The ID of a key registered on the client: the grant is signed with --key and
    /// carries `kid` instead of the certificate.
    #[arg(long, value_name = "KID")]
    pub kid: Option<String>,

    /// Ask for an audience-restricted token (`resource` claim).
    #[arg(long, value_name = "URL")]
    pub resource: Option<String>,

    /// Act for this organisation (`consumer_org`): a supplier with a delegation.
    #[arg(long = "consumer-org", value_name = "ORGNR")]
    pub consumer_org: Option<String>,

    /// Send the whole certificate chain in `x5c`, not only the certificate.
    #[arg(long = "x5c-chain")]
    pub x5c_chain: bool,

    /// Which Altinn path to check: `enterprise-user` (API key + enterprise user, the old
    /// guide), `system-user` (its replacement), or `both`. Default: what is configured.
    #[arg(long, value_name = "FLOW")]
    pub flow: Option<String>,

    /// The enterprise user's name (its password: ALTINN_DOCTOR_ENTERPRISE_PASSWORD).
    #[arg(long = "enterprise-user", value_name = "NAME")]
    pub enterprise_user: Option<String>,

    /// A role the enterprise user must hold (repeatable). Default: HADM (Hovedadministrator).
    #[arg(long = "require-role", value_name = "CODE")]
    pub require_role: Vec<String>,

    /// The customer organisation the system user acts for.
    #[arg(long = "system-user-org", value_name = "ORGNR")]
    pub system_user_org: Option<String>,

    /// The `externalRef` the system-user request was made with.
    #[arg(long = "external-ref", value_name = "REF")]
    pub external_ref: Option<String>,

    /// The vendor's system ID (`<orgno>_<name>`), to look the system user up.
    #[arg(long = "system-id", value_name = "ID")]
    pub system_id: Option<String>,

    /// The kind of system user: `standard`, or `agent` (an accountant or auditor acting
    /// for its clients; `--system-user-org` is then the accountant's own org number).
    /// Unsaid: found out from the vendor look-ups.
    #[arg(long = "system-user-type", value_name = "standard|agent")]
    pub system_user_type: Option<String>,

    /// An access package the system user must have (repeatable): a code
    /// (`skattegrunnlag`) or a URN (`urn:altinn:accesspackage:skattegrunnlag`).
    #[arg(long = "require-access-package", value_name = "CODE|URN")]
    pub require_access_package: Vec<String>,

    /// Altinn 2 API base URL instead of the environment's (`https://tt02.altinn.no`).
    #[arg(long = "altinn-url", value_name = "URL")]
    pub altinn_url: Option<String>,

    /// Altinn platform base URL instead of the environment's (`https://platform.tt02.altinn.no`).
    #[arg(long = "platform-url", value_name = "URL")]
    pub platform_url: Option<String>,

    /// Allow `http://` for --maskinporten-url, --platform-url and --altinn-url, on a
    /// loopback address only (a local test server). Credentials then travel in clear text.
    #[arg(long = "insecure-http")]
    pub insecure_http: bool,
}
