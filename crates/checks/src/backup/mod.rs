//! Backups: the newest backup is younger than the interval the checklist states, and the
//! latest one restores.

mod fresh;
mod restore;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![Arc::new(fresh::Fresh), Arc::new(restore::Restore)]
}
