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
