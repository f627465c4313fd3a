//! `k8s.security-context` — containers run as non-root, without privilege escalation, on a
//! read-only root filesystem.

use std::sync::Arc;

use gonogo_engine::catalogue::{
    AutoBinding, BindVerdict, Check, CheckDocs, CheckMeta, Evidence, ItemView, Outcome, ParamKind,
    ParamSpec, Params, SAYS_MORE, TargetKind, text_list,
};
use gonogo_engine::context::RunContext;
use serde_json::Value;

use super::objects::{Container, Inventory, Workload};
use super::{judgement, k8s_context, no_manifests, values, verdict};
use crate::wording::{has_any, leftover};
use crate::yaml;

pub struct SecurityContext;

static META: CheckMeta = CheckMeta {
    id: "k8s.security-context",
    title: "Containers run as non-root, without privilege escalation, on a read-only root filesystem",
    target: TargetKind::Repository,
    params: &[ParamSpec {
        name: "require",
        kind: ParamKind::TextList,
        default: Some("non-root,no-privilege-escalation,read-only-root-fs"),
        required: false,
        doc: "which settings each container must have: non-root (runAsNonRoot: true or a \
              non-zero runAsUser, from the container or the pod), no-privilege-escalation \
              (allowPrivilegeEscalation: false and not privileged), read-only-root-fs \
              (readOnlyRootFilesystem: true), drop-all-capabilities (capabilities.drop lists \
              ALL; asked for only when the item names capabilities), not-privileged \
              (privileged is not true; asked for when the item names privileged containers)",
    }],
    docs: CheckDocs {
        what: "Every container and init container of every workload has a securityContext \
               (its own, or the pod's for the user) that makes it run as non-root, forbids \
               privilege escalation and mounts the root filesystem read-only. Unrendered Helm \
               charts are checked through values.yaml and template text (partial). Binds \
               items about containers said of no platform too (\"containers run as \
               non-root\"), beside docker.non-root-user: a pod's security context decides the \
               user as much as the image does; without manifests it is skipped.",
        why: "A container escape from a root process with privilege escalation is a node \
              compromise; a writable root filesystem lets an attacker persist tools inside the \
              container.",
        fix: "Set securityContext: {runAsNonRoot: true, allowPrivilegeEscalation: false, \
              readOnlyRootFilesystem: true} on each container (mount an emptyDir where the \
              process must write).",
        example: "containers:\n- name: api\n  securityContext:\n    runAsNonRoot: true\n    \
                  allowPrivilegeEscalation: false\n    readOnlyRootFilesystem: true",
        binds: &[
            "Kubernetes pods run as non-root",
            "Kubernetes security contexts set on all containers",
            "No privilege escalation in Kubernetes containers",
            "Read-only root filesystem for pods",
            "Kubernetes pods don't run as root",
            "Non-root, read-only filesystem and dropped capabilities in the pod specs",
            "Linux kernel capabilities are restricted within containers",
            "Capabilities dropped",
            "Containers run as non-root",
        ],
        not_binds: &[
            "Pod security policies/standards applied",
            "The Dockerfile's USER is not root",
            "Images run as a non-root user",
            "Database does not run as root",
            "Security contexts reviewed",
            "Security headers configured",
            "Linux capabilities reviewed for every container",
        ],
    },
};

const ALL: [&str; 3] = ["non-root", "no-privilege-escalation", "read-only-root-fs"];
/// Every setting `require` can name.
const KNOWN: [&str; 5] = [
    "non-root",
    "no-privilege-escalation",
    "read-only-root-fs",
    "drop-all-capabilities",
    "not-privileged",
];

fn named(lower: &str, k8s: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    // `runAsUser` and `runAsNonRoot` are security-context fields themselves: setting them is
    // how a pod runs as non-root, with or without Kubernetes named.
    // Containers said of no platform run wherever the team runs them: a pod's security
    // context decides the user as much as the image's USER does (skipped without manifests).
    let containers = has_any(lower, &["container", "containers"])
        && !has_any(
            lower,
            &[
                "dockerfile",
                "dockerfiles",
                "image",
                "images",
                "compose",
                "docker-compose",
                "user instruction",
                "user directive",
            ],
        );
    if has_any(lower, &["runasuser", "runasnonroot"])
        || (k8s || containers)
            && has_any(
                lower,
                &[
                    "non-root",
                    "nonroot",
                    "runasnonroot",
                    "not as root",
                    "not root",
                ],
            )
        || k8s
            && has_any(lower, &["as root", "as the root user"])
            && has_any(
                lower,
                &["not", "never", "no", "don't", "doesn't", "without"],
            )
    {
        out.push("non-root");
    }
    if has_any(lower, &["privilege escalation", "allowprivilegeescalation"]) {
        out.push("no-privilege-escalation");
    }
    if has_any(
        lower,
        &[
            "read-only root filesystem",
            "read-only root",
            "readonlyrootfilesystem",
            "read-only filesystem",
        ],
    ) || (has_any(lower, &["read-only", "read only", "readonly"])
        && has_any(
            lower,
            &["filesystem", "filesystems", "file system", "rootfs"],
        ))
    {
        out.push("read-only-root-fs");
    }
    // "Avoid privileged containers", "never use --privileged": the privileged flag, refused.
    if has_any(lower, &["privileged", "--privileged"])
        && !has_any(
            lower,
            &["non-privileged", "unprivileged", "least-privileged"],
        )
        && has_any(
            lower,
            &[
                "avoid",
                "no",
                "not",
                "never",
                "without",
                "disallow",
                "disallowed",
                "forbid",
                "forbidden",
                "disable",
                "disabled",
                "prevent",
                "prohibit",
                "prohibited",
                "false",
            ],
        )
    {
        out.push("not-privileged");
    }
    // "Drop all capabilities": specific enough alone.
    if out.is_empty()
        && has_any(
            lower,
            &[
                "drop all capabilities",
                "drop all linux capabilities",
                "all capabilities dropped",
                "cap_drop",
                "drop: all",
            ],
        )
    {
        out.push("drop-all-capabilities");
    }
    // "Kernel capabilities are restricted", "use only the necessary capabilities": fewer
    // capabilities than the runtime's default set, which only dropping ALL (and adding back
    // what is needed) shows. A review of them is a person's.
    if out.is_empty()
        && has_any(lower, &["capabilities", "capability"])
        && has_any(
            lower,
            &[
                "restricted",
                "restrict",
                "restricts",
                // "Capabilities dropped": fewer than the default set, as restricted ones are.
                "dropped",
                "drop",
                "drops",
                "limited",
                "limit",
                "minimal",
                "minimum",
                "minimised",
                "minimized",
                "only the necessary",
                "only necessary",
                "only the required",
                "only required",
                "only needed",
                "least privilege",
                "least privileges",
            ],
        )
        && !has_any(lower, &["review", "reviewed", "audit", "audited"])
    {
        out.push("drop-all-capabilities");
    }
    // Named beside the other settings (never alone: "capabilities" says little by itself).
    if !out.is_empty()
        && !out.contains(&"drop-all-capabilities")
        && has_any(
            lower,
            &[
                "dropped capabilities",
                "drop capabilities",
                "drop all capabilities",
                "capabilities dropped",
                "drop all",
                "cap_drop",
                "no capabilities",
                "minimal capabilities",
            ],
        )
    {
        out.push("drop-all-capabilities");
    }
    if k8s
        && has_any(
            lower,
            &["security context", "security contexts", "securitycontext"],
        )
    {
        return ALL.to_vec();
    }
    out
}

/// What the container violates of `require`, as the setting to add.
fn missing(c: &Container, w: &Workload, require: &[String]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for r in require {
        match r.as_str() {
            "non-root" => {
                let non_root = c.run_as_non_root.or(w.pod_run_as_non_root) == Some(true)
                    || c.run_as_user.or(w.pod_run_as_user).is_some_and(|u| u > 0);
                if !non_root || c.run_as_non_root == Some(false) {
                    out.push("runAsNonRoot: true");
                }
            }
            "no-privilege-escalation" => {
                if c.privileged == Some(true) {
                    out.push("privileged: false");
                }
                if c.allow_privilege_escalation != Some(false) {
                    out.push("allowPrivilegeEscalation: false");
                }
            }
            "read-only-root-fs" if c.read_only_root_fs != Some(true) => {
                out.push("readOnlyRootFilesystem: true");
            }
            "drop-all-capabilities" if !c.drops_all_capabilities => {
                out.push("capabilities: {drop: [ALL]}");
            }
            "not-privileged" if c.privileged == Some(true) => {
                out.push("privileged: false");
            }
            _ => {}
        }
    }
    out
}

#[async_trait::async_trait]
impl Check for SecurityContext {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn concepts(&self) -> &'static [&'static str] {
        &[
            "security-context",
            "read-only-root-filesystem",
            "no-privilege-escalation",
        ]
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec![
            "psp",
            "pss",
            "security",
            "root",
            "privilege",
            "read-only",
            "read",
            "readonly",
            "capabilit",
            "cap_drop",
            "runasuser",
        ]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        let lower = view.lower;
        if has_any(
            lower,
            &[
                "pod security policies",
                "pod security policy",
                "pod security standards",
                "pod security admission",
                "psp",
                "pss",
            ],
        ) || (has_any(lower, &["pod security"]) && has_any(lower, &["policies", "standards"]))
        {
            return BindVerdict::Declined {
                why: "Pod Security Standards are enforced by namespace labels and admission, \
                      which manifests alone do not prove; container security contexts are one part"
                    .into(),
                candidates: vec![AutoBinding::new("container security contexts")],
            };
        }
        let k8s = k8s_context(view);
        let require = named(lower, k8s);
        if require.is_empty() {
            return BindVerdict::No;
        }
        let b = AutoBinding::new(format!(
            "wording asks for {} in container security contexts",
            require.join(", ")
        ))
        .with("require", Value::from(require));
        if let Some(d) = judgement(lower, "the settings are present", b.clone()) {
            return d;
        }
        // Group settings are not judged: an item asking for them says more than this shows.
        let groups: Vec<&str> = ["runasgroup", "fsgroup", "supplementalgroups"]
            .into_iter()
            .filter(|g| has_any(lower, &[g]))
            .collect();
        if !groups.is_empty() {
            return BindVerdict::Declined {
                why: format!(
                    "{SAYS_MORE}container security contexts show ({})",
                    groups.join(" ")
                ),
                candidates: vec![b],
            };
        }
        let extra = leftover(
            lower,
            &[
                "kubernetes",
                "k8s",
                "pods",
                "pod",
                "containers",
                "container",
                "run",
                "runs",
                "running",
                "as",
                "non-root",
                "nonroot",
                "no",
                "privilege",
                "escalation",
                "read-only",
                "root",
                "filesystem",
                "security",
                "context",
                "contexts",
                "securitycontext",
                "on",
                "every",
                "each",
                "not",
                "user",
                "workloads",
                "deployments",
                "enforced",
                "applied",
                "allowed",
                "don't",
                "doesn't",
                "never",
                "the",
                "dropped",
                "drop",
                "runasuser",
                "parameter",
                "parameters",
                "field",
                "non-zero",
                "values",
                "value",
                "all",
                "capabilities",
                "configured",
                "set",
                "specs",
                "spec",
                "privileged",
                "--privileged",
                "avoid",
                "without",
                "disallow",
                "disallowed",
                "forbid",
                "forbidden",
                "disable",
                "disabled",
                "prevent",
                "prohibit",
                "prohibited",
                "flag",
                "mode",
                "read",
                "only",
                "readonly",
                "file",
                "system",
                "filesystems",
                "rootfs",
                "mount",
                "mounted",
                "linux",
                "add",
                "required",
                "ones",
                "necessary",
                "false",
                "restricted",
                "restrict",
                "restricts",
                "limited",
                "minimal",
                "minimum",
                "only",
                "needed",
                "kernel",
                "within",
                "use",
                "least",
                "principle",
                "according",
                "privileges",
            ],
        );
        super::bind_unless_more(&extra, "container security contexts show", b)
    }

    async fn run(&self, ctx: Arc<RunContext>, params: Params) -> Outcome {
        let inv = Inventory::of(&ctx);
        let charts = values::unrendered(&inv);
        if charts.is_empty()
            && let Some(o) = no_manifests(&inv)
        {
            return o;
        }
        let require: Vec<String> = text_list(&params, "require")
            .into_iter()
            .map(|s| s.to_lowercase())
            .collect();
        if let Some(bad) = require.iter().find(|r| !KNOWN.contains(&r.as_str())) {
            return Outcome::error(format!(
                "`require` has `{bad}`; it takes {}",
                KNOWN.join(", ")
            ));
        }
        let mut violations = Vec::new();
        let mut checked = 0;
        let mut tally = super::Tally::default();
        let mut first_fix = None;
        for (o, w) in inv.workloads(&[]) {
            for c in &w.containers {
                checked += usize::from(tally.add(o, &c.name));
                let m = missing(c, w, &require);
                if m.is_empty() {
                    continue;
                }
                let what = format!(
                    "{}container `{}` of {}",
                    if c.init { "init " } else { "" },
                    c.name,
                    o.display()
                );
                first_fix.get_or_insert_with(|| {
                    format!("set securityContext {{{}}} on {what}", m.join(", "))
                });
                violations.push(Evidence::at(
                    o.file.clone(),
                    Some(c.line),
                    format!("{what} needs {}", m.join(", ")),
                ));
            }
        }
        let chart_wants: Vec<(&str, &str, bool)> = require
            .iter()
            .filter_map(|r| match r.as_str() {
                "non-root" => Some(("non-root", "runAsNonRoot", true)),
                "no-privilege-escalation" => {
                    Some(("no-privilege-escalation", "allowPrivilegeEscalation", false))
                }
                "read-only-root-fs" => Some(("read-only-root-fs", "readOnlyRootFilesystem", true)),
                _ => None,
            })
            .collect();
        for chart in &charts {
            let vals = match values::load_values(&ctx, chart) {
                Err(e) => {
                    violations.push(e);
                    continue;
                }
                Ok(v) => v,
            };
            for (_, key, want) in &chart_wants {
                let in_values = vals.as_ref().is_some_and(|f| {
                    f.as_ref().as_ref().is_ok_and(|f| {
                        f.docs.iter().any(|d| {
                            values::find(d, key)
                                .iter()
                                .any(|(_, n)| yaml::as_bool(n) == Some(*want))
                        })
                    })
                });
                if !in_values
                    && values::template_mention(&ctx, chart, &format!("{key}: {want}")).is_none()
                {
                    first_fix.get_or_insert_with(|| {
                        format!(
                            "set {key}: {want} in the securityContext of chart `{}`",
                            chart.dir_name()
                        )
                    });
                    violations.push(Evidence::at(
                        chart
                            .values
                            .clone()
                            .unwrap_or_else(|| chart.chart_file.clone()),
                        None,
                        format!("neither values.yaml nor the templates set {key}: {want}"),
                    ));
                }
            }
        }
        let mut out = verdict(
            &inv,
            violations,
            format!(
                "{} satisfy {}",
                values::subjects(checked, "container", "containers", &charts),
                require.join(", ")
            ),
            |n, _| {
                format!(
                    "{n} container(s) or charts lack security settings: {}",
                    first_fix.unwrap_or_default()
                )
            },
        );
        values::mark_partial(&mut out, &charts);
        out
    }
}
