//! One module per subcommand.

pub mod check;
pub mod checks;
pub mod map;
