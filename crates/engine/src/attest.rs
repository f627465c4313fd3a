//! What people vouch for: sign-offs of manual items and of roles, waivers of failing items.
//!
//! The binary reads them from the store and hands them to [`crate::decide::decide_with`]; this
//! crate never touches a database. A sign-off or waiver names an item by id AND by a hash of the
//! item's normalised wording, so rewording an item voids what was vouched for the old wording.
//! Expired or voided ones are ignored and reported as such.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::model::{Checklist, Item};

/// A person's sign-off: of one manual item (`item` + `wording`), or of a role (`role` alone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    /// The ledger entry that recorded it.
    #[serde(default)]
    pub entry: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<String>,
    /// [`wording_hash`] of the item's text when it was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wording: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub by: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Unix seconds.
    pub at: i64,
    /// Unix seconds; none: until the wording changes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<i64>,
}

/// A failing item let through, visibly, until `expires`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiver {
    #[serde(default)]
    pub entry: i64,
    pub item: String,
    pub wording: String,
    pub by: String,
    pub reason: String,
    pub at: i64,
    pub expires: i64,
}

/// Everything recorded, as of `now` (unix seconds).
#[derive(Debug, Clone, Default)]
pub struct Attestations {
    pub now: i64,
    pub signoffs: Vec<SignOff>,
    pub waivers: Vec<Waiver>,
}

/// A role named by a checklist's sign-off table or sign-off item, and who signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleStatus {
    pub role: String,
    pub checklist: String,
    pub line: usize,
    pub signed: Option<SignOff>,
}

/// An item whose status got worse since the previous stored run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Regression {
    pub item: String,
    pub text: String,
    pub from: String,
    pub to: String,
}

/// What the decision rests on besides checks: applied sign-offs, waivers in force, what
/// expired, the roles, and (filled by the binary from the store) regressions.
#[derive(Debug, Clone, Default)]
pub struct Record {
    /// Valid sign-offs that apply to these checklists (items and roles), oldest first.
    pub signoffs: Vec<SignOff>,
    /// Waivers in force for items of these checklists, oldest first.
    pub waivers: Vec<Waiver>,
    /// One line per sign-off or waiver of these checklists that no longer counts, and why.
    pub expired: Vec<String>,
    pub roles: Vec<RoleStatus>,
    /// The stored run the regressions are measured against.
    pub previous_run: Option<i64>,
    pub regressions: Vec<Regression>,
}

/// sha256 (hex, first 16 bytes) of the wording, lowercased with whitespace collapsed, so
/// re-indenting or re-wrapping an item keeps its sign-offs and rewording voids them.
pub fn wording_hash(text: &str) -> String {
    let norm = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let digest = Sha256::digest(norm.as_bytes());
    crate::hex::hex(&digest[..16])
}

/// Roles compare case-insensitively with whitespace collapsed.
pub fn role_key(role: &str) -> String {
    role.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The roles a checklist asks to sign: rows of any table with a "Role" column, and items
/// under a sign-off/approval heading written `ROLE: …` (their item index is returned).
pub fn roles(cl: &Checklist) -> Vec<(String, usize, Option<usize>)> {
    let mut out = Vec::new();
    for s in &cl.sections {
        for t in &s.tables {
            let Some(col) = t.header.iter().position(|h| role_key(h) == "role") else {
                continue;
            };
            for (n, row) in t.rows.iter().enumerate() {
                if let Some(cell) = row.get(col).map(|c| c.trim()).filter(|c| !c.is_empty()) {
                    out.push((cell.to_string(), t.line + 2 + n, None));
                }
            }
        }
    }
    for (i, item) in cl.items.iter().enumerate() {
        if let Some(role) = item_role(item) {
            out.push((role, item.line, Some(i)));
        }
    }
    out
}

fn item_role(item: &Item) -> Option<String> {
    let under_signoff = item.section.iter().any(|h| {
        let h = h.to_lowercase();
        h.contains("sign-off")
            || h.contains("sign off")
            || h.contains("signoff")
            || h.contains("approval")
    });
    if !under_signoff {
        return None;
    }
    let (label, _) = item.text.split_once(':')?;
    let label = label.trim();
    let words = label.split_whitespace().count();
    (1..=5).contains(&words).then(|| label.to_string())
}

impl Attestations {
    fn valid_until(expires: Option<i64>, now: i64) -> bool {
        expires.is_none_or(|e| e > now)
    }

    /// Latest sign-off of this item (any wording), latest valid one with this wording.
    fn item_signoff(&self, item: &Item, hash: &str) -> (Option<&SignOff>, Option<&SignOff>) {
        let mine = self
            .signoffs
            .iter()
            .filter(|s| s.item.as_deref() == Some(item.id.as_str()));
        let latest = mine.clone().max_by_key(|s| s.entry);
        let valid = mine
            .filter(|s| {
                s.wording.as_deref() == Some(hash) && Self::valid_until(s.expires, self.now)
            })
            .max_by_key(|s| s.entry);
        (latest, valid)
    }

    fn role_signoff(&self, role: &str) -> Option<&SignOff> {
        let key = role_key(role);
        self.signoffs
            .iter()
            .filter(|s| s.item.is_none())
            .filter(|s| s.role.as_deref().is_some_and(|r| role_key(r) == key))
            .filter(|s| Self::valid_until(s.expires, self.now))
            .max_by_key(|s| s.entry)
    }

    fn waiver(&self, item: &Item, hash: &str) -> (Option<&Waiver>, Option<&Waiver>) {
        let mine = self.waivers.iter().filter(|w| w.item == item.id);
        let latest = mine.clone().max_by_key(|w| w.entry);
        let valid = mine
            .filter(|w| w.wording == hash && w.expires > self.now)
            .max_by_key(|w| w.entry);
        (latest, valid)
    }
}

/// Applies attestations to decided items; collects the [`Record`]. Used by `decide_with`.
pub(crate) struct Applier<'a> {
    attest: &'a Attestations,
    signoffs: BTreeMap<i64, SignOff>,
    waivers: BTreeMap<i64, Waiver>,
    expired: BTreeSet<String>,
    roles: Vec<RoleStatus>,
    /// Per checklist, item index → role.
    item_roles: Vec<BTreeMap<usize, String>>,
}

/// What an item's status becomes, and the note that says why.
pub(crate) enum Applied {
    Signed(String),
    Waived(String),
}

impl<'a> Applier<'a> {
    pub(crate) fn new(attest: &'a Attestations, checklists: &[Checklist]) -> Self {
        let mut roles = Vec::new();
        let mut item_roles = Vec::new();
        let mut signoffs = BTreeMap::new();
        for cl in checklists {
            let mut by_item = BTreeMap::new();
            for (role, line, item) in self::roles(cl) {
                let signed = attest.role_signoff(&role).cloned();
                if let Some(s) = &signed {
                    signoffs.insert(s.entry, s.clone());
                }
                if let Some(i) = item {
                    by_item.insert(i, role.clone());
                }
                roles.push(RoleStatus {
                    role,
                    checklist: cl.path.clone(),
                    line,
                    signed,
                });
            }
            item_roles.push(by_item);
        }
        Applier {
            attest,
            signoffs,
            waivers: BTreeMap::new(),
            expired: BTreeSet::new(),
            roles,
            item_roles,
        }
    }

    /// For a manual item: a valid sign-off (of the item, or of its role). For a failing or
    /// erroring item: a waiver in force. `None` leaves the status as it is.
    pub(crate) fn apply(
        &mut self,
        c: usize,
        i: usize,
        item: &Item,
        manual: bool,
        failing: bool,
    ) -> Option<Applied> {
        let now = self.attest.now;
        let hash = wording_hash(&item.text);
        let (latest_w, valid_w) = self.attest.waiver(item, &hash);
        if let Some(w) = valid_w {
            self.waivers.insert(w.entry, w.clone());
        } else if let Some(w) = latest_w {
            self.expired.insert(if w.wording != hash {
                format!(
                    "waiver of {} by {} (entry {}) no longer applies: the item's wording changed",
                    w.item, w.by, w.entry
                )
            } else {
                format!(
                    "waiver of {} by {} (entry {}) expired on {}",
                    w.item,
                    w.by,
                    w.entry,
                    date(w.expires)
                )
            });
        }
        if let Some(w) = valid_w.filter(|_| failing) {
            return Some(Applied::Waived(format!(
                "waived by {} until {}: {}",
                w.by,
                date(w.expires),
                w.reason
            )));
        }
        let (latest_s, valid_s) = self.attest.item_signoff(item, &hash);
        if let Some(s) = latest_s.filter(|_| valid_s.is_none()) {
            self.expired.insert(if s.wording.as_deref() != Some(hash.as_str()) {
                    format!("sign-off of {} by {} (entry {}) no longer applies: the item's wording changed", item.id, s.by, s.entry)
                } else {
                    format!(
                        "sign-off of {} by {} (entry {}) expired on {}",
                        item.id,
                        s.by,
                        s.entry,
                        date(s.expires.unwrap_or(now))
                    )
                });
        }
        if !manual {
            return None;
        }
        let role = self.item_roles.get(c).and_then(|m| m.get(&i));
        let s = valid_s.or_else(|| role.and_then(|r| self.attest.role_signoff(r)))?;
        self.signoffs.insert(s.entry, s.clone());
        let role = s
            .role
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let until = s
            .expires
            .map(|e| format!(", until {}", date(e)))
            .unwrap_or_default();
        Some(Applied::Signed(format!(
            "signed by {}{role} on {}{until}",
            s.by,
            date(s.at)
        )))
    }

    pub(crate) fn finish(self) -> Record {
        Record {
            signoffs: self.signoffs.into_values().collect(),
            waivers: self.waivers.into_values().collect(),
            expired: self.expired.into_iter().collect(),
            roles: self.roles,
            previous_run: None,
            regressions: Vec::new(),
        }
    }
}

/// `90d`, `14d`, `12h`, `2w`, `30m`, `45s` → seconds.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (n, unit) = s.split_at(split);
    let n: i64 = n
        .parse()
        .map_err(|_| format!("{s:?}: a duration is a number and a unit, e.g. 90d, 12h, 2w"))?;
    let mult = match unit.trim() {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 7 * 86_400,
        _ => {
            return Err(format!(
                "{s:?}: unknown unit; use s, m, h, d or w (e.g. 90d)"
            ));
        }
    };
    if n <= 0 {
        return Err(format!("{s:?}: a duration must be positive"));
    }
    n.checked_mul(mult)
        .ok_or_else(|| format!("{s:?}: too long"))
}

/// Unix seconds → `YYYY-MM-DD` (UTC).
pub fn date(secs: i64) -> String {
    let (y, m, d) = civil(secs.div_euclid(86_400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// Unix seconds → `YYYY-MM-DD HH:MM UTC`.
pub fn date_time(secs: i64) -> String {
    let t = secs.rem_euclid(86_400);
    format!("{} {:02}:{:02} UTC", date(secs), t / 3600, t % 3600 / 60)
}

/// Days since 1970-01-01 → (year, month, day), proleptic Gregorian.
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400), "2000-02-29");
        assert_eq!(date_time(1_795_392_000 + 3_660), "2026-11-23 01:01 UTC");
    }

    #[test]
    fn durations_parse_with_units() {
        assert_eq!(parse_duration("90d"), Ok(90 * 86_400));
        assert_eq!(parse_duration("2w"), Ok(14 * 86_400));
        assert_eq!(parse_duration("12h"), Ok(43_200));
        assert!(parse_duration("soon").is_err());
        assert!(parse_duration("0d").is_err());
        assert!(parse_duration("5y").is_err());
    }

    #[test]
    fn wording_hash_ignores_spacing_and_case_only() {
        assert_eq!(
            wording_hash("Team  training\ncompleted"),
            wording_hash("team training completed")
        );
        assert_ne!(
            wording_hash("Team training completed"),
            wording_hash("Team training planned")
        );
    }
}
