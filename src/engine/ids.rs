//! A check's stable ID: the name reports, pages and scripts rely on, with its page.

use std::fmt;

/// A check's stable ID and the page `explain` prints for it. Each domain declares its
/// own with [`check_id!`](crate::check_id); the registry lists them all, once.
#[derive(Debug, Clone, Copy)]
pub struct CheckId {
    name: &'static str,
    domain: &'static str,
    page: &'static str,
    /// The same page in Norwegian bokmål (`checks/nb/ID.md`).
    page_nb: &'static str,
}

impl CheckId {
    pub(crate) const fn new(
        name: &'static str,
        domain: &'static str,
        page: &'static str,
        page_nb: &'static str,
    ) -> CheckId {
        CheckId { name, domain, page, page_nb }
    }

    /// The check's page in a language.
    pub fn page_in(self, lang: crate::vocab::Lang) -> &'static str {
        match lang {
            crate::vocab::Lang::En => self.page,
            crate::vocab::Lang::Nb => self.page_nb,
        }
    }

    /// The domain the check belongs to (`certificate`, `maskinporten`, `altinn`): the
    /// JUnit report's class name.
    pub fn domain(self) -> &'static str {
        self.domain
    }

    pub fn as_str(self) -> &'static str {
        self.name
    }

    /// The check's page (`checks/ID.md`).
    pub fn page(self) -> &'static str {
        self.page
    }
}

/// Declares a check ID with its pages, `checks/NAME.md` and `checks/nb/NAME.md`, embedded
/// (an ID without its pages does not compile), in the domain named by the `DOMAIN` constant where it is declared.
#[macro_export]
macro_rules! check_id {
    ($(#[$doc:meta])* $const:ident = $name:literal) => {
        $(#[$doc])*
        pub(crate) const $const: $crate::engine::CheckId = $crate::engine::CheckId::new(
            $name,
            DOMAIN,
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/checks/", $name, ".md")),
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/checks/nb/", $name, ".md")),
        );
    };
}

impl PartialEq for CheckId {
    fn eq(&self, other: &CheckId) -> bool {
        self.name == other.name
    }
}

impl Eq for CheckId {}

impl std::hash::Hash for CheckId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.name.hash(state)
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl serde::Serialize for CheckId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name)
    }
}
