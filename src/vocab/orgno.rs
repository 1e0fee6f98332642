//! The Norwegian organisation number (Enhetsregisteret) and its MOD11 check digit.

use std::fmt;

/// A nine-digit organisation number (Enhetsregisteret).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct OrgNumber(String);

impl OrgNumber {
    /// Accepts nine digits, with spaces allowed between groups (`974 760 673`).
    pub(crate) fn parse(text: &str) -> Result<OrgNumber, super::Problem> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 9 && digits.chars().all(|c| c.is_ascii_digit()) {
            Ok(OrgNumber(digits))
        } else {
            Err(super::Problem::NotOrgNumber { given: text.trim().to_string() })
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the last digit is the MOD11 check digit of the first eight
    /// (weights 3,2,7,6,5,4,3,2). Synthetic test numbers may fail it.
    pub(crate) fn has_valid_check_digit(&self) -> bool {
        const WEIGHTS: [u32; 8] = [3, 2, 7, 6, 5, 4, 3, 2];
        let d: Vec<u32> = self.0.chars().filter_map(|c| c.to_digit(10)).collect();
        let sum: u32 = d.iter().zip(WEIGHTS).map(|(a, w)| a * w).sum();
        let check = match 11 - sum % 11 {
            11 => 0,
            10 => return false,
            c => c,
        };
        d[8] == check
    }
}

impl fmt::Display for OrgNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
