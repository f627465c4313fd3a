//! Backups: the newest backup is younger than the interval the checklist states.

mod fresh;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![Arc::new(fresh::Fresh)]
}
