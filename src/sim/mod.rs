//! The simulator of Maskinporten (and later Altinn): its PKI, its services, its faults.

pub(crate) mod altinn;
pub(crate) mod clock;
pub(crate) mod maskinporten;
pub mod pki;
pub(crate) mod products;
pub(crate) mod registry;
pub mod server;
pub(crate) mod vendor;
pub mod world;

use std::path::Path;

/// `altinn-doctor simulate`: start with `options` (the clients of `dir/clients.toml` when
/// it exists), write the folder, print how to use it, serve until interrupted.
pub(crate) async fn serve(dir: &Path, mut options: world::Options) -> Result<(), String> {
    let now = time::OffsetDateTime::now_utc();
    // The folder must be this user's alone before anything in it is read or written: a
    // PKI or a link planted there by someone else is never used.
    crate::files::create_private_dir(dir).map_err(|e| format!("--dir {}: {e}", dir.display()))?;
    let world = world::World::load_or_generate(&dir.join("pki"), now)?;
    let clients = dir.join("clients.toml");
    let registry = match crate::files::read(&clients, crate::files::MAX_CONFIG) {
        Ok(bytes) => registry::Registry::parse(&String::from_utf8_lossy(&bytes))
            .map_err(|e| format!("{}: {e}", clients.display()))?,
        Err(crate::files::FileError::NotFound) => world.default_registry(now),
        Err(e) => return Err(format!("{}: {e:?}", clients.display())),
    };
    options.registry = Some(registry.clone());
    let env = options.env;
    let sim = world::Simulator::start(&world, options).await?;
    let profile = world::write_dir(&world, dir, &sim, &registry)?;
    // Whoever reads this may stop reading after the first line (`| head -1`): a closed
    // stdout must not stop the simulator, so write errors are ignored.
    use std::io::Write;
    let mut out = std::io::stdout();
    let text = format!(
        "{base}\nMaskinporten simulator ({env}) at {base}: metadata, /token, /jwk.\n\
         Wrote {dir}: ca.pem, the demo organisations' .p12/.pem, clients.toml, profile.toml (the PKI is kept in pki/ for the next start).\n\
         Check against it:  altinn-doctor check --config {profile}\n\n{content}\nServing until interrupted (Ctrl-C).\n",
        base = sim.base_url,
        dir = dir.display(),
        profile = profile.display(),
        content = std::fs::read_to_string(&profile).unwrap_or_default(),
    );
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
    let _ = tokio::signal::ctrl_c().await;
    sim.stop().await;
    Ok(())
}
