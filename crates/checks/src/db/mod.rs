//! Databases as code: schema migrations.

mod migrations_present;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![Arc::new(migrations_present::MigrationsPresent)]
}
