//! The JSON report (`gonogo/report/v1`), with wire types of its own so the internal model can
//! change without changing the contract.

use gonogo_engine::catalogue::Limit;
use serde::Serialize;
use serde_json::Value;

use crate::{RunReport, safe, safe_params};

pub const SCHEMA: &str = "gonogo/report/v1";

#[derive(Serialize)]
pub struct WireReport<'a> {
    pub schema: &'static str,
    pub verdict: &'static str,
    pub interrupted: bool,
    pub duration_ms: u64,
    pub summary: WireSummary,
    pub checklists: Vec<WireChecklist<'a>>,
    pub items: Vec<WireItem<'a>>,
    /// Waivers in force for these checklists' items.
    pub waivers: Vec<Value>,
    /// Sign-offs (of items and roles) the decision used.
    pub signoffs: Vec<Value>,
    /// Roles the checklists ask to sign, and who signed them.
    pub roles: Vec<Value>,
    /// Items failing now that did not fail in the previous stored run.
    pub regressions: Vec<Value>,
}

#[derive(Serialize)]
pub struct WireSummary {
    pub items: usize,
    pub pass: usize,
    pub fail: usize,
    pub error: usize,
    pub manual: usize,
    pub signed: usize,
    pub waived: usize,
    pub skipped: usize,
}

#[derive(Serialize)]
pub struct WireChecklist<'a> {
    pub path: &'a str,
    pub title: &'a str,
    pub items: usize,
}

#[derive(Serialize)]
pub struct WireItem<'a> {
    // Item text and notes come from the checklist, which is the user's own input.
    pub id: &'a str,
    pub checklist: &'a str,
    pub line: usize,
    pub section: &'a [String],
    pub text: &'a str,
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<&'a str>,
    pub checked_in_file: bool,
    pub blocks_go: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<&'a str>,
    /// How much of the item machines judge: `full`, `partial` or `none` (an addition to
    /// `gonogo/report/v1`).
    pub automation: &'static str,
    /// What waits for a person's sign-off, when part or all of the item does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person_part: Option<String>,
    pub checks: Vec<WireCheck<'a>>,
}

#[derive(Serialize)]
pub struct WireCheck<'a> {
    pub check: &'static str,
    pub params: gonogo_engine::catalogue::Params,
    pub status: &'static str,
    pub message: String,
    pub evidence: Vec<WireEvidence<'a>>,
    /// Measured values beside their limits (added to `gonogo/report/v1`; absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<WireMeasure>,
    pub duration_ms: u64,
    pub bound_by: &'static str,
    pub reason: &'a str,
}

#[derive(Serialize)]
pub struct WireMeasure {
    pub name: String,
    pub value: f64,
    pub unit: String,
    /// `{"below": 200}`, `{"at_most": 6.5}` or `{"at_least": 30}`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<WireLimit>,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WireLimit {
    Below(f64),
    AtMost(f64),
    AtLeast(f64),
}

#[derive(Serialize)]
pub struct WireEvidence<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub detail: String,
}

pub fn build<'a>(r: &RunReport<'a>) -> WireReport<'a> {
    let s = r.decision.summary;
    let rec = &r.decision.record;
    let mut items = Vec::new();
    for ((cl, results), binds) in r.checklists.iter().zip(&r.decision.items).zip(r.bindings) {
        for ((item, res), b) in cl.items.iter().zip(results).zip(binds) {
            items.push(WireItem {
                automation: crate::map::automation(b),
                person_part: b.manual_reason.as_deref().map(safe),
                id: &item.id,
                checklist: &cl.path,
                line: item.line,
                section: &item.section,
                text: &item.text,
                status: res.status.as_str(),
                parent: item.parent.map(|p| cl.items[p].id.as_str()),
                checked_in_file: item.checked,
                blocks_go: res.blocks,
                note: res.note.as_deref(),
                checks: res
                    .checks
                    .iter()
                    .map(|c| WireCheck {
                        check: c.binding.check.id,
                        params: safe_params(&c.binding.params),
                        status: c.outcome.status.as_str(),
                        message: safe(&c.outcome.message),
                        evidence: c
                            .outcome
                            .evidence
                            .iter()
                            .map(|e| WireEvidence {
                                file: e.file.as_deref(),
                                line: e.line,
                                detail: safe(&e.detail),
                            })
                            .collect(),
                        measures: c
                            .outcome
                            .measures
                            .iter()
                            .map(|m| WireMeasure {
                                name: safe(&m.name),
                                value: m.value,
                                unit: m.unit.clone(),
                                limit: m.limit.map(|l| match l {
                                    Limit::Below(v) => WireLimit::Below(v),
                                    Limit::AtMost(v) => WireLimit::AtMost(v),
                                    Limit::AtLeast(v) => WireLimit::AtLeast(v),
                                }),
                            })
                            .collect(),
                        duration_ms: c.duration.as_millis() as u64,
                        bound_by: c.binding.source.as_str(),
                        reason: &c.binding.reason,
                    })
                    .collect(),
            });
        }
    }
    WireReport {
        schema: SCHEMA,
        verdict: r.decision.verdict.as_str(),
        interrupted: r.decision.interrupted,
        duration_ms: r.duration.as_millis() as u64,
        summary: WireSummary {
            items: s.items,
            pass: s.pass,
            fail: s.fail,
            error: s.error,
            manual: s.manual,
            signed: s.signed,
            waived: s.waived,
            skipped: s.skipped,
        },
        checklists: r
            .checklists
            .iter()
            .map(|c| WireChecklist {
                path: &c.path,
                title: &c.title,
                items: c.items.len(),
            })
            .collect(),
        items,
        waivers: rec.waivers.iter().map(safe_value).collect(),
        signoffs: rec.signoffs.iter().map(safe_value).collect(),
        roles: rec
            .roles
            .iter()
            .map(|ro| {
                serde_json::json!({
                    "role": safe(&ro.role),
                    "checklist": ro.checklist,
                    "line": ro.line,
                    "signed_by": ro.signed.as_ref().map(|s| safe(&s.by)),
                    "signed_at": ro.signed.as_ref().map(|s| s.at),
                })
            })
            .collect(),
        regressions: rec
            .regressions
            .iter()
            .map(|g| {
                let mut v = safe_value(g);
                if let (Value::Object(m), Some(run)) = (&mut v, rec.previous_run) {
                    m.insert("since_run".into(), run.into());
                }
                v
            })
            .collect(),
    }
}

/// A record serialised with its strings masked like any other text.
fn safe_value<T: Serialize>(t: &T) -> Value {
    fn mask(v: Value) -> Value {
        match v {
            Value::String(s) => Value::String(safe(&s)),
            Value::Array(a) => Value::Array(a.into_iter().map(mask).collect()),
            Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (k, mask(v))).collect()),
            other => other,
        }
    }
    mask(serde_json::to_value(t).unwrap_or(Value::Null))
}

/// The report as pretty-printed JSON, ending in a newline.
pub fn render(r: &RunReport<'_>) -> String {
    let mut s = serde_json::to_string_pretty(&build(r)).expect("report serialises");
    s.push('\n');
    s
}

/// The report as a JSON value (for tests and embedding).
pub fn to_value(r: &RunReport<'_>) -> Value {
    serde_json::to_value(build(r)).expect("report serialises")
}
