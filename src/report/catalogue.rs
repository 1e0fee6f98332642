//! The message catalogue: every sentence a user reads, keyed by check and cause code.
//!
//! The English catalogue is `messages/en.toml`, embedded. A second language is a
//! second file of the same keys: data, not code.

use std::sync::OnceLock;

use serde_json::Value;

use crate::engine::{CheckId, Outcome, Status};

const EN: &str = include_str!("messages/en.toml");
const NB: &str = include_str!("messages/nb.toml");

/// The parsed catalogue.
pub struct Catalogue {
    table: toml::Table,
    /// The English catalogue, for a key a translation lacks (the tests allow none).
    fallback: Option<&'static Catalogue>,
}

/// A finding in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rendered {
    pub(crate) title: String,
    pub(crate) cause: String,
    pub(crate) fix: Option<String>,
}

impl Catalogue {
    /// The English catalogue. It is embedded and checked by the tests, so a parse
    /// failure here is a build defect, not a user error.
    pub fn english() -> &'static Catalogue {
        static CAT: OnceLock<Catalogue> = OnceLock::new();
        CAT.get_or_init(|| Catalogue::parse(EN).expect("the embedded catalogue en.toml is valid TOML"))
    }

    /// The Norwegian (bokmål) catalogue.
    pub fn norwegian() -> &'static Catalogue {
        static CAT: OnceLock<Catalogue> = OnceLock::new();
        CAT.get_or_init(|| {
            let mut cat = Catalogue::parse(NB).expect("the embedded catalogue nb.toml is valid TOML");
            cat.fallback = Some(Catalogue::english());
            cat
        })
    }

    /// The catalogue of a language.
    pub fn of(lang: crate::vocab::Lang) -> &'static Catalogue {
        match lang {
            crate::vocab::Lang::En => Catalogue::english(),
            crate::vocab::Lang::Nb => Catalogue::norwegian(),
        }
    }

    pub(crate) fn parse(text: &str) -> Result<Catalogue, String> {
        text.parse::<toml::Table>().map(|table| Catalogue { table, fallback: None }).map_err(|e| e.to_string())
    }

    fn lookup(&self, path: &[&str]) -> Option<&str> {
        self.own(path).or_else(|| self.fallback?.lookup(path))
    }

    fn own(&self, path: &[&str]) -> Option<&str> {
        let mut node = self.table.get(path[0])?;
        for key in &path[1..] {
            node = node.as_table()?.get(*key)?;
        }
        node.as_str()
    }

    /// Every string's key path in this catalogue, for the tests (`heading.fix`,
    /// `cert.readable.read.cause`, …).
    pub fn paths(&self) -> Vec<String> {
        fn walk(prefix: &str, table: &toml::Table, out: &mut Vec<String>) {
            for (key, value) in table {
                let path = if prefix.is_empty() { key.clone() } else { format!("{prefix}\u{1f}{key}") };
                match value {
                    toml::Value::Table(t) => walk(&path, t, out),
                    _ => out.push(path),
                }
            }
        }
        let mut out = Vec::new();
        walk("", &self.table, &mut out);
        out
    }

    /// The string at a path of [`Catalogue::paths`], in this catalogue alone.
    pub fn at(&self, path: &str) -> Option<&str> {
        let parts: Vec<&str> = path.split('\u{1f}').collect();
        self.own(&parts)
    }

    /// A plain string: `heading.status`, `status.pass`, and so on.
    pub(crate) fn text(&self, section: &str, key: &str) -> String {
        self.lookup(&[section, key]).map(str::to_string).unwrap_or_else(|| format!("[{section}.{key}]"))
    }

    pub fn title(&self, id: CheckId) -> String {
        self.lookup(&[id.as_str(), "title"]).map(str::to_string).unwrap_or_else(|| id.as_str().to_string())
    }

    pub(crate) fn status_word(&self, status: Status) -> String {
        self.text("status", status.as_str())
    }

    /// What is said beside an outcome's cause: "run because X needs it" for a check the
    /// user did not choose, "proven by Y" for one whose point a later check proved.
    pub(crate) fn notes(&self, outcome: &Outcome) -> Option<String> {
        let needed = outcome.needed_by.map(|by| self.text("heading", "needed_by").replace("{id}", by.as_str()));
        let proven = outcome.proven_by.map(|by| self.text("heading", "proven_by").replace("{id}", by.as_str()));
        let root = outcome.caused_by.map(|by| self.text("heading", "because_of").replace("{id}", by.as_str()));
        let notes: Vec<String> = needed.into_iter().chain(proven).chain(root).collect();
        (!notes.is_empty()).then(|| notes.join("; "))
    }

    /// Who acts on a finding (`developer`, `administrator`, `vendor`, `customer`,
    /// `api-owner`, `digdir`, `servicedesk`): the cause's own, else the check's, else the
    /// network fault's; only for a failure or warning that is no other's consequence.
    pub(crate) fn who_code(&self, outcome: &Outcome) -> Option<&str> {
        let status = outcome.finding.status();
        if !matches!(status, Status::Fail | Status::Warn) || outcome.caused_by.is_some() {
            return None;
        }
        let cause = &outcome.finding.cause;
        let id = outcome.id.as_str();
        self.lookup(&[id, &cause.code, "who"])
            .or_else(|| self.lookup(&["common", &cause.code, "who"]))
            .or_else(|| (!cause.from_engine).then(|| self.lookup(&[id, "who"])).flatten())
            .or(Some("developer"))
    }

    /// [`Catalogue::who_code`] in words.
    pub(crate) fn who(&self, outcome: &Outcome) -> Option<String> {
        self.who_code(outcome).map(|code| self.text("who", code))
    }

    /// The marker of a problem the check could not judge: unchecked, or proven elsewhere.
    pub(crate) fn unjudged_marker(&self, outcome: &Outcome) -> Option<String> {
        if !outcome.finding.cause.inconclusive {
            return None;
        }
        Some(match outcome.proven_by {
            Some(by) => self.text("heading", "proven_elsewhere").replace("{id}", by.as_str()),
            None => self.text("heading", "inconclusive"),
        })
    }

    /// The cause and fix of an outcome, with the cause's fields filled in.
    pub(crate) fn render(&self, outcome: &Outcome) -> Rendered {
        self.render_as(outcome, Style::Plain)
    }

    /// As [`Catalogue::render`], each field written as `style` wants it.
    pub(crate) fn render_as(&self, outcome: &Outcome, style: Style) -> Rendered {
        let cause = &outcome.finding.cause;
        let section = if cause.from_engine { "engine" } else { outcome.id.as_str() };
        let args = self.worded(&cause.args);
        // Causes several checks share (network trouble) live in section `common`.
        let template = |field: &str| {
            self.lookup(&[section, &cause.code, field])
                .or_else(|| self.lookup(&["common", &cause.code, field]))
                .map(|t| fill_as(t, &args, style))
        };
        Rendered {
            title: self.title(outcome.id),
            cause: template("cause").unwrap_or_else(|| format!("[missing message {section}.{}]", cause.code)),
            fix: template("fix"),
        }
    }

    /// A cause's arguments with the values that are codes (`role = "signing"`) in the
    /// language's words, where section `value-words` has them: the code stays in JSON.
    fn worded(&self, args: &serde_json::Map<String, Value>) -> serde_json::Map<String, Value> {
        let mut out = args.clone();
        for (key, value) in out.iter_mut() {
            if let Some(code) = value.as_str()
                && let Some(word) = self.lookup(&["value-words", key, code])
            {
                *value = Value::String(word.to_string());
            }
        }
        out
    }

    /// A network failure's cause outside any check (`common.CODE.cause`), from the
    /// failure as serialised (`{"code": …, "url": …}`).
    pub(crate) fn common_cause(&self, error: &Value) -> String {
        let code = error.get("code").and_then(Value::as_str).unwrap_or("");
        let args = error.as_object().cloned().unwrap_or_default();
        self.lookup(&["common", code, "cause"]).map(|t| fill(t, &args)).unwrap_or_else(|| format!("[common.{code}]"))
    }

    /// A check's cause and fix, for a cause serialised as `{"code": …, …}` outside a run
    /// (`jwk` reading the certificate): the same sentences the check would print.
    pub(crate) fn cause_of(&self, id: &str, cause: &Value) -> String {
        let code = cause.get("code").and_then(Value::as_str).unwrap_or("");
        let args = cause.as_object().cloned().unwrap_or_default();
        let text = |field: &str| self.lookup(&[id, code, field]).map(|t| fill(t, &args));
        let said = text("cause").unwrap_or_else(|| format!("[missing message {id}.{code}]"));
        match text("fix") {
            Some(fix) => format!("{said} {fix}"),
            None => said,
        }
    }

    /// Every `(section, code)` that has a cause message, for the tests.
    pub fn keys(&self) -> Vec<(String, String)> {
        let mut keys = Vec::new();
        for (section, value) in &self.table {
            let Some(table) = value.as_table() else {
                continue;
            };
            for (code, entry) in table {
                if entry.as_table().is_some_and(|t| t.contains_key("cause")) {
                    keys.push((section.clone(), code.clone()));
                }
            }
        }
        keys
    }
}

/// How a filled-in field is written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    /// As it is (defused, as every value is).
    Plain,
    /// A Markdown code span, so no link, image or HTML in it is rendered; inside a code
    /// span the template already opened, its backticks become `'`.
    Markdown,
}

/// Replaces each `{name}` with the argument of that name.
pub(crate) fn fill(template: &str, args: &serde_json::Map<String, Value>) -> String {
    fill_as(template, args, Style::Plain)
}

/// As [`fill`], each value written in `style`.
pub(crate) fn fill_as(template: &str, args: &serde_json::Map<String, Value>, style: Style) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if args.contains_key(&after[..close]) => {
                let value = value_text(&args[&after[..close]]);
                match style {
                    Style::Plain => out.push_str(&value),
                    Style::Markdown if out.matches('`').count() % 2 == 1 => out.push_str(&value.replace('`', "'")),
                    Style::Markdown => out.push_str(&code_span(&value)),
                }
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` as one Markdown code span: fenced by one backtick more than its longest run.
pub(crate) fn code_span(text: &str) -> String {
    if text.is_empty() {
        return String::new();
    }
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') { " " } else { "" };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// A fact or argument as text: strings bare (and defused, for they may come from
/// outside), lists joined, null as a dash.
pub(crate) fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => crate::vocab::outside::defuse(s),
        Value::Array(items) => items.iter().map(value_text).collect::<Vec<_>>().join(", "),
        Value::Null => "-".into(),
        other => other.to_string(),
    }
}
