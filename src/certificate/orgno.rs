//! Where a certificate keeps its organisation number.

use serde::Serialize;

pub(crate) use crate::vocab::OrgNumber;

/// The subject attribute an org number was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub(crate) enum OrgSource {
    #[serde(rename = "organizationIdentifier")]
    OrganizationIdentifier,
    #[serde(rename = "serialNumber")]
    SerialNumber,
    #[serde(rename = "O")]
    Organization,
}

impl OrgSource {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            OrgSource::OrganizationIdentifier => "organizationIdentifier",
            OrgSource::SerialNumber => "serialNumber",
            OrgSource::Organization => "O",
        }
    }
}

/// What a certificate's subject says about its organisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum OrgReading {
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
pub(crate) struct SubjectAttributes {
    pub(crate) organization_identifier: Vec<String>,
    pub(crate) serial_number: Vec<String>,
    pub(crate) organization: Vec<String>,
    pub(crate) organizational_unit: Vec<String>,
}

/// Reads the org number: `organizationIdentifier` (`NTRNO-`), then `serialNumber`,
/// then an `O` ending in `-<9 digits>`.
pub(crate) fn read(attrs: &SubjectAttributes) -> OrgReading {
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
pub(crate) fn sub_unit(attrs: &SubjectAttributes, org: &OrgNumber) -> Option<String> {
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
