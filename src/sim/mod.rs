//! The simulator of Maskinporten (and later Altinn): its PKI, its services, its faults.

pub mod clock;
pub mod maskinporten;
pub mod pki;
pub mod registry;
pub mod server;
pub mod world;

use std::time::Duration;

use crate::cli::SimulateArgs;
use crate::config::Environment;

/// `altinn-doctor simulate`: start, write the folder, print how to use it, serve.
pub async fn serve_command(args: &SimulateArgs, env: Environment) -> Result<(), String> {
    let now = time::OffsetDateTime::now_utc();
    let world = world::World::generate(now)?;
    let registry_file = args.dir.join("clients.toml");
    let registry = match std::fs::read_to_string(&registry_file) {
        Ok(text) => registry::Registry::parse(&text)?,
        Err(_) => world.default_registry(now),
    };
    let options = world::Options {
        env,
        listen: args.listen,
        latency: Duration::from_millis(args.latency_ms),
        clock_offset_s: args.clock_offset_s,
        issuer: None,
        registry: Some(registry.clone()),
    };
    let sim = world::Simulator::start(&world, options).await?;
    let profile = world::write_dir(&world, &args.dir, &sim, &registry)?;
    println!("{}", sim.base_url);
    println!("Maskinporten simulator ({env}) at {}: metadata, /token, /jwk.", sim.base_url);
    println!("Wrote {}: ca.pem, the demo organisations' .p12/.pem, clients.toml, profile.toml.", args.dir.display());
    println!("Check against it:  altinn-doctor check --config {}", profile.display());
    println!();
    print!("{}", std::fs::read_to_string(&profile).unwrap_or_default());
    println!();
    println!("Serving until interrupted (Ctrl-C).");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let _ = tokio::signal::ctrl_c().await;
    sim.stop().await;
    Ok(())
}
