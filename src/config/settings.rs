//! Every setting of `check`, declared once: its name (the file key, from which the flag
//! `--name` and the variable `ALTINN_DOCTOR_NAME` follow), how its value is read, the
//! placeholder its flag shows, and its doc. The clap flags, the variables read, the keys a
//! file may hold and the README's tables are all made from this list.

/// How a setting's value is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    Path,
    PathList,
    /// Several words: repeatable flag, list in the file, spaces or commas in a variable.
    List,
    Bool,
    /// A secret: from the environment or the file only, directly or as `<name>_file`.
    Secret,
    /// Where the settings are (`--config`, `--profile`): a flag or a variable, not a key.
    Locator,
}

/// One setting.
#[derive(Debug, Clone, Copy)]
pub struct Setting {
    pub(crate) name: &'static str,
    pub(crate) kind: Kind,
    /// What the flag's value is called in `--help` (empty for a switch or a secret).
    pub(crate) value_name: &'static str,
    /// A one-letter flag beside the long one (`-v`), if any.
    pub(crate) short: Option<char>,
    pub(crate) doc: &'static str,
}

impl Setting {
    pub(crate) fn env_var(&self) -> String {
        format!("ALTINN_DOCTOR_{}", self.name.to_ascii_uppercase())
    }

    pub fn flag(&self) -> String {
        format!("--{}", self.name.replace('_', "-"))
    }

    /// True when a flag sets it (not for secrets).
    pub fn has_flag(&self) -> bool {
        self.kind != Kind::Secret
    }

    /// True when a profile file may hold it.
    pub(crate) fn in_file(&self) -> bool {
        self.kind != Kind::Locator
    }

    /// The doc as one line, for a table.
    pub(crate) fn doc_line(&self) -> String {
        self.doc.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

macro_rules! settings {
    ($($(#[doc = $doc:literal])* $const:ident = $name:literal, $kind:ident, $value:literal $(, -$short:literal)?;)*) => {
        $(
            $(#[doc = $doc])*
            pub(crate) const $const: Setting = Setting {
                name: $name,
                kind: Kind::$kind,
                value_name: $value,
                short: settings!(@short $($short)?),
                doc: concat!($($doc, "\n"),*),
            };
        )*
        /// Every setting, in the order `--help` and the README list them.
        pub const ALL: &[Setting] = &[$($const),*];
    };
    (@short) => { None };
    (@short $short:literal) => { Some($short) };
}

settings! {
    /// Profile file (TOML). Default: ./altinn-doctor.toml when it exists.
    CONFIG = "config", Locator, "FILE";
    /// Named profile in the file: the table `[profile.NAME]`, over the file's top-level keys.
    PROFILE = "profile", Locator, "NAME";
    /// A Maskinporten settings file another tool keeps (JSON: Altinn's .NET client's
    /// `MaskinportenSettings`, the app libraries' or studioctl's file, a named wrapper):
    /// its client, scopes, environment and key, over the profile file's.
    FROM = "from", Locator, "FILE";
    /// Check every `[profile.NAME]` of the file (a vendor's customers, say): one summary
    /// table, each profile's report below, the exit code of the worst.
    ALL_PROFILES = "all_profiles", Locator, "";
    /// Profiles checked at once with --all-profiles (default 4, at most 64): each asks
    /// Maskinporten for tokens, and its rate limits apply to the whole organisation.
    JOBS = "jobs", Locator, "N";
    /// Environment: `test` (Maskinporten test + TT02) or `prod`. Default: test.
    ENV = "env", Text, "test|prod";
    /// Enterprise certificate: PEM (certificate, chain and key), DER, or PKCS#12 (.p12/.pfx).
    /// The format is told by content, not by file name.
    CERT = "cert", Path, "PATH";
    /// Private key file (PEM or DER: PKCS#8, PKCS#1, or encrypted PKCS#8; or a private
    /// RSA JWK, as JSON or base64 of it: NAIS' MASKINPORTEN_CLIENT_JWK; or a Maskinporten
    /// settings file holding one: Altinn's EncodedJwk section, studioctl's jwk/jwkBase64),
    /// when the certificate file does not hold it. A JWK's kid is the registered key's
    /// when --kid is not given.
    KEY = "key", Path, "PATH";
    /// Select the certificate with this Windows thumbprint (SHA-1 of the DER; any case,
    /// spaces and colons allowed).
    THUMBPRINT = "thumbprint", Text, "HEX";
    /// The organisation number (9 digits) the certificate must belong to.
    ORG = "org", Text, "ORGNR";
    /// Judge validity, chain and revocation at this time instead of now:
    /// `YYYY-MM-DD` (midnight UTC) or RFC 3339.
    AT = "at", Text, "DATE";
    /// Check revocation against this CRL file (DER or PEM) instead of fetching it; works
    /// offline. Repeatable.
    CRL = "crl", PathList, "FILE";
    /// Trust the CA certificates in this PEM file beside the bundled Buypass and
    /// Commfides anchors, and for HTTPS beside the system's roots (a company test CA,
    /// a TLS-inspecting proxy, the simulator's CA). Repeatable.
    CA_FILE = "ca_file", PathList, "FILE";
    /// Run only the checks that need no network; the others are skipped, saying so.
    OFFLINE = "offline", Bool, "";
    /// Report format: `table` (default), `json`, `junit` (JUnit XML, one test case per
    /// check), `github` (workflow commands, and a summary in $GITHUB_STEP_SUMMARY) or
    /// `markdown` (the support report). The exit code is the same in every format.
    FORMAT = "format", Text, "FORMAT";
    /// Write the report to this file instead of stdout (owner-only permissions).
    OUTPUT = "output", Path, "FILE";
    /// Also write the Markdown support report to this file, whatever the format: the
    /// facts the servicedesk asks for, and no secret.
    SUPPORT_REPORT = "support_report", Path, "FILE";
    /// Also write the report in FORMAT to FILE (repeatable): one run, one token request,
    /// one password attempt, and JUnit, JSON, Markdown and the rest written together
    /// (`--report junit=results.xml --report json=report.json`).
    REPORT = "report", List, "FORMAT=FILE";
    /// Treat warnings as failures in the exit code.
    STRICT = "strict", Bool, "";
    /// Show the facts table in the terminal report too (with -v it is shown; JSON and the
    /// support report always carry the facts).
    FACTS = "facts", Bool, "";
    /// Run only these checks (repeatable, or a list): the checks they need still run,
    /// and say for whom.
    ONLY = "only", List, "ID";
    /// Leave these checks out (repeatable, or a list); one another check needs still
    /// runs, and says for whom.
    SKIP = "skip", List, "ID";
    /// The language of the report: `nb` (bokmål) or `en`. Default: from LC_ALL,
    /// LC_MESSAGES or LANG (`nb`, `nn` and `no` give bokmål), else English.
    LANG = "lang", Text, "nb|en";
    /// Colour in the table: `auto` (default: on a terminal, unless NO_COLOR is set or
    /// TERM is `dumb`; CLICOLOR_FORCE forces it), `always` or `never`.
    COLOR = "color", Text, "auto|always|never";
    /// Print the verdict line only (files of --output and --support-report still get
    /// the whole report).
    QUIET = "quiet", Bool, "", -'q';
    /// Log each HTTP exchange on stderr: method, URL, status and reason phrase, time and
    /// trace ID; never a header or a body.
    VERBOSE = "verbose", Bool, "", -'v';
    /// Days before expiry at which the validity check warns, comma separated.
    /// Default: 60,30 (the second, nearer one is worded as urgent).
    EXPIRY_WARN_DAYS = "expiry_warn_days", Text, "DAYS";
    /// Deadline for the whole run, in whole seconds (default 60); each network call may
    /// take a third of it, at most 10 s.
    TIMEOUT = "timeout", Text, "SECONDS";
    /// The Maskinporten client ID (the grant's `iss`).
    CLIENT_ID = "client_id", Text, "ID";
    /// A scope to ask for. Repeatable; a list in the file, spaces or commas in the variable.
    SCOPE = "scope", List, "SCOPE";
    /// Maskinporten base URL instead of the environment's (a simulator, a new environment).
    MASKINPORTEN_URL = "maskinporten_url", Text, "URL";
    /// Digdir's self-service API base instead of the environment's
    /// (`https://api.test.samarbeid.digdir.no`): its public scope catalogue tells what each
    /// scope is. With --maskinporten-url and not this, the catalogue is not read.
    SAMARBEID_URL = "samarbeid_url", Text, "URL";
    /// The ID of a key registered on the client: the grant is signed with --key and
    /// carries `kid` instead of the certificate.
    KID = "kid", Text, "KID";
    /// An Altinn resource the integration calls (`urn:altinn:resource:ID` or the bare ID;
    /// repeatable): its registry entry and policy tell which access packages grant it,
    /// and the rights check requires one of them. An https URL instead asks for an
    /// audience-restricted token (the `resource` claim; one at most).
    RESOURCE = "resource", List, "URN|URL";
    /// Prove real access to a product API with one read-only GET (repeatable):
    /// `correspondence`, `broker` (both need --resource), `dialogporten` (--resource or
    /// --system-user-org), `instances` (needs --app). Never a write, never a retry.
    PROBE = "probe", List, "PRODUCT";
    /// The Altinn app whose instances `--probe instances` lists (`org/app`).
    APP = "app", Text, "ORG/APP";
    /// Act for this organisation (`consumer_org`): a supplier with a delegation.
    CONSUMER_ORG = "consumer_org", Text, "ORGNR";
    /// Send the whole certificate chain in `x5c`, not only the certificate.
    X5C_CHAIN = "x5c_chain", Bool, "";
    /// Which Altinn path to check: `enterprise-user` (API key + enterprise user, the old
    /// guide), `system-user` (its replacement), or `both`. Default: what is configured.
    FLOW = "flow", Text, "FLOW";
    /// The enterprise user's name (no `:` in it; its password: ALTINN_DOCTOR_ENTERPRISE_PASSWORD).
    ENTERPRISE_USER = "enterprise_user", Text, "NAME";
    /// A role the enterprise user must hold (repeatable). Default: HADM (Hovedadministrator).
    REQUIRE_ROLE = "require_role", List, "CODE";
    /// The customer organisation the system user acts for.
    SYSTEM_USER_ORG = "system_user_org", Text, "ORGNR";
    /// The `externalRef` the system-user request was made with.
    EXTERNAL_REF = "external_ref", Text, "REF";
    /// The vendor's system ID (`<orgno>_<name>`), to look the system user up and explain MP-303.
    SYSTEM_ID = "system_id", Text, "ID";
    /// The vendor's Maskinporten client for those look-ups, when it is not --client-id
    /// (vendors often keep the vendor scopes on another client). It signs with the same
    /// certificate (or --kid key).
    VENDOR_CLIENT_ID = "vendor_client_id", Text, "ID";
    /// The kind of system user: `standard`, or `agent` (an accountant or auditor acting
    /// for its clients; `--system-user-org` is then the accountant's own org number).
    /// Unsaid: found out from the vendor look-ups.
    SYSTEM_USER_TYPE = "system_user_type", Text, "standard|agent";
    /// An access package the system user must have (repeatable): a code
    /// (`skattegrunnlag`) or a URN (`urn:altinn:accesspackage:skattegrunnlag`).
    REQUIRE_ACCESS_PACKAGE = "require_access_package", List, "CODE|URN";
    /// Altinn 2 API base URL instead of the environment's (`https://tt02.altinn.no`).
    ALTINN_URL = "altinn_url", Text, "URL";
    /// Altinn platform base URL instead of the environment's (`https://platform.tt02.altinn.no`).
    PLATFORM_URL = "platform_url", Text, "URL";
    /// Allow `http://` for --maskinporten-url, --platform-url and --altinn-url, on a
    /// loopback address only (a local test server). Credentials then travel in clear text.
    INSECURE_HTTP = "insecure_http", Bool, "";
    /// The password of the PKCS#12 file or of the encrypted key.
    CERT_PASSWORD = "cert_password", Secret, "";
    /// The Altinn 2 API key.
    API_KEY = "api_key", Secret, "";
    /// The enterprise user's password (one attempt per run).
    ENTERPRISE_PASSWORD = "enterprise_password", Secret, "";
}

/// The setting of a name, as a file or the code spells it.
pub(crate) fn find(name: &str) -> Option<&'static Setting> {
    ALL.iter().find(|s| s.name == name)
}

/// The README's table of settings set by flag, variable or file key.
pub fn readme_table() -> String {
    let mut out = String::from("| flag | variable / file key | meaning |\n|---|---|---|\n");
    for s in ALL.iter().filter(|s| s.has_flag()) {
        let long = match s.short {
            Some(c) => format!("-{c}, {}", s.flag()),
            None => s.flag(),
        };
        let flag = match s.value_name {
            "" => format!("`{long}`"),
            v => format!("`{long} {}`", v.replace('|', "\\|")),
        };
        let key = match s.kind {
            Kind::Locator => format!("`{}`", s.env_var()),
            _ => format!("`{}`, `{}`", s.env_var(), s.name),
        };
        out.push_str(&format!("| {flag} | {key} | {} |\n", s.doc_line().replace('|', "\\|")));
    }
    out
}

/// The README's table of secrets: variables and file keys, never a flag.
pub fn readme_secrets() -> String {
    let mut out = String::from("| variable | file key | for |\n|---|---|---|\n");
    for s in ALL.iter().filter(|s| s.kind == Kind::Secret) {
        out.push_str(&format!(
            "| `{var}`, `{var}_FILE` | `{name}`, `{name}_file` | {} |\n",
            s.doc_line(),
            var = s.env_var(),
            name = s.name,
        ));
    }
    out
}
