//! Shared test helpers: the binary, a test PKI shaped like the real CAs, file writers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use altinn_doctor::sim::pki::{CaChain, Leaf, LeafSpec, Purpose, Style, rsa_key};
use rcgen::{KeyPair, RsaKeySize};
use serde_json::Value;
use time::OffsetDateTime;

/// A synthetic test org number with a valid MOD11 check digit.
pub const ORG: &str = "310123455";
/// The same with a wrong check digit.
pub const BAD_CHECK_DIGIT_ORG: &str = "310123456";
pub const OTHER_ORG: &str = "974760673";

/// What one run of the binary gave.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\n{}", self.stdout, self.stderr))
    }

    /// The JSON entry of one check.
    pub fn check(&self, id: &str) -> Value {
        self.json()["checks"]
            .as_array()
            .expect("checks array")
            .iter()
            .find(|c| c["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no check {id} in {}", self.stdout))
    }

    pub fn status(&self, id: &str) -> String {
        self.check(id)["status"].as_str().unwrap().to_string()
    }

    pub fn code_of(&self, id: &str) -> String {
        self.check(id)["cause_code"].as_str().unwrap().to_string()
    }

    pub fn cause(&self, id: &str) -> String {
        self.check(id)["cause"].as_str().unwrap().to_string()
    }

    pub fn fix(&self, id: &str) -> String {
        self.check(id)["fix"].as_str().unwrap_or_default().to_string()
    }

    pub fn fact(&self, id: &str, key: &str) -> Value {
        self.check(id)["facts"][key].clone()
    }

    /// Every check passed, but those of the other Altinn flow, and the resource check
    /// when no resource is asked for, which step aside.
    pub fn assert_all_pass(&self) {
        for c in self.json()["checks"].as_array().unwrap() {
            let aside = ["not-in-flow", "no-flow", "no-resource", "not-asked"];
            let ok = c["status"] == "pass" || (c["status"] == "skip" && aside.iter().any(|a| c["cause_code"] == *a));
            assert!(ok, "{c}");
        }
        assert_eq!(self.code, 0);
    }

    /// Nothing may ever print a Rust panic or backtrace, or a sentence missing from
    /// the message catalogue.
    pub fn assert_no_panic(&self) {
        for text in [&self.stdout, &self.stderr] {
            assert!(!text.contains("panicked") && !text.contains("RUST_BACKTRACE"), "panic:\n{text}");
            assert!(!text.contains("[missing message"), "a cause without a message:\n{text}");
        }
    }
}

/// Where Maskinporten is for a test that names none: a closed loopback port, so
/// that no test ever reaches beyond this machine.
pub const NOWHERE: &str = "https://127.0.0.1:9";

/// Runs the binary with `args` and exactly the environment `env` (plus PATH, and
/// Maskinporten at [`NOWHERE`] unless `env` says otherwise).
pub fn run(args: &[&str], env: &[(&str, &str)], cwd: &Path) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_altinn-doctor"));
    cmd.args(args).current_dir(cwd).env_clear();
    if let Ok(path) = std::env::var("PATH") {
        cmd.env("PATH", path);
    }
    for var in ["ALTINN_DOCTOR_MASKINPORTEN_URL", "ALTINN_DOCTOR_PLATFORM_URL", "ALTINN_DOCTOR_ALTINN_URL"] {
        cmd.env(var, NOWHERE);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run altinn-doctor");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    run.assert_no_panic();
    run
}

/// `check --format json` with the given extra args.
pub fn check_json(args: &[&str], env: &[(&str, &str)], cwd: &Path) -> Run {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    run(&all, env, cwd)
}

/// The test PKI: one chain per CA style and a few keys, made once per test binary.
pub struct Pki {
    pub buypass: CaChain,
    pub commfides: CaChain,
    pub key3072: KeyPair,
    pub key2048: KeyPair,
    pub other2048: KeyPair,
}

pub fn pki() -> &'static Pki {
    static PKI: OnceLock<Pki> = OnceLock::new();
    PKI.get_or_init(|| Pki {
        buypass: CaChain::new(Style::BuypassTest4).unwrap(),
        commfides: CaChain::new(Style::CommfidesTest).unwrap(),
        key3072: rsa_key(RsaKeySize::_3072).unwrap(),
        key2048: rsa_key(RsaKeySize::_2048).unwrap(),
        other2048: rsa_key(RsaKeySize::_2048).unwrap(),
    })
}

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

pub fn spec(purpose: Purpose) -> LeafSpec {
    LeafSpec { purpose, ..LeafSpec::authentication(ORG, "TESTBEDRIFT AS", now()) }
}

/// A temporary folder with helpers to write the files a user would have.
pub struct Dir {
    pub tmp: tempfile::TempDir,
}

impl Dir {
    pub fn new() -> Dir {
        Dir { tmp: tempfile::tempdir().unwrap() }
    }

    pub fn path(&self) -> &Path {
        self.tmp.path()
    }

    pub fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let p = self.tmp.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_string_lossy().into_owned()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// The CA file a user passes with --ca-file (the test chain's root).
    pub fn ca(&self, chain: &CaChain) -> String {
        self.write("ca.pem", chain.root_pem())
    }

    /// Certificate, chain and key in one PEM file.
    pub fn pem_bundle(&self, name: &str, chain: &CaChain, leaf: &Leaf, key: &KeyPair) -> String {
        self.write(name, format!("{}{}{}", leaf.pem, chain.chain_pem(), key.serialize_pem()))
    }

    /// A PKCS#12 file written by OpenSSL: `legacy` = RC2-40 + 3DES with a SHA-1 MAC
    /// (as keytool and older Windows write), else the OpenSSL 3 default (AES-256, SHA-256 MAC).
    pub fn pkcs12(&self, name: &str, p: P12<'_>) -> String {
        let P12 { chain, leaf, key, extra, password, legacy } = p;
        let cert = self.write(&format!("{name}.leaf.pem"), &leaf.pem);
        let key_file = self.write(&format!("{name}.key.pem"), key.serialize_pem());
        let mut others = chain.chain_pem();
        for e in extra {
            others.push_str(&e.pem);
        }
        let others = self.write(&format!("{name}.others.pem"), others);
        let out = self.file(name);
        let mut cmd = Command::new("openssl");
        cmd.args(["pkcs12", "-export", "-in", &cert, "-inkey", &key_file, "-certfile", &others, "-out"])
            .arg(&out)
            .args(["-passout", &format!("pass:{password}")]);
        if legacy {
            cmd.arg("-legacy");
        }
        let status = cmd.output().expect("openssl");
        assert!(status.status.success(), "openssl pkcs12: {}", String::from_utf8_lossy(&status.stderr));
        out.to_string_lossy().into_owned()
    }

    /// Runs openssl with `args`, returning stdout; fails the test on error.
    pub fn openssl(&self, args: &[&str]) -> Vec<u8> {
        let out = Command::new("openssl").args(args).current_dir(self.path()).output().expect("openssl");
        assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    }
}

/// What goes into a PKCS#12 file.
pub struct P12<'a> {
    pub chain: &'a CaChain,
    pub leaf: &'a Leaf,
    pub key: &'a KeyPair,
    pub extra: &'a [&'a Leaf],
    pub password: &'a str,
    pub legacy: bool,
}

/// An environment for a run: pairs of variable and value.
pub type Env<'a> = &'a [(&'a str, &'a str)];

/// Issues a certificate from `chain` or panics.
pub fn issue(chain: &CaChain, spec: &LeafSpec, key: &KeyPair) -> Leaf {
    chain.issue(spec, key).unwrap()
}

/// The real public certificate and CRLs (copied from shared/fixtures).
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

// ---------------------------------------------------------------- the simulator

use altinn_doctor::sim::world::{Options, Simulator, World, write_dir};

/// One simulated world per test binary (its keys take a moment to make).
pub fn world() -> &'static World {
    static WORLD: OnceLock<World> = OnceLock::new();
    WORLD.get_or_init(|| World::generate(now()).unwrap())
}

/// A simulator on loopback with its folder written, as `simulate --dir` leaves it.
pub struct SimRun {
    pub sim: Simulator,
    pub dir: Dir,
    pub profile: String,
    rt: tokio::runtime::Runtime,
}

pub fn start_sim(options: Options) -> SimRun {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let sim = rt.block_on(Simulator::start(world(), options)).unwrap();
    let dir = Dir::new();
    let registry = sim.state.mp.registry.read().unwrap().clone();
    let profile = write_dir(world(), dir.path(), &sim, &registry).unwrap().to_string_lossy().into_owned();
    SimRun { sim, dir, profile, rt }
}

impl SimRun {
    /// `check --format json --config profile.toml` plus `extra`.
    pub fn check(&self, extra: &[&str]) -> Run {
        self.check_env(extra, &[])
    }

    pub fn check_env(&self, extra: &[&str], env: Env) -> Run {
        let mut args = vec!["--config", self.profile.as_str()];
        args.extend_from_slice(extra);
        let mut all = self.env().to_vec();
        all.extend_from_slice(env);
        check_json(&args, &all, self.dir.path())
    }

    /// The environment that points at this simulator.
    pub fn env(&self) -> [(&str, &str); 4] {
        let base = self.sim.base_url.as_str();
        [
            ("ALTINN_DOCTOR_MASKINPORTEN_URL", base),
            ("ALTINN_DOCTOR_SAMARBEID_URL", base),
            ("ALTINN_DOCTOR_PLATFORM_URL", base),
            ("ALTINN_DOCTOR_ALTINN_URL", base),
        ]
    }

    /// Runs a future on the simulator's runtime.
    pub fn block_on<F: std::future::Future>(&self, f: F) -> F::Output {
        self.rt.block_on(f)
    }
}
