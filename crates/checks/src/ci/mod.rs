//! Continuous integration.

mod workflow_present;

use std::sync::Arc;

use gonogo_engine::catalogue::Check;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    vec![Arc::new(workflow_present::WorkflowPresent)]
}
