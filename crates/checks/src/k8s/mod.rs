//! Kubernetes manifests: resources, probes, security context, images, replicas, disruption
//! budgets, autoscalers, network policies, spreading, Services, volumes, Secrets, quotas and
//! ServiceMonitors. Every check reads the one shared inventory (`objects.rs`).

mod anti_affinity;
pub(crate) mod applied;
mod hpa;
mod image_pinned;
mod namespace_quotas;
mod network_policy;
mod no_committed_secret_data;
pub(crate) mod objects;
mod pdb;
mod probes;
mod pvc_for_stateful;
mod replicas;
mod resources;
mod security_context;
mod service_monitor;
mod service_type;
pub(crate) mod values;

use std::sync::Arc;

use gonogo_engine::catalogue::{AutoBinding, BindVerdict, Check, Evidence, ItemView, Outcome};

use crate::wording::{has_any, human_act};
use objects::Inventory;

pub(crate) fn checks() -> Vec<Arc<dyn Check>> {
    let checks: Vec<Arc<dyn Check>> = vec![
        Arc::new(anti_affinity::AntiAffinity),
        Arc::new(hpa::Hpa),
        Arc::new(image_pinned::ImagePinned),
        Arc::new(namespace_quotas::NamespaceQuotas),
        Arc::new(network_policy::NetworkPolicy),
        Arc::new(no_committed_secret_data::NoCommittedSecretData),
        Arc::new(pdb::Pdb),
        Arc::new(probes::Probes),
        Arc::new(pvc_for_stateful::PvcForStateful),
        Arc::new(replicas::Replicas),
        Arc::new(resources::Resources),
        Arc::new(security_context::SecurityContext),
        Arc::new(service_monitor::ServiceMonitor),
        Arc::new(service_type::ServiceType),
    ];
    checks
        .into_iter()
        .map(|c| Arc::new(OnKubernetes(c)) as Arc<dyn Check>)
        .collect()
}

/// A Kubernetes check that stays away from items about another platform: "Auto Scaling rules
/// for automated instance recovery" in an AWS guide is an EC2 Auto Scaling group, not a
/// HorizontalPodAutoscaler, and "EC2 instances spread across zones" is not pod anti-affinity.
/// Everything but binding is the wrapped check's.
struct OnKubernetes(Arc<dyn Check>);

/// Words naming compute that is not Kubernetes (its managed offerings, EKS/GKE/AKS, are).
const OTHER_PLATFORMS: &[&str] = &[
    "ec2",
    "ecs",
    "fargate",
    "lambda",
    "elastic beanstalk",
    "beanstalk",
    "auto scaling group",
    "auto scaling groups",
    "autoscaling group",
    "autoscaling groups",
    "ebs",
    "ami",
    "amis",
    "instance store",
    "app service",
    "app engine",
    "cloud run",
    "compute engine",
    "heroku",
    "vm scale set",
    "virtual machine",
    "virtual machines",
    "droplet",
    "droplets",
    "nomad",
    "aws",
    "amazon",
    "azure",
    // A Docker host's own settings ("Docker daemon configuration", CIS section 2).
    "docker daemon",
    "dockerd",
    "docker engine",
    "docker host",
    "docker swarm",
];

/// Whether the item, its parent, its headings or the checklist's title name another platform
/// and none of them names Kubernetes.
fn names_other_platform(view: &ItemView<'_>) -> bool {
    // The checklist's title ("Production Readiness Guide: AWS") frames every item, even when
    // the sections after it are headings of the same level.
    let title = view
        .checklist_sections
        .iter()
        .find(|s| s.line > 0)
        .and_then(|s| s.path.first())
        .map(|t| t.to_lowercase());
    let texts: Vec<String> = std::iter::once(view.item.text.to_lowercase())
        .chain(view.parent_lower.map(str::to_string))
        .chain(view.item.section.iter().map(|s| s.to_lowercase()))
        .chain(title)
        .collect();
    let k8s = ["eks", "gke", "aks"];
    texts.iter().any(|t| has_any(t, OTHER_PLATFORMS))
        && !texts
            .iter()
            .any(|t| has_any(t, K8S_WORDS) || has_any(t, &k8s))
}

#[async_trait::async_trait]
impl Check for OnKubernetes {
    fn meta(&self) -> &'static gonogo_engine::catalogue::CheckMeta {
        self.0.meta()
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        match self.0.bind(view) {
            BindVerdict::No => BindVerdict::No,
            _ if names_other_platform(view) => BindVerdict::Declined {
                why: "the item is about another platform than Kubernetes; the manifests do not \
                      show it"
                    .into(),
                candidates: Vec::new(),
            },
            v => v,
        }
    }

    fn triggers(&self) -> Vec<&'static str> {
        self.0.triggers()
    }

    fn concepts(&self) -> &'static [&'static str] {
        self.0.concepts()
    }

    fn lacks(&self, params: &gonogo_engine::catalogue::Params) -> Option<String> {
        self.0.lacks(params)
    }

    fn shows_part(&self, view: &ItemView<'_>) -> bool {
        self.0.shows_part(view)
    }

    async fn run(
        &self,
        ctx: Arc<gonogo_engine::context::RunContext>,
        params: gonogo_engine::catalogue::Params,
    ) -> gonogo_engine::catalogue::Outcome {
        self.0.run(ctx, params).await
    }
}

/// Words that place an item in Kubernetes.
const K8S_WORDS: &[&str] = &[
    "kubernetes",
    "k8s",
    "helm",
    "kubectl",
    "pod",
    "pods",
    "statefulset",
    "statefulsets",
    "daemonset",
    "daemonsets",
    "kustomize",
    "openshift",
];

/// Whether the item, its parent item or its section heading is about Kubernetes.
pub(crate) fn k8s_context(view: &ItemView<'_>) -> bool {
    crate::wording::in_context(view, K8S_WORDS)
}

/// Words that ask for a judgement about values, not their presence.
const JUDGEMENT: &[&str] = &[
    "appropriate",
    "proper",
    "properly",
    "right-sized",
    "rightsized",
    "tuned",
    "optimal",
    "optimized",
    "optimised",
    "adequate",
    "sufficient",
    "verified",
    "tested",
    "validated",
    "working",
    "load-tested",
];

/// `Declined` when the wording asks for a person's judgement; `None` otherwise.
pub(crate) fn judgement(lower: &str, what: &str, candidate: AutoBinding) -> Option<BindVerdict> {
    let word = human_act(lower).or_else(|| {
        let w = crate::wording::words(lower);
        JUDGEMENT.iter().copied().find(|j| w.contains(j))
    })?;
    Some(BindVerdict::Declined {
        why: format!("\"{word}\" asks for a judgement; the manifests show only that {what}"),
        candidates: vec![candidate],
    })
}

/// At most this many violations are listed as evidence.
const MAX_EVIDENCE: usize = 50;

/// Bind, unless the item claims more than the manifests can show: more than one word beyond
/// the check's vocabulary ("PDBs defined *and tested in a drill*") declines with those words.
/// Naming what the manifests are about (workloads, deployments, the cluster) claims nothing.
pub(crate) fn bind_unless_more(extra: &[&str], what: &str, b: AutoBinding) -> BindVerdict {
    let extra: Vec<&str> = extra
        .iter()
        .copied()
        .filter(|w| !K8S_CONTEXT.contains(w))
        .collect();
    crate::wording::bind_unless_claims_more(&extra, 1, what, vec![b])
}

/// The things Kubernetes manifests describe: an item naming them says where, not what more.
const K8S_CONTEXT: &[&str] = &[
    "kubernetes",
    "k8s",
    "cluster",
    "clusters",
    "namespace",
    "namespaces",
    "manifest",
    "manifests",
    "deployment",
    "deployments",
    "workload",
    "workloads",
    "container",
    "containers",
    "pod",
    "pods",
    "object",
    "objects",
    "resource",
    "resources",
    "helm",
    "chart",
    "charts",
    "api",
    "worker",
    "workers",
    "select",
    "selects",
    "selected",
    "apply",
    "applies",
    "applied",
    "gitops",
];

/// The outcome of a check that found `violations` (evidence per violation): `pass` when there
/// are none, else the message `fail` makes from their number and the first one's detail.
/// Unparsed manifest files are added as evidence.
pub(crate) fn verdict(
    inv: &Inventory,
    violations: Vec<Evidence>,
    pass: String,
    fail: impl FnOnce(usize, &str) -> String,
) -> Outcome {
    // Copies of one manifest count once, as `checked` counts them (`Tally`).
    let first = violations.first().map(|f| f.detail.clone());
    let violations = merge_copies(violations);
    let distinct = violations.len();
    let mut out = match first {
        Some(first) => Outcome::fail(fail(distinct, &first)),
        None => Outcome::pass(pass),
    };
    out.evidence = violations.into_iter().take(MAX_EVIDENCE).collect();
    if distinct > MAX_EVIDENCE {
        out.evidence.push(Evidence::detail(format!(
            "… and {} more",
            distinct - MAX_EVIDENCE
        )));
    }
    add_unparsed(inv, &mut out);
    out
}

/// Subjects counted once however many copies of their manifest the repository keeps (the
/// same Deployment under `kubernetes-manifests/`, `kustomize/base/` and `release/`).
#[derive(Default)]
pub(crate) struct Tally(std::collections::HashSet<String>);

impl Tally {
    /// Counts `part` (a container's name, or "") of `o`; whether it was new. Keyed as the
    /// evidence merges copies (kind and name; an overlay's copy in another namespace is the
    /// same manifest), so "n of m" counts both sides alike.
    pub(crate) fn add(&mut self, o: &objects::Object, part: &str) -> bool {
        self.0.insert(format!("{}|{part}", o.display()))
    }
}

/// One violation per object: the same Deployment kept in `kubernetes-manifests/`,
/// `kustomize/base/` and `release/` fails once, naming where its copies are.
fn merge_copies(violations: Vec<Evidence>) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = Vec::new();
    let mut copies: Vec<Vec<String>> = Vec::new();
    for v in violations {
        match out.iter().position(|o| o.detail == v.detail) {
            Some(i) => copies[i].push(match (&v.file, v.line) {
                (Some(f), Some(l)) => format!("{f}:{l}"),
                (Some(f), None) => f.clone(),
                _ => continue,
            }),
            None => {
                out.push(v);
                copies.push(Vec::new());
            }
        }
    }
    for (o, c) in out.iter_mut().zip(copies) {
        if !c.is_empty() {
            o.detail = format!("{} (also in {})", o.detail, c.join(", "));
        }
    }
    out
}

/// Files that looked like manifests but could not be parsed, as evidence (`file:line`).
pub(crate) fn add_unparsed(inv: &Inventory, out: &mut Outcome) {
    if inv.unparsed.is_empty() {
        return;
    }
    out.message.push_str(&format!(
        " ({} manifest file(s) could not be parsed: see evidence)",
        inv.unparsed.len()
    ));
    for e in inv.unparsed.iter().take(MAX_EVIDENCE) {
        out.evidence.push(unparsed_evidence(e));
    }
}

/// `file:line: reason` as evidence at that file and line.
fn unparsed_evidence(e: &str) -> Evidence {
    let mut parts = e.splitn(3, ':');
    if let (Some(file), Some(line), Some(rest)) = (parts.next(), parts.next(), parts.next())
        && let Ok(line) = line.parse::<usize>()
    {
        return Evidence::at(file, Some(line), format!("not parsed:{rest}"));
    }
    Evidence::detail(format!("not parsed: {e}"))
}

/// "1 Deployment" / "3 workloads": a count with its noun.
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The outcome when the repository has no manifests, or `None`.
pub(crate) fn no_manifests(inv: &Inventory) -> Option<Outcome> {
    let why = inv.nothing_to_check()?;
    let mut out = if inv.unparsed.is_empty() {
        Outcome::skipped(why)
    } else {
        Outcome::error(why)
    };
    if !inv.unparsed.is_empty() {
        for e in inv.unparsed.iter().take(MAX_EVIDENCE) {
            out.evidence.push(unparsed_evidence(e));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unparsed_errors_keep_file_and_line() {
        let e = unparsed_evidence("k8s/app.yaml:12: invalid YAML: mapping values are not allowed");
        assert_eq!(e.file.as_deref(), Some("k8s/app.yaml"));
        assert_eq!(e.line, Some(12));
        assert!(e.detail.starts_with("not parsed: invalid YAML"));
    }
}
