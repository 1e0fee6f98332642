//! The pages of `checks/`, embedded: what `altinn-doctor explain` prints. A check's page
//! comes with its ID (`check_id!`); only the exit-code page stands alone.

/// The page of exit codes: `altinn-doctor explain exit-codes`.
pub(crate) const EXIT_CODES: &str = include_str!("../../checks/exit-codes.md");
