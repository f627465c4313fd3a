//! gonogo's pipeline, one module per stage:
//! [`parse`] → [`bind`] → [`run`] → [`decide`]; reports live in `gonogo-report`.
//!
//! Architecture invariant: nothing in this crate prints, exits, or knows an output format.
//! Checks implement [`catalogue::Check`] and live in `gonogo-checks`.

pub mod annotate;
pub mod attest;
pub mod bind;
pub mod builtin;
pub mod catalogue;
pub mod config;
pub mod context;
pub mod decide;
pub mod error;
pub mod extract;
pub mod hex;
pub mod model;
pub mod parse;
pub mod redact;
pub mod repo;
pub mod run;
pub mod scope;
pub mod understand;

pub use error::InputError;
