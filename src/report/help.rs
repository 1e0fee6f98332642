//! `--help` and command-line errors in the user's language. English lives beside the
//! flags (`cli.rs`, `config/settings.rs`); bokmål is data, `messages/help-nb.toml`,
//! keyed by command and argument ID, laid over clap's tree at start-up.

use std::sync::OnceLock;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command};

use crate::vocab::Lang;

const NB: &str = include_str!("messages/help-nb.toml");

/// The embedded Norwegian help. A parse failure is a build defect the tests catch.
fn norwegian() -> &'static toml::Table {
    static TEXTS: OnceLock<toml::Table> = OnceLock::new();
    TEXTS.get_or_init(|| NB.parse().expect("the embedded help-nb.toml is valid TOML"))
}

/// The command line's clap tree, its texts in `lang`.
pub fn command(lang: Lang) -> Command {
    let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
    match lang {
        Lang::En => cmd,
        Lang::Nb => localise(cmd, norwegian()),
    }
}

/// A text of the Norwegian help: `["command", "demo", "about"]`, `["setting", "org"]`.
fn text(texts: &toml::Table, path: &[&str]) -> Option<String> {
    let mut node = texts.get(path[0])?;
    for key in &path[1..] {
        node = node.as_table()?.get(*key)?;
    }
    node.as_str().map(str::to_string)
}

fn word(texts: &toml::Table, key: &str) -> String {
    text(texts, &["words", key]).unwrap_or_else(|| key.to_string())
}

fn localise(cmd: Command, texts: &toml::Table) -> Command {
    let names: Vec<String> = cmd.get_subcommands().map(|c| c.get_name().to_string()).collect();
    let cmd = names.iter().fold(cmd, |cmd, name| cmd.mut_subcommand(name, |sub| subcommand(sub, texts)));
    let usage = format!("altinn-doctor [{}] <{}>", word(texts, "options-placeholder"), word(texts, "command"));
    let about = text(texts, &["about"]);
    let mut cmd = framed(args(cmd, texts, |id| text(texts, &["root", id])), texts, usage)
        .mut_about(about)
        .subcommand_help_heading(word(texts, "commands"))
        .disable_version_flag(true)
        .arg(own_flag("version", 'V', ArgAction::Version, texts));
    // clap adds its `help` subcommand when the tree is built; its words are laid on after.
    cmd.build();
    cmd.mut_subcommand("help", |help| help.about(word(texts, "help-command")))
}

fn subcommand(cmd: Command, texts: &toml::Table) -> Command {
    let name = cmd.get_name().to_string();
    let uses_settings = cmd.get_arguments().any(|a| a.get_id() == "config");
    let cmd = args(cmd, texts, |id| match uses_settings {
        true => text(texts, &["setting", id]),
        false => text(texts, &["command", &name, id]),
    });
    let usage = usage_of(&cmd, texts);
    let about = text(texts, &["command", &name, "about"]);
    framed(cmd, texts, usage).mut_about(about)
}

/// Each argument's help, heading and placeholder in bokmål; `said` finds its text by ID.
fn args(cmd: Command, texts: &toml::Table, said: impl Fn(&str) -> Option<String>) -> Command {
    cmd.mut_args(|arg| {
        let said = said(arg.get_id().as_str());
        // Defaults and choices are in the bokmål text itself.
        let arg = match arg.get_action().takes_values() {
            true => renamed(arg, texts).hide_default_value(true).hide_possible_values(true),
            false => arg,
        };
        // The check flags keep their groups, named in bokmål; the others one heading.
        let heading = match arg.get_help_heading() {
            Some(group) => text(texts, &["groups", group]).unwrap_or_else(|| group.to_string()),
            None => word(texts, if arg.is_positional() { "arguments" } else { "options" }),
        };
        let variable = crate::config::settings::find(arg.get_id().as_str()).map(|s| format!(" [{}]", s.env_var()));
        let arg = arg.help_heading(heading);
        match said {
            Some(said) => {
                let said = format!("{said}{}", variable.unwrap_or_default());
                arg.help(said.clone()).long_help(said)
            }
            None => arg,
        }
    })
}

/// The help flag, the template and the usage line every command shares.
fn framed(cmd: Command, texts: &toml::Table, usage: String) -> Command {
    let template = format!("{{about-with-newline}}\n{} {{usage}}\n\n{{all-args}}{{after-help}}", word(texts, "usage"));
    cmd.disable_help_flag(true)
        .arg(own_flag("help", 'h', ArgAction::Help, texts))
        .help_template(template)
        .override_usage(usage)
}

/// `-h, --help` or `-V, --version` in place of clap's, worded in bokmål.
fn own_flag(name: &'static str, short: char, action: ArgAction, texts: &toml::Table) -> Arg {
    Arg::new(name).short(short).long(name).action(action).help(word(texts, name)).help_heading(word(texts, "options"))
}

/// A flag's placeholder in bokmål (`FIL`, `NAVN`), where it differs.
fn renamed(arg: Arg, texts: &toml::Table) -> Arg {
    let names: Vec<String> = arg.get_value_names().unwrap_or_default().iter().map(|n| n.to_string()).collect();
    if names.is_empty() {
        return arg;
    }
    let said: Vec<String> =
        names.iter().map(|n| text(texts, &["value-names", n]).unwrap_or_else(|| n.clone())).collect();
    arg.value_names(said)
}

/// `altinn-doctor NAME [VALG] --dir <MAPPE> <ID>`: clap's usage line, in bokmål.
fn usage_of(cmd: &Command, texts: &toml::Table) -> String {
    let mut parts = vec![format!("altinn-doctor {} [{}]", cmd.get_name(), word(texts, "options-placeholder"))];
    let placeholder = |a: &Arg| {
        a.get_value_names().and_then(|n| n.first()).map(|n| n.to_string()).unwrap_or_else(|| a.get_id().to_string())
    };
    for arg in cmd.get_arguments().filter(|a| !a.is_positional() && a.is_required_set()) {
        parts.push(format!("--{} <{}>", arg.get_long().unwrap_or_default(), placeholder(arg)));
    }
    for arg in cmd.get_positionals() {
        let name = placeholder(arg).to_uppercase();
        parts.push(if arg.is_required_set() { format!("<{name}>") } else { format!("[{name}]") });
    }
    parts.join(" ")
}

/// The man page's section headings in `lang` (clap_mangen writes NAME, SYNOPSIS, …).
pub fn man_headings(roff: &str, lang: Lang) -> String {
    let Some(headings) = norwegian().get("man").and_then(toml::Value::as_table).filter(|_| lang == Lang::Nb) else {
        return roff.to_string();
    };
    roff.lines()
        .map(|line| match line.strip_prefix(".SH ").and_then(|h| headings.get(h)).and_then(toml::Value::as_str) {
            Some(said) => format!(".SH {said}\n"),
            None => format!("{line}\n"),
        })
        .collect()
}

/// The man page's own sections beside clap's: EXIT STATUS, ENVIRONMENT (every variable),
/// FILES, EXAMPLES and the checks (`(ID, title)`), in `lang`, placed before VERSION.
pub fn man_sections(roff: &str, lang: Lang, checks: &[(String, String)]) -> String {
    let words = |key: &str| crate::report::Catalogue::of(lang).text("man", key);
    let mut extra = String::new();
    extra.push_str(&format!(".SH {}\n{}\n", words("exit_status"), escape(&words("exit_codes"))));
    extra.push_str(&format!(".SH {}\n", words("environment")));
    for s in crate::config::settings::ALL.iter() {
        let doc = match lang {
            Lang::Nb => text(norwegian(), &["setting", s.name]).unwrap_or_else(|| s.doc_line()),
            Lang::En => s.doc_line(),
        };
        let name = match s.kind {
            crate::config::settings::Kind::Secret => format!("{var}, {var}_FILE", var = s.env_var()),
            _ => s.env_var(),
        };
        extra.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", escape(&name), escape(&doc)));
    }
    extra.push_str(&format!(".TP\n{}\n", escape(&words("other_variables"))));
    extra.push_str(&format!(".SH {}\n{}\n", words("files"), escape(&words("files_text"))));
    extra.push_str(&format!(".SH {}\n", words("examples")));
    for example in words("examples_text").split(" ;; ") {
        extra.push_str(&format!(".PP\n.nf\n{}\n.fi\n", escape(example)));
    }
    extra.push_str(&format!(".SH {}\n", words("checks")));
    for (id, title) in checks {
        extra.push_str(&format!(".TP\n\\fB{}\\fR\n{}\n", escape(id), escape(title)));
    }
    match roff.find(".SH VERSION").or_else(|| roff.find(".SH VERSJON")) {
        Some(at) => format!("{}{extra}{}", &roff[..at], &roff[at..]),
        None => format!("{roff}{extra}"),
    }
}

/// Text as roff reads it: a backslash as `\e`, and no line that opens with a control
/// character.
fn escape(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    text.lines()
        .map(|l| if l.starts_with('.') || l.starts_with('\'') { format!("\\&{l}") } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A command-line error in `lang`, or `None` to let clap say it (English, help, version).
pub fn error(e: &clap::Error, lang: Lang) -> Option<String> {
    if lang == Lang::En {
        return None;
    }
    let texts = norwegian();
    let context = |kind: ContextKind| match e.get(kind) {
        Some(ContextValue::String(s)) => s.clone(),
        Some(ContextValue::Strings(v)) => v.join(", "),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let fill = |key: &str| {
        word(texts, key)
            .replace("{arg}", &context(ContextKind::InvalidArg))
            .replace("{value}", &context(ContextKind::InvalidValue))
            .replace("{other}", &context(ContextKind::PriorArg))
    };
    let (said, suggested) = match e.kind() {
        ErrorKind::UnknownArgument => (fill("unknown-argument"), context(ContextKind::SuggestedArg)),
        ErrorKind::InvalidSubcommand => (
            word(texts, "unknown-command").replace("{arg}", &context(ContextKind::InvalidSubcommand)),
            context(ContextKind::SuggestedSubcommand),
        ),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => (fill("invalid-value"), String::new()),
        ErrorKind::MissingRequiredArgument => (fill("missing"), String::new()),
        ErrorKind::ArgumentConflict => (fill("conflict"), String::new()),
        ErrorKind::InvalidUtf8 => (word(texts, "not-utf8"), String::new()),
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
        | ErrorKind::MissingSubcommand => return None,
        _ => (fill("other"), String::new()),
    };
    let mut line = said;
    let valid = context(ContextKind::ValidValue);
    if !valid.is_empty() {
        line = format!("{line}; {}", word(texts, "valid-values").replace("{valid}", &valid));
    }
    if !suggested.is_empty() {
        line = format!("{line}; {}", word(texts, "suggestion").replace("{suggested}", &suggested));
    }
    Some(format!("{line}\n{}", word(texts, "more").replace("{usage}", "altinn-doctor")))
}

/// A command's about in bokmål, where there is one (a missing text fails the tests;
/// English meanwhile).
trait MutAbout {
    fn mut_about(self, about: Option<String>) -> Self;
}

impl MutAbout for Command {
    fn mut_about(self, about: Option<String>) -> Command {
        match about {
            Some(about) => self.about(about).long_about(None),
            None => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command and argument of the tree has its bokmål text, and every text its
    /// command or argument.
    #[test]
    fn the_norwegian_help_covers_the_tree_and_nothing_else() {
        let texts = norwegian();
        let cmd = <crate::cli::Cli as clap::CommandFactory>::command();
        let mut wanted = vec!["about".to_string()];
        wanted.extend(cmd.get_arguments().map(|a| format!("root.{}", a.get_id())));
        for sub in cmd.get_subcommands() {
            let name = sub.get_name();
            wanted.push(format!("command.{name}.about"));
            for arg in sub.get_arguments() {
                let settings = sub.get_arguments().any(|a| a.get_id() == "config");
                wanted.push(match settings {
                    true => format!("setting.{}", arg.get_id()),
                    false => format!("command.{name}.{}", arg.get_id()),
                });
            }
        }
        let mut have = Vec::new();
        fn walk(prefix: &str, table: &toml::Table, out: &mut Vec<String>) {
            for (key, value) in table {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}.{key}") };
                match value {
                    toml::Value::Table(t) => walk(&path, t, out),
                    _ => out.push(path),
                }
            }
        }
        walk("", texts, &mut have);
        let have: Vec<String> = have
            .into_iter()
            .filter(|p| !["words.", "value-names.", "man.", "groups."].iter().any(|s| p.starts_with(s)))
            .collect();
        let missing: Vec<&String> = wanted.iter().filter(|w| !have.contains(w)).collect();
        assert!(missing.is_empty(), "no bokmål help for: {missing:?}");
        let orphans: Vec<&String> = have.iter().filter(|h| !wanted.contains(h)).collect();
        assert!(orphans.is_empty(), "bokmål help for nothing: {orphans:?}");
    }

    #[test]
    fn both_trees_pass_clap_s_own_checks() {
        command(Lang::En).debug_assert();
        command(Lang::Nb).debug_assert();
    }
}
