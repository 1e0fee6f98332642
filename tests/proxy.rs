//! Maskinporten through a real HTTP proxy (tinyproxy on loopback, started here).
//!
//! `.ci/run` installs tinyproxy. Where it is missing the test says so and passes,
//! except under CI, where a missing proxy is a failure.

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use altinn_doctor::sim::world::Options;
use common::*;

struct Proxy {
    child: Child,
    port: u16,
    log: std::path::PathBuf,
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_proxy(d: &Dir) -> Option<Proxy> {
    start_proxy_with(d, "")
}

/// tinyproxy with `extra` lines in its configuration (`BasicAuth user password`).
fn start_proxy_with(d: &Dir, extra: &str) -> Option<Proxy> {
    if Command::new("tinyproxy").arg("-v").output().is_err() {
        assert!(std::env::var("CI").is_err(), "tinyproxy is missing under CI: .ci/run must install it");
        eprintln!("tinyproxy is not installed: skipping the proxy test (bash .ci/run installs it)");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let log = d.file("tinyproxy.log");
    let conf = d.write(
        "tinyproxy.conf",
        format!(
            "Port {port}\nListen 127.0.0.1\nTimeout 30\nAllow 127.0.0.1\nMaxClients 20\nLogFile \"{}\"\nLogLevel Info\n{extra}",
            log.display()
        ),
    );
    let child = Command::new("tinyproxy")
        .args(["-d", "-c", &conf])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(10), "tinyproxy did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Proxy { child, port, log })
}

#[test]
fn maskinporten_through_a_real_proxy() {
    let s = start_sim(Options::default());
    let Some(proxy) = start_proxy(&s.dir) else { return };
    let url = format!("http://127.0.0.1:{}", proxy.port);
    let r = s.check_env(&[], &[("HTTPS_PROXY", &url)]);
    assert_eq!(r.status("mp.token"), "pass", "{}", r.cause("mp.token"));
    let log = std::fs::read_to_string(&proxy.log).unwrap_or_default();
    let target = s.sim.base_url.trim_start_matches("https://");
    assert!(log.contains("CONNECT") && log.contains(target), "the proxy carried the calls:\n{log}");
    // NO_PROXY for loopback bypasses it.
    let before = log.matches("CONNECT").count();
    let r = s.check_env(&[], &[("HTTPS_PROXY", &url), ("NO_PROXY", "127.0.0.1")]);
    assert_eq!(r.status("mp.token"), "pass");
    let after = std::fs::read_to_string(&proxy.log).unwrap_or_default().matches("CONNECT").count();
    assert_eq!(before, after, "NO_PROXY kept the calls off the proxy");
    // A proxy that is not there: named as the proxy, not as Maskinporten, and no finding
    // about the credentials (exit 3).
    drop(proxy);
    let r = s.check_env(&[], &[("https_proxy", &url)]);
    assert_eq!(r.code_of("mp.discovery"), "proxy-unreachable", "{}", r.cause("mp.discovery"));
    assert!(r.cause("mp.discovery").contains(&url));
    assert_eq!(r.code, 3);
}

#[test]
fn a_proxy_that_wants_credentials_is_named_and_then_given_them() {
    let s = start_sim(Options::default());
    let Some(proxy) = start_proxy_with(&s.dir, "BasicAuth doctor proxy-secret-pw\n") else { return };
    let bare = format!("http://127.0.0.1:{}", proxy.port);
    let r = s.check_env(&[], &[("HTTPS_PROXY", &bare)]);
    assert_eq!(r.code_of("mp.discovery"), "proxy-auth-required", "{}", r.cause("mp.discovery"));
    assert!(r.cause("mp.discovery").contains("407") && r.cause("mp.discovery").contains(&bare));
    assert!(r.fix("mp.discovery").contains("user:password@host:port"), "{}", r.fix("mp.discovery"));
    assert_eq!(r.code, 3, "nothing about the credentials was learnt");
    let with = format!("http://doctor:proxy-secret-pw@127.0.0.1:{}", proxy.port);
    let r = s.check_env(&[], &[("HTTPS_PROXY", &with)]);
    assert_eq!(r.status("mp.token"), "pass", "{}", r.cause("mp.token"));
    assert!(!r.stdout.contains("proxy-secret-pw") && !r.stderr.contains("proxy-secret-pw"));
}

/// A proxy that takes the connection and never answers: a real socket, held open.
fn hanging_proxy() -> (String, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let held = std::thread::spawn(move || {
        let mut open = Vec::new();
        listener.set_nonblocking(true).unwrap();
        let until = Instant::now() + Duration::from_secs(20);
        while Instant::now() < until {
            match listener.accept() {
                Ok((stream, _)) => open.push(stream),
                Err(_) => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    });
    (url, held)
}

#[test]
fn a_proxy_that_hangs_is_blamed_with_the_service_not_the_service_alone() {
    let s = start_sim(Options::default());
    let (url, _held) = hanging_proxy();
    let r = s.check_env(&["--timeout", "2"], &[("HTTPS_PROXY", &url)]);
    assert_eq!(r.code_of("mp.discovery"), "proxy-timeout", "{}", r.cause("mp.discovery"));
    assert!(r.cause("mp.discovery").contains(&url), "the proxy is named: {}", r.cause("mp.discovery"));
    assert_eq!(r.code, 3);
}
