//! The Windows certificate thumbprint: SHA-1 of the DER, upper-case hex as PowerShell shows it.

use std::fmt;

/// A thumbprint, normalised to 40 upper-case hex digits without separators.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Thumbprint(String);

impl Thumbprint {
    /// The thumbprint of a DER certificate.
    pub(crate) fn of(der: &[u8]) -> Thumbprint {
        let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA1_FOR_LEGACY_USE_ONLY, der);
        Thumbprint(digest.as_ref().iter().map(|b| format!("{b:02X}")).collect())
    }

    /// Reads a thumbprint as a user copies it: any case, with spaces or colons, and
    /// the invisible left-to-right mark that Windows' certificate dialog puts first.
    pub(crate) fn parse(text: &str) -> Result<Thumbprint, super::Problem> {
        let hex: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ':' && *c != '\u{200e}' && *c != '\u{feff}')
            .collect::<String>()
            .to_ascii_uppercase();
        if hex.len() == 40 && hex.chars().all(|c| c.is_ascii_hexdigit()) {
            Ok(Thumbprint(hex))
        } else {
            Err(super::Problem::NotThumbprint { given: text.trim().to_string() })
        }
    }
}

impl fmt::Display for Thumbprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_windows_styles() {
        let want = "0123456789ABCDEF0123456789ABCDEF01234567";
        for text in [
            "0123456789abcdef0123456789abcdef01234567",
            "01 23 45 67 89 ab cd ef 01 23 45 67 89 ab cd ef 01 23 45 67",
            "01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67",
            "\u{200e}0123456789abcdef0123456789abcdef01234567",
        ] {
            assert_eq!(Thumbprint::parse(text).unwrap().to_string(), want);
        }
        assert!(Thumbprint::parse("0123").is_err());
    }
}
