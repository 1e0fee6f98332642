//! Run the program; nothing else.

use std::process::ExitCode;

fn main() -> ExitCode {
    ExitCode::from(altinn_doctor::commands::main())
}
