//! The flags of `check` (and `token`, `jwk`), made from the settings' declaration: one
//! clap argument per setting, read back as raw values for the flag layer.

use clap::{Arg, ArgAction, ArgMatches};

use super::layers::RawValue;
use super::settings::{self, Kind, Setting};

/// The settings given as flags, in the order of the declaration. Each one can also be
/// set as `ALTINN_DOCTOR_<NAME>` in the environment or as `<name>` in the profile file;
/// a flag beats the environment, the environment beats the file.
#[derive(Debug, Default, Clone)]
pub struct CheckArgs {
    pub(crate) given: Vec<(&'static Setting, RawValue)>,
}

impl CheckArgs {
    /// Flags as if typed: `(setting, value)` pairs (`inspect --cert` runs `check` so).
    /// A repeated list setting gathers its values, as a repeated flag does.
    pub(crate) fn of(pairs: &[(Setting, &str)]) -> CheckArgs {
        let mut given: Vec<(&'static Setting, RawValue)> = Vec::new();
        for (s, v) in pairs {
            let Some(setting) = settings::find(s.name) else { continue };
            let value = match setting.kind {
                Kind::Bool => RawValue::Bool(true),
                Kind::List | Kind::PathList => RawValue::List(vec![v.to_string()]),
                _ => RawValue::Text(v.to_string()),
            };
            match (given.iter_mut().find(|(g, _)| g.name == setting.name), value) {
                (Some((_, RawValue::List(items))), RawValue::List(more)) => items.extend(more),
                (_, value) => given.push((setting, value)),
            }
        }
        CheckArgs { given }
    }

    /// The same flags with `--profile NAME` (for `--all-profiles`).
    pub(crate) fn with_profile(&self, name: &str) -> CheckArgs {
        let mut given: Vec<_> = self.given.iter().filter(|(s, _)| s.name != settings::PROFILE.name).cloned().collect();
        given.push((&settings::PROFILE, RawValue::Text(name.to_string())));
        CheckArgs { given }
    }

    /// The same flags with `setting` given as `value` when the flags do not give it
    /// (`altinn-doctor --lang nb check`).
    pub(crate) fn or_given(&self, setting: &'static Setting, value: Option<&str>) -> CheckArgs {
        let mut given = self.given.clone();
        if let Some(value) = value
            && !given.iter().any(|(s, _)| s.name == setting.name)
        {
            given.push((setting, RawValue::Text(value.to_string())));
        }
        CheckArgs { given }
    }

    /// True when a switch was given.
    pub(crate) fn switch(&self, setting: &Setting) -> bool {
        self.given.iter().any(|(s, v)| s.name == setting.name && *v == RawValue::Bool(true))
    }

    /// The words a repeatable flag gave (empty when not given).
    pub(crate) fn words(&self, setting: &Setting) -> Vec<String> {
        self.given
            .iter()
            .filter(|(s, _)| s.name == setting.name)
            .flat_map(|(_, v)| match v {
                RawValue::List(items) => items.clone(),
                RawValue::Text(t) => vec![t.clone()],
                RawValue::Bool(_) => Vec::new(),
            })
            .collect()
    }

    /// The text a flag gave, if it was given.
    pub(crate) fn text(&self, setting: &Setting) -> Option<String> {
        self.given.iter().find(|(s, _)| s.name == setting.name).and_then(|(_, v)| match v {
            RawValue::Text(t) => Some(t.clone()),
            _ => None,
        })
    }
}

/// Other spellings users try for a flag, accepted without a word (and so never
/// "corrected" to a flag that means something else: `--cert-file` is not `--ca-file`).
fn aliases(name: &str) -> &'static [&'static str] {
    match name {
        "cert" => &["cert-file", "certificate"],
        "key" => &["key-file"],
        "client_id" => &["client"],
        _ => &[],
    }
}

/// The group `--help` shows a setting's flag in.
pub(crate) fn group(name: &str) -> &'static str {
    match name {
        "config" | "profile" | "from" | "env" | "org" => "Profile",
        "cert" | "key" | "thumbprint" | "crl" | "ca_file" | "expiry_warn_days" => "Certificate",
        "client_id" | "scope" | "maskinporten_url" | "samarbeid_url" | "kid" | "resource" | "consumer_org"
        | "x5c_chain" => "Maskinporten",
        "flow"
        | "enterprise_user"
        | "require_role"
        | "system_user_org"
        | "external_ref"
        | "system_id"
        | "vendor_client_id"
        | "system_user_type"
        | "require_access_package"
        | "altinn_url"
        | "platform_url"
        | "insecure_http"
        | "probe"
        | "app" => "Altinn",
        "format" | "output" | "support_report" | "report" | "facts" | "lang" | "color" | "quiet" | "verbose" => {
            "Output"
        }
        _ => "Run",
    }
}

/// The clap argument of a setting: its flag, placeholder, doc and variable, in its group.
fn arg(s: &'static Setting) -> Arg {
    let long = s.doc.lines().map(str::trim).collect::<Vec<_>>().join("\n").trim().to_string();
    let arg = Arg::new(s.name)
        .long(s.name.replace('_', "-"))
        .aliases(aliases(s.name))
        .short(s.short)
        .help_heading(group(s.name))
        .help(format!("{} [{}]", s.doc_line(), s.env_var()))
        .long_help(format!("{long}\n[{}]", s.env_var()));
    match s.kind {
        Kind::Bool => arg.action(ArgAction::SetTrue),
        Kind::Locator if s.value_name.is_empty() => arg.action(ArgAction::SetTrue),
        Kind::List | Kind::PathList => arg.action(ArgAction::Append).value_name(s.value_name),
        _ => arg.action(ArgAction::Set).value_name(s.value_name),
    }
}

impl clap::Args for CheckArgs {
    fn augment_args(cmd: clap::Command) -> clap::Command {
        settings::ALL.iter().filter(|s| s.has_flag()).fold(cmd, |cmd, s| cmd.arg(arg(s)))
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl clap::FromArgMatches for CheckArgs {
    fn from_arg_matches(m: &ArgMatches) -> Result<Self, clap::Error> {
        let mut given = Vec::new();
        for s in settings::ALL.iter().filter(|s| s.has_flag()) {
            let value = match s.kind {
                Kind::Bool => m.get_flag(s.name).then_some(RawValue::Bool(true)),
                Kind::Locator if s.value_name.is_empty() => m.get_flag(s.name).then_some(RawValue::Bool(true)),
                Kind::List | Kind::PathList => {
                    m.get_many::<String>(s.name).map(|v| RawValue::List(v.cloned().collect()))
                }
                _ => m.get_one::<String>(s.name).map(|v| RawValue::Text(v.clone())),
            };
            if let Some(value) = value {
                given.push((s, value));
            }
        }
        Ok(CheckArgs { given })
    }

    fn update_from_arg_matches(&mut self, m: &ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}
