//! The named demo scenarios: a simulated set-up and a profile each, run on a fresh
//! machine with nothing to configure and nothing left behind.

use std::path::{Path, PathBuf};

use rcgen::KeyPair;
use time::OffsetDateTime;

use crate::certificate::OrgNumber;
use crate::config::{Environment, Profile, Secret};
use crate::sim::pki::{self, CaChain, Leaf, LeafSpec, Purpose, Style};

/// The demo organisation (a synthetic number with a valid check digit).
pub const DEMO_ORG: &str = "312345676";
pub const DEMO_ORG_NAME: &str = "DEMOBEDRIFT AS";
/// Another synthetic organisation, for `wrong-org`.
pub const OTHER_ORG: &str = "310987654";
const DEMO_PASSWORD: &str = "demo-passord";

/// A scenario: its name, what it shows, and how it sets up the lab and profile.
pub struct Scenario {
    pub name: &'static str,
    pub shows: &'static str,
    setup: fn(&Lab, &mut Profile) -> Result<(), String>,
}

/// Every scenario, `ok` first.
pub const SCENARIOS: &[Scenario] = &[
    Scenario { name: "ok", shows: "a Buypass-like test certificate that passes every check", setup: ok },
    Scenario { name: "expired-cert", shows: "the certificate expired ten days ago", setup: expired_cert },
    Scenario {
        name: "signing-cert",
        shows: "the signing certificate of the set instead of the authentication one",
        setup: signing_cert,
    },
    Scenario {
        name: "test-cert-in-prod",
        shows: "a test certificate used against production",
        setup: test_cert_in_prod,
    },
    Scenario { name: "wrong-org", shows: "the certificate belongs to another organisation", setup: wrong_org },
];

pub fn find(name: &str) -> Option<&'static Scenario> {
    SCENARIOS.iter().find(|s| s.name == name)
}

/// The simulated PKI and a temporary folder for the files a user would have.
pub struct Lab {
    pub dir: tempfile::TempDir,
    pub ca: CaChain,
    pub key: KeyPair,
    pub now: OffsetDateTime,
}

impl Lab {
    pub fn new(now: OffsetDateTime) -> Result<Lab, String> {
        let dir = tempfile::Builder::new().prefix("altinn-doctor-demo-").tempdir().map_err(|e| e.to_string())?;
        let ca = CaChain::new(Style::BuypassTest4).map_err(|e| e.to_string())?;
        let key = pki::rsa_key(rcgen::RsaKeySize::_3072).map_err(|e| e.to_string())?;
        Ok(Lab { dir, ca, key, now })
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> Result<PathBuf, String> {
        let p = self.path(name);
        std::fs::write(&p, bytes).map_err(|e| format!("{}: {e}", p.display()))?;
        Ok(p)
    }

    fn issue(&self, spec: &LeafSpec) -> Result<Leaf, String> {
        self.ca.issue(spec, &self.key).map_err(|e| e.to_string())
    }

    /// The certificate as a PKCS#12 file with its chain, the CA file, and a current
    /// CRL, all set in the profile.
    fn install(&self, leaf: &Leaf, profile: &mut Profile) -> Result<(), String> {
        let chain = [self.ca.issuing.der().as_ref(), self.ca.root.der().as_ref()];
        let p12 = pki::pkcs12(&leaf.der, &self.key.serialize_der(), &chain, DEMO_PASSWORD)?;
        profile.cert = Some(self.write(&format!("{DEMO_ORG}.p12"), &p12)?);
        profile.secrets.cert_password = Some(Secret::new(DEMO_PASSWORD));
        profile.ca_files = vec![self.write("ca.pem", self.ca.root_pem().as_bytes())?];
        let day = time::Duration::days(1);
        let crl = self.ca.crl(&[], self.now - day, self.now + day).map_err(|e| e.to_string())?;
        profile.crl = vec![self.write("ca.crl", &crl)?];
        profile.org = OrgNumber::parse(DEMO_ORG).ok();
        Ok(())
    }

    fn spec(&self) -> LeafSpec {
        LeafSpec::authentication(DEMO_ORG, DEMO_ORG_NAME, self.now)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

fn ok(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    lab.install(&lab.issue(&lab.spec())?, profile)
}

fn expired_cert(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    let mut spec = lab.spec();
    spec.not_before = lab.now - time::Duration::days(3 * 365);
    spec.not_after = lab.now - time::Duration::days(10);
    lab.install(&lab.issue(&spec)?, profile)
}

fn signing_cert(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    let spec = LeafSpec { purpose: Purpose::Signing, ..lab.spec() };
    lab.install(&lab.issue(&spec)?, profile)
}

fn test_cert_in_prod(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    ok(lab, profile)?;
    profile.env = Environment::Prod;
    Ok(())
}

fn wrong_org(lab: &Lab, profile: &mut Profile) -> Result<(), String> {
    ok(lab, profile)?;
    profile.org = OrgNumber::parse(OTHER_ORG).ok();
    Ok(())
}

/// Sets up `scenario` in `lab` and returns the profile that checks it.
pub fn prepare(scenario: &Scenario, lab: &Lab, base: Profile) -> Result<Profile, String> {
    let mut profile = base;
    (scenario.setup)(lab, &mut profile)?;
    Ok(profile)
}
