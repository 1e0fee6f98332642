//! altinn-doctor: tells an organisation whether it is ready to call Altinn's APIs
//! through Maskinporten, and if not, what is wrong and how to fix it.

mod all_profiles;
pub mod altinn;
pub mod certificate;
pub mod cli;
pub mod commands;
pub mod config;
pub mod demo;
pub mod engine;
pub mod files;
pub mod http;
pub mod inspect;
pub mod jwt;
pub mod maskinporten;
mod progress;
pub mod registry;
pub mod report;
pub mod sim;
pub mod sources;
pub mod vocab;
