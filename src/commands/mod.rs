//! One module per subcommand.

pub mod check;
pub mod check_store;
pub mod checks;
pub mod diff;
pub mod find_item;
pub mod history;
pub mod map;
pub mod sign;
pub mod store;
pub mod verify;
pub mod waive;
