//! The human report's record section: waivers in force, sign-offs and roles, what expired,
//! regressions since the previous stored run.

use std::fmt::Write;

use anstyle::{AnsiColor, Style};
use gonogo_engine::attest::{Record, date};

use crate::{clip, safe};

const BOLD: Style = Style::new().bold();
const DIM: Style = Style::new().dimmed();
const WARN: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Yellow)));
const BAD: Style = Style::new().fg_color(Some(anstyle::Color::Ansi(AnsiColor::Red)));

pub(crate) fn render_record(out: &mut String, rec: &Record) {
    if !rec.regressions.is_empty() {
        let since = rec
            .previous_run
            .map(|r| format!(" since run {r}"))
            .unwrap_or_default();
        let _ = writeln!(out, "\n{BAD}Regressions{since}:{BAD:#}");
        for g in &rec.regressions {
            let _ = writeln!(
                out,
                "  {} → {}  {}  {DIM}{}{DIM:#}",
                g.from,
                g.to,
                clip(&safe(&g.text), 90),
                g.item
            );
        }
    }
    if !rec.waivers.is_empty() {
        let _ = writeln!(out, "\n{WARN}Waivers in force:{WARN:#}");
        for w in &rec.waivers {
            let _ = writeln!(
                out,
                "  {} waived by {} until {}: {}",
                w.item,
                safe(&w.by),
                date(w.expires),
                clip(&safe(&w.reason), 100)
            );
        }
    }
    if !rec.roles.is_empty() {
        let _ = writeln!(out, "\n{BOLD}Sign-offs by role:{BOLD:#}");
        for r in &rec.roles {
            match &r.signed {
                Some(s) => {
                    let _ = writeln!(
                        out,
                        "  ✓ {}: {} on {}",
                        safe(&r.role),
                        safe(&s.by),
                        date(s.at)
                    );
                }
                None => {
                    let _ = writeln!(
                        out,
                        "  · {}: {DIM}not signed (gonogo sign --role \"{}\" --by NAME){DIM:#}",
                        safe(&r.role),
                        safe(&r.role)
                    );
                }
            }
        }
    }
    if !rec.expired.is_empty() {
        let _ = writeln!(out, "\n{WARN}No longer counted:{WARN:#}");
        for e in &rec.expired {
            let _ = writeln!(out, "  {}", safe(e));
        }
    }
}
