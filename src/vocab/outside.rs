//! Text from outside the doctor (a server, a token, a certificate, a file or profile name),
//! made safe to print anywhere: no control character, no terminal escape, no CI-runner
//! command, no unbounded length, and still readable for a person.
//!
//! The rules, in one place (the README's safety section repeats them):
//! - CR, LF, tab, NEL and the Unicode line and paragraph separators become one space, so
//!   outside text never starts a line of its own;
//! - every other C0 and C1 control, DEL, the bidirectional overrides and the
//!   non-characters U+FFFE and U+FFFF are shown as `\u{HEX}`, so no escape sequence reaches
//!   a terminal and no character XML 1.0 forbids reaches a document;
//! - the markers CI runners execute are broken with a hyphen between their doubled
//!   characters: `::` becomes `:-:` (GitHub's `::command::`), `##[` becomes `#-#[` (GitHub's
//!   older form) and `##vso[` becomes `#-#vso[` (Azure Pipelines), in any case;
//! - a field is cut after [`FIELD_CAP`] characters and ends `… (N bytes more)`.

use std::fmt;

/// The most characters of one outside field a report shows.
pub(crate) const FIELD_CAP: usize = 512;

/// Text from outside, neutralised: the only way to make one is [`Outside::new`].
#[derive(Clone, PartialEq, Eq, Debug, Default, serde::Serialize)]
#[serde(transparent)]
pub(crate) struct Outside(String);

impl Outside {
    pub(crate) fn new(raw: &str) -> Outside {
        Outside(neutralise(raw))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Outside {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// `raw` made safe to print (the module's rules).
pub(crate) fn neutralise(raw: &str) -> String {
    let (kept, more) = match raw.char_indices().nth(FIELD_CAP) {
        Some((cut, _)) => (&raw[..cut], raw.len() - cut),
        None => (raw, 0),
    };
    let mut out = defuse(kept);
    if more > 0 {
        out.push_str(&format!("… ({more} bytes more)"));
    }
    out
}

/// The module's rules but the length cap: for text already cut, such as a finding's
/// arguments when a template takes them in.
pub(crate) fn defuse(kept: &str) -> String {
    let mut out = String::with_capacity(kept.len() + 8);
    let chars: Vec<char> = kept.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\n' | '\r' | '\t' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if escaped(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            ':' if chars.get(i + 1) == Some(&':') => out.push_str(":-"),
            '#' if chars.get(i + 1) == Some(&'#') && opens_command(&chars[i + 2..]) => out.push_str("#-"),
            c => out.push(c),
        }
    }
    out
}

/// Characters shown as `\u{HEX}`: controls, bidirectional overrides, non-characters.
fn escaped(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        || matches!(c, '\u{fffe}' | '\u{ffff}')
}

/// True when the text after `##` makes a runner command: `[` (GitHub) or `vso[` (Azure).
fn opens_command(after: &[char]) -> bool {
    match after {
        ['[', ..] => true,
        [v, s, o, '[', ..] => {
            v.eq_ignore_ascii_case(&'v') && s.eq_ignore_ascii_case(&'s') && o.eq_ignore_ascii_case(&'o')
        }
        _ => false,
    }
}

/// Every string in a JSON value neutralised, object keys too.
pub(crate) fn neutralise_value(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::String(s) if needs_work(s) => *s = neutralise(s),
        Value::Array(items) => items.iter_mut().for_each(neutralise_value),
        Value::Object(map) => {
            let entries = std::mem::take(map);
            for (key, mut v) in entries {
                neutralise_value(&mut v);
                map.insert(if needs_work(&key) { neutralise(&key) } else { key }, v);
            }
        }
        _ => {}
    }
}

/// A copy of a JSON object with every string neutralised, keys too.
pub(crate) fn neutralised_map(
    map: &serde_json::Map<String, serde_json::Value>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut value = serde_json::Value::Object(map.clone());
    neutralise_value(&mut value);
    match value {
        serde_json::Value::Object(map) => map,
        _ => serde_json::Map::new(),
    }
}

/// False for the plain text that most fields are, so they are not copied.
fn needs_work(s: &str) -> bool {
    s.len() > FIELD_CAP || s.chars().any(|c| escaped(c) || matches!(c, ':' | '#' | '\u{2028}' | '\u{2029}'))
}

/// The line guard: a rendered line whose first visible characters are `::` (a GitHub
/// workflow command) gets the same hyphen, so wrapping or indentation cannot make one.
/// The GitHub renderer applies it to everything but the commands it writes itself.
pub(crate) fn guard_lines(text: &str) -> String {
    if !text.lines().any(|l| l.trim_start().starts_with("::")) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for line in text.split_inclusive('\n') {
        let body = line.trim_start();
        if body.starts_with("::") {
            out.push_str(&line[..line.len() - body.len()]);
            out.push_str(":-");
            out.push_str(&body[1..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_controls_cannot_escape_the_field() {
        assert_eq!(neutralise("bad\n::error title=x::forged"), "bad :-:error title=x:-:forged");
        assert_eq!(neutralise("\u{1b}[2J\u{1b}]0;t\u{7}"), "\\u{1b}[2J\\u{1b}]0;t\\u{7}");
        assert_eq!(neutralise("a\u{9b}31m\u{202e}b\u{ffff}"), "a\\u{9b}31m\\u{202e}b\\u{ffff}");
        assert_eq!(
            neutralise("x ##[error]y ##VSO[task.complete]z ###[w"),
            "x #-#[error]y #-#VSO[task.complete]z ##-#[w"
        );
        assert_eq!(neutralise("urn:altinn:accesspackage:x ## header"), "urn:altinn:accesspackage:x ## header");
        assert_eq!(neutralise("Hovedadministrator – æøå"), "Hovedadministrator – æøå");
    }

    #[test]
    fn neutralising_twice_changes_nothing_more() {
        for raw in ["a\n::b", "##vso[x", ":::", "###[", "\u{0}"] {
            let once = neutralise(raw);
            assert_eq!(neutralise(&once), once, "{raw:?}");
        }
    }

    #[test]
    fn a_long_field_is_cut_and_says_how_much_is_left_out() {
        let long = "å".repeat(FIELD_CAP + 10);
        let shown = neutralise(&long);
        assert!(shown.starts_with(&"å".repeat(FIELD_CAP)));
        assert!(shown.ends_with("… (20 bytes more)"), "{shown}");
    }

    #[test]
    fn json_values_are_neutralised_keys_and_all() {
        let mut v = serde_json::json!({"a\nb": ["::x", {"k": "##[y"}], "n": 3});
        neutralise_value(&mut v);
        assert_eq!(v, serde_json::json!({"a b": [":-:x", {"k": "#-#[y"}], "n": 3}));
    }

    #[test]
    fn the_line_guard_defuses_a_line_that_starts_a_command() {
        assert_eq!(guard_lines("ok\n  ::error::x\n::warning::y"), "ok\n  :-:error::x\n:-:warning::y");
        assert_eq!(guard_lines("a :: b\n"), "a :: b\n");
    }
}
