//! JUnit XML (`--format junit`) for CI test tabs: a test suite per checklist section, a test
//! case per item. Failures carry the message and evidence; manual and skipped items are
//! skipped with their reason; signed and waived items pass with a note.

use std::time::Duration;

use gonogo_engine::decide::{ItemResult, ItemStatus};
use gonogo_engine::parse::mojibake::repair;
use quick_junit::{NonSuccessKind, Report, TestCase, TestCaseStatus, TestSuite};

use crate::{RunReport, safe};

fn details(r: &ItemResult) -> String {
    let mut out = String::new();
    for c in &r.checks {
        out.push_str(&format!(
            "{} [{}]: {}\n",
            c.binding.check.id,
            c.outcome.status.as_str(),
            c.outcome.message
        ));
        for e in &c.outcome.evidence {
            let place = match (&e.file, e.line) {
                (Some(f), Some(l)) => format!("{f}:{l}: "),
                (Some(f), None) => format!("{f}: "),
                _ => String::new(),
            };
            out.push_str(&format!("  {place}{}\n", e.detail));
        }
    }
    safe(&out)
}

fn first_message(r: &ItemResult) -> String {
    r.checks
        .iter()
        .find(|c| c.outcome.status.as_str() == r.status.as_str())
        .or(r.checks.first())
        .map(|c| safe(&format!("{}: {}", c.binding.check.id, c.outcome.message)))
        .or_else(|| r.note.clone())
        .unwrap_or_else(|| r.status.as_str().to_string())
}

pub fn render(r: &RunReport<'_>) -> String {
    let mut report = Report::new("gonogo");
    report.set_time(r.duration);
    for (cl, results) in r.checklists.iter().zip(&r.decision.items) {
        // Consecutive items of one section form one suite.
        let mut i = 0;
        while i < cl.items.len() {
            let section = &cl.items[i].section;
            let name = std::iter::once(cl.path.clone())
                .chain(section.iter().map(|s| repair(s)))
                .collect::<Vec<_>>()
                .join(" › ");
            let mut suite = TestSuite::new(name.clone());
            while i < cl.items.len() && cl.items[i].section == *section {
                let item = &cl.items[i];
                let res = &results[i];
                let status = match res.status {
                    ItemStatus::Pass | ItemStatus::Signed | ItemStatus::Waived => {
                        TestCaseStatus::success()
                    }
                    ItemStatus::Fail => {
                        let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
                        s.set_message(first_message(res))
                            .set_type("fail")
                            .set_description(details(res));
                        s
                    }
                    ItemStatus::Error => {
                        let mut s = TestCaseStatus::non_success(NonSuccessKind::Error);
                        s.set_message(first_message(res))
                            .set_type("error")
                            .set_description(details(res));
                        s
                    }
                    ItemStatus::Manual | ItemStatus::Skipped => {
                        let mut s = TestCaseStatus::skipped();
                        s.set_message(format!("{}: {}", res.status.as_str(), first_message(res)));
                        s
                    }
                };
                let mut case =
                    TestCase::new(format!("{} [{}]", item.display_text, item.id), status);
                case.set_classname(name.clone());
                case.set_time(res.checks.iter().map(|c| c.duration).sum::<Duration>());
                if matches!(
                    res.status,
                    ItemStatus::Pass | ItemStatus::Signed | ItemStatus::Waived
                ) {
                    case.set_system_out(format!("{}\n{}", res.status.as_str(), details(res)));
                }
                suite.add_test_case(case);
                i += 1;
            }
            report.add_test_suite(suite);
        }
    }
    report.to_string().expect("junit serialises")
}
