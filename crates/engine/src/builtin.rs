//! The built-in checklist, used when `gonogo check` is given no checklist.

/// How the built-in checklist is named in reports.
pub const BUILTIN_NAME: &str = "<built-in>";

/// The checklist's Markdown (written by us; every item is bound to a check by annotation so the
/// result does not depend on automatic binding).
pub const BUILTIN_CHECKLIST: &str = include_str!("builtin_checklist.md");
