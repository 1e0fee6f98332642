//! The pages of `checks/`, embedded: what `altinn-doctor explain` prints. A check's page
//! comes with its ID (`check_id!`); only the exit-code page stands alone.

/// The page of exit codes: `altinn-doctor explain exit-codes`.
pub(crate) const EXIT_CODES: &str = include_str!("../../checks/exit-codes.md");
/// The same in Norwegian bokmål.
pub(crate) const EXIT_CODES_NB: &str = include_str!("../../checks/nb/exit-codes.md");

/// The exit-code page in a language.
pub(crate) fn exit_codes(lang: crate::vocab::Lang) -> &'static str {
    match lang {
        crate::vocab::Lang::En => EXIT_CODES,
        crate::vocab::Lang::Nb => EXIT_CODES_NB,
    }
}

/// The checks whose page explains `term`: a Maskinporten code (`MP-303`, in any case)
/// anywhere on it, or a cause code (`scope-owned-by`) as the page writes it, in backticks.
pub(crate) fn mentioning(term: &str, ids: &[crate::engine::CheckId]) -> Vec<crate::engine::CheckId> {
    let term = term.trim();
    let mp = term.to_ascii_uppercase();
    let is_mp = mp.len() == 6 && mp.starts_with("MP-") && mp[3..].bytes().all(|b| b.is_ascii_digit());
    let code = format!("`{}`", term.to_ascii_lowercase());
    let explains = |page: &str| if is_mp { page.contains(&mp) } else { term.len() > 2 && page.contains(&code) };
    ids.iter().copied().filter(|id| explains(id.page())).collect()
}

/// A term as pages write it: an MP code in capitals, a cause code in lower case.
pub(crate) fn term(text: &str) -> String {
    let t = text.trim();
    if t.to_ascii_uppercase().starts_with("MP-") { t.to_ascii_uppercase() } else { t.to_ascii_lowercase() }
}

/// The check ID nearest a mistyped one, when it is near enough (at most three edits).
pub(crate) fn nearest(term: &str, ids: &[crate::engine::CheckId]) -> Option<crate::engine::CheckId> {
    let term = term.trim().to_ascii_lowercase();
    let scored = ids.iter().map(|id| (edits(&term, id.as_str()), *id));
    scored.filter(|(d, _)| *d <= 3).min_by_key(|(d, _)| *d).map(|(_, id)| id)
}

/// Levenshtein distance, by characters.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (previous + usize::from(ca != *cb)).min(row[j] + 1).min(here + 1);
            previous = here;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_count_insertions_deletions_and_changes() {
        assert_eq!(edits("mp.tokn", "mp.token"), 1);
        assert_eq!(edits("mp.token", "mp.token"), 0);
        assert_eq!(edits("cert.validty", "cert.validity"), 1);
        assert_eq!(edits("abc", "xyz"), 3);
    }
}
