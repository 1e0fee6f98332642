//! The three sources of settings (flags, environment, file) as raw values with their origin.

use std::path::{Path, PathBuf};

use super::ConfigError;
use crate::vocab::Problem;

/// Where a setting came from, so that an error can name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    Flag(String),
    Env(String),
    File { path: PathBuf, table: String },
}

/// A value as a source spelt it, before it is parsed into its type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum RawValue {
    Text(String),
    List(Vec<String>),
    Bool(bool),
}

#[derive(Debug, Clone)]
pub(crate) struct Raw {
    pub(crate) value: RawValue,
    pub(crate) origin: Origin,
    /// For values from a file: the file's folder, against which relative paths resolve.
    pub(crate) base: Option<PathBuf>,
}

use super::settings::{self, Kind, Setting};

/// The setting of a name a source spelt.
pub(crate) fn key(name: &str) -> Option<&'static Setting> {
    settings::find(name)
}

/// The settings of one source, by key name.
#[derive(Debug, Default)]
pub(crate) struct Layer {
    entries: Vec<(String, Raw)>,
}

impl Layer {
    pub(crate) fn insert(&mut self, name: impl Into<String>, raw: Raw) {
        self.entries.push((name.into(), raw));
    }

    /// Another source's settings, over this one's.
    pub(crate) fn extend(&mut self, other: Layer) {
        self.entries.extend(other.entries);
    }

    pub(crate) fn get(&self, name: &str) -> Option<&Raw> {
        self.entries.iter().rev().find(|(n, _)| n == name).map(|(_, r)| r)
    }

    /// Reads the variables named after the settings from an environment snapshot.
    pub(crate) fn from_env(vars: &dyn Fn(&str) -> Option<String>) -> Layer {
        let mut layer = Layer::default();
        for key in settings::ALL.iter().filter(|s| s.in_file()) {
            // A secret may also come from a file named by `<VAR>_FILE`; nothing else has
            // that second variable (`ALTINN_DOCTOR_CA_FILE` is the setting `ca_file` itself).
            let mut names = vec![(key.name.to_string(), key.env_var())];
            if key.kind == Kind::Secret {
                names.push((format!("{}_file", key.name), format!("{}_FILE", key.env_var())));
            }
            for (name, var) in names {
                let Some(value) = vars(&var) else { continue };
                let value = match key.kind {
                    // Empty is kept as empty, whatever the kind, so that reading it is an
                    // error ("is empty") and not a silent "unset".
                    _ if value.trim().is_empty() => RawValue::Text(String::new()),
                    Kind::PathList => RawValue::List(
                        std::env::split_paths(&value)
                            .map(|p| p.to_string_lossy().into_owned())
                            .filter(|s| !s.is_empty())
                            .collect(),
                    ),
                    Kind::List => RawValue::List(
                        value
                            .split(|c: char| c == ',' || c.is_whitespace())
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect(),
                    ),
                    _ => RawValue::Text(value),
                };
                // A list of nothing (`" , "`) is as empty as an empty text.
                let value = match value {
                    RawValue::List(items) if items.is_empty() => RawValue::Text(String::new()),
                    v => v,
                };
                layer.insert(name, Raw { value, origin: Origin::Env(var), base: None });
            }
        }
        layer
    }

    /// Reads a profile file: its top-level keys, overlaid with `[profile.NAME]` when a
    /// profile is named. Unknown keys are errors that name the key and the file.
    pub(crate) fn from_file(path: &Path, text: &str, profile: Option<&str>) -> Result<Layer, ConfigError> {
        Layer::from_table(path, &parse_toml(path, text)?, profile)
    }

    /// As [`Layer::from_file`], from the file already parsed.
    pub(crate) fn from_table(path: &Path, table: &toml::Table, profile: Option<&str>) -> Result<Layer, ConfigError> {
        let file_origin = |table: &str| Origin::File { path: path.to_path_buf(), table: table.into() };
        let base = path.parent().map(Path::to_path_buf);
        let mut layer = Layer::default();
        layer.read_table(table, "", &file_origin, base.clone())?;
        let profiles = table.get("profile").and_then(toml::Value::as_table);
        if let Some(name) = profile {
            let Some(section) = profiles.and_then(|p| p.get(name)).and_then(toml::Value::as_table) else {
                let known: Vec<&String> = profiles.map(|p| p.keys().collect()).unwrap_or_default();
                let known = known.into_iter().cloned().collect();
                let problem = Problem::NoSuchProfile { name: name.to_string(), known };
                return Err(ConfigError { key: "profile".into(), origin: file_origin(""), problem: Box::new(problem) });
            };
            layer.read_table(section, &format!("profile.{name}"), &file_origin, base)?;
        }
        Ok(layer)
    }

    fn read_table(
        &mut self,
        table: &toml::Table,
        table_name: &str,
        origin: &dyn Fn(&str) -> Origin,
        base: Option<PathBuf>,
    ) -> Result<(), ConfigError> {
        for (name, value) in table {
            let err = |problem: Problem| ConfigError {
                key: name.clone(),
                origin: origin(table_name),
                problem: Box::new(problem),
            };
            if table_name.is_empty() && name == "profile" {
                // `profile = "x"` does not choose a profile: only `--profile` does.
                if !value.is_table() {
                    return Err(err(Problem::ProfileKey));
                }
                continue;
            }
            let known =
                key(name).or_else(|| name.strip_suffix("_file").and_then(key).filter(|k| k.kind == Kind::Secret));
            if known.is_none_or(|k| !k.in_file()) {
                let known = settings::ALL.iter().filter(|s| s.in_file()).map(|k| k.name.to_string()).collect();
                return Err(err(Problem::UnknownKey { known }));
            }
            let raw = match value {
                toml::Value::String(s) => RawValue::Text(s.clone()),
                toml::Value::Boolean(b) => RawValue::Bool(*b),
                toml::Value::Integer(i) => RawValue::Text(i.to_string()),
                toml::Value::Datetime(d) => RawValue::Text(d.to_string()),
                toml::Value::Array(items) => RawValue::List(
                    items
                        .iter()
                        .map(|v| match v {
                            toml::Value::String(s) => Ok(s.clone()),
                            toml::Value::Integer(i) => Ok(i.to_string()),
                            _ => Err(err(Problem::ListItems)),
                        })
                        .collect::<Result<_, _>>()?,
                ),
                toml::Value::Table(_) => return Err(err(Problem::TableNotValue)),
                // `timeout = 30.0` is 30: a whole number written as a float is read as one.
                toml::Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => RawValue::Text(format!("{}", *f as i64)),
                toml::Value::Float(f) => RawValue::Text(f.to_string()),
            };
            self.insert(name.clone(), Raw { value: raw, origin: origin(table_name), base: base.clone() });
        }
        Ok(())
    }
}

/// A profile file's TOML; an error names the line.
pub(crate) fn parse_toml(path: &Path, text: &str) -> Result<toml::Table, ConfigError> {
    text.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map_or(1, |s| text[..s.start.min(text.len())].lines().count().max(1));
        let problem = Problem::NotToml { line, detail: e.message().to_string() };
        ConfigError {
            key: String::new(),
            origin: Origin::File { path: path.to_path_buf(), table: String::new() },
            problem: Box::new(problem),
        }
    })
}
