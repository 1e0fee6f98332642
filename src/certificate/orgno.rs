//! Norwegian organisation numbers: where a certificate keeps one, and the MOD11 check digit.

use std::fmt;

use serde::Serialize;

/// A nine-digit organisation number (Enhetsregisteret).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrgNumber(String);

impl OrgNumber {
    /// Accepts nine digits, with spaces allowed between groups (`974 760 673`).
    pub fn parse(text: &str) -> Result<OrgNumber, String> {
        let digits: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        if digits.len() == 9 && digits.chars().all(|c| c.is_ascii_digit()) {
            Ok(OrgNumber(digits))
        } else {
            Err(format!("`{text}` is not an organisation number: write its nine digits"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True when the last digit is the MOD11 check digit of the first eight
    /// (weights 3,2,7,6,5,4,3,2). Synthetic test numbers may fail it.
    pub fn has_valid_check_digit(&self) -> bool {
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

/// The subject attribute an org number was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum OrgSource {
    #[serde(rename = "organizationIdentifier")]
    OrganizationIdentifier,
    #[serde(rename = "serialNumber")]
    SerialNumber,
    #[serde(rename = "O")]
    Organization,
}

impl OrgSource {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgSource::OrganizationIdentifier => "organizationIdentifier",
            OrgSource::SerialNumber => "serialNumber",
            OrgSource::Organization => "O",
        }
    }
}

/// What a certificate's subject says about its organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrgReading {
    Found {
        number: OrgNumber,
        source: OrgSource,
    },
    /// An organizationIdentifier of another country or register (`NTRDK-…`).
    Foreign {
        identifier: String,
    },
    Missing,
}

/// The subject attributes the reading uses, as strings.
#[derive(Debug, Default, Clone)]
pub struct SubjectAttributes {
    pub organization_identifier: Vec<String>,
    pub serial_number: Vec<String>,
    pub organization: Vec<String>,
    pub organizational_unit: Vec<String>,
}

/// Reads the org number: `organizationIdentifier` (`NTRNO-`), then `serialNumber`,
/// then an `O` ending in `-<9 digits>`.
pub fn read(attrs: &SubjectAttributes) -> OrgReading {
    let mut foreign = None;
    for id in &attrs.organization_identifier {
        match id.strip_prefix("NTRNO-").map(OrgNumber::parse) {
            Some(Ok(number)) => {
                return OrgReading::Found { number, source: OrgSource::OrganizationIdentifier };
            }
            _ => foreign = foreign.or(Some(id.clone())),
        }
    }
    for serial in &attrs.serial_number {
        if let Ok(number) = OrgNumber::parse(serial) {
            return OrgReading::Found { number, source: OrgSource::SerialNumber };
        }
    }
    for o in &attrs.organization {
        if let Some((_, tail)) = o.rsplit_once('-')
            && let Ok(number) = OrgNumber::parse(tail)
        {
            return OrgReading::Found { number, source: OrgSource::Organization };
        }
    }
    match foreign {
        Some(identifier) => OrgReading::Foreign { identifier },
        None => OrgReading::Missing,
    }
}

/// A nine-digit number in an `OU` that differs from the org number: a sub-unit.
pub fn sub_unit(attrs: &SubjectAttributes, org: &OrgNumber) -> Option<String> {
    attrs.organizational_unit.iter().find_map(|ou| {
        ou.split(|c: char| !c.is_ascii_digit())
            .find(|part| part.len() == 9)
            .filter(|n| *n != org.as_str())
            .map(str::to_string)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit() {
        assert!(OrgNumber::parse("974760673").unwrap().has_valid_check_digit()); // Brønnøysundregistrene
        assert!(OrgNumber::parse("991825827").unwrap().has_valid_check_digit()); // Digdir
        assert!(!OrgNumber::parse("974760674").unwrap().has_valid_check_digit());
        assert!(OrgNumber::parse("97476067").is_err());
    }

    #[test]
    fn reading_order() {
        let attrs = SubjectAttributes {
            organization_identifier: vec!["NTRNO-991825827".into()],
            serial_number: vec!["974760673".into()],
            ..Default::default()
        };
        assert_eq!(
            read(&attrs),
            OrgReading::Found {
                number: OrgNumber::parse("991825827").unwrap(),
                source: OrgSource::OrganizationIdentifier
            }
        );
        let attrs = SubjectAttributes { organization: vec!["ACME AS - 974760673".into()], ..Default::default() };
        assert!(matches!(read(&attrs), OrgReading::Found { source: OrgSource::Organization, .. }));
        let attrs = SubjectAttributes { organization_identifier: vec!["NTRDK-12345678".into()], ..Default::default() };
        assert!(matches!(read(&attrs), OrgReading::Foreign { .. }));
        assert_eq!(read(&SubjectAttributes::default()), OrgReading::Missing);
    }
}
