//! The simulator of Maskinporten (and later Altinn): its PKI, its services, its faults.

pub mod altinn;
pub mod clock;
pub mod maskinporten;
pub mod pki;
pub mod registry;
pub mod server;
pub mod vendor;
pub mod world;

use std::time::Duration;

use crate::cli::SimulateArgs;
use crate::config::Environment;

/// `altinn-doctor simulate`: start, write the folder, print how to use it, serve.
pub async fn serve_command(args: &SimulateArgs, env: Environment) -> Result<(), String> {
    let now = time::OffsetDateTime::now_utc();
    let world = world::World::load_or_generate(&args.dir.join("pki"), now)?;
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
        era: args.era,
    };
    let sim = world::Simulator::start(&world, options).await?;
    let profile = world::write_dir(&world, &args.dir, &sim, &registry)?;
    // Whoever reads this may stop reading after the first line (`| head -1`): a closed
    // stdout must not stop the simulator, so write errors are ignored.
    use std::io::Write;
    let mut out = std::io::stdout();
    let text = format!(
        "{base}\nMaskinporten simulator ({env}) at {base}: metadata, /token, /jwk.\n\
         Wrote {dir}: ca.pem, the demo organisations' .p12/.pem, clients.toml, profile.toml (the PKI is kept in pki/ for the next start).\n\
         Check against it:  altinn-doctor check --config {profile}\n\n{content}\nServing until interrupted (Ctrl-C).\n",
        base = sim.base_url,
        dir = args.dir.display(),
        profile = profile.display(),
        content = std::fs::read_to_string(&profile).unwrap_or_default(),
    );
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    let _ = tokio::signal::ctrl_c().await;
    sim.stop().await;
    Ok(())
}
