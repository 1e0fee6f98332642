//! Parse the command line and dispatch; nothing else.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = altinn_doctor::cli::Cli::parse();
    ExitCode::from(altinn_doctor::commands::dispatch(cli.command))
}
