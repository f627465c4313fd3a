//! Where each manifest is applied, and so which objects share a namespace.
//!
//! A manifest without `metadata.namespace` lands in the namespace it is applied to, which the
//! file does not say. Treating all of them as one namespace lets one sample's
//! `podSelector: {}` "select" every workload of the repository. Instead, objects share a
//! namespace the way the tools that apply them decide:
//! - one kustomization (its `resources`, `bases` and `components`, followed transitively)
//!   applies its files together, into its `namespace:` when it sets one;
//! - one Helm chart is one release, one namespace;
//! - `kubectl apply -f DIR` (or `-R`) applies a folder and what is under it, so plain
//!   manifests share a namespace only with manifests of the same folder, a folder above it or
//!   one below it, never with a sibling sample's;
//! - two explicit namespaces are the same when they are equal.

use std::collections::{HashMap, HashSet};

use gonogo_engine::context::RunContext;
use gonogo_engine::scope;

use super::objects::{Object, join, normalise, parent_dir};
use crate::yaml::{self, as_str, get, items};

/// A set of manifests applied as one: a kustomization or a chart release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// `kustomize:DIR` or `chart:DIR`.
    pub id: String,
    /// The namespace the set is applied into, when it says (kustomize's `namespace:`).
    pub namespace: Option<String>,
}

/// The file names kustomize reads as a kustomization (the index gives names in lower case).
pub const KUSTOMIZATION_NAMES: &[&str] =
    &["kustomization.yaml", "kustomization.yml", "kustomization"];

/// For every file some kustomization includes, the kustomizations that include it.
pub fn kustomize_groups(ctx: &RunContext) -> HashMap<String, Vec<Group>> {
    let index = ctx.repo_index();
    let kustomizations: HashMap<String, String> = index
        .find(|name, _| KUSTOMIZATION_NAMES.contains(&name))
        // A test's kustomization (`kustomize/tests/…`) is not how the product is applied.
        .filter(|f| scope::of(&f.rel).is_product())
        .map(|f| (parent_dir(&f.rel).to_string(), f.rel.clone()))
        .collect();
    let mut out: HashMap<String, Vec<Group>> = HashMap::new();
    for dir in kustomizations.keys() {
        let mut files = Vec::new();
        let mut seen = HashSet::new();
        closure(ctx, &kustomizations, dir, None, &mut seen, &mut files);
        let id = format!("kustomize:{dir}");
        for (file, namespace) in files {
            out.entry(file).or_default().push(Group {
                id: id.clone(),
                namespace,
            });
        }
    }
    out
}

/// The files kustomization `dir` applies, each with the namespace it gets: the outermost
/// `namespace:` wins, as kustomize's namespace transformer runs last.
fn closure(
    ctx: &RunContext,
    kustomizations: &HashMap<String, String>,
    dir: &str,
    outer: Option<&str>,
    seen: &mut HashSet<String>,
    files: &mut Vec<(String, Option<String>)>,
) {
    if !seen.insert(dir.to_string()) {
        return;
    }
    let Some(rel) = kustomizations.get(dir) else {
        return;
    };
    let loaded = yaml::load(ctx, rel);
    let Ok(file) = loaded.as_ref() else {
        return;
    };
    let Some(doc) = file.docs.first() else {
        return;
    };
    let own = get(doc, "namespace").and_then(as_str);
    let namespace = outer.map(str::to_string).or(own);
    for field in ["resources", "bases", "components"] {
        for r in get(doc, field).map(items).unwrap_or_default() {
            let Some(r) = as_str(r) else { continue };
            // Remote bases (URLs, `github.com/…`) are not in the repository.
            if r.contains("://") || r.starts_with("github.com/") || r.contains('\n') {
                continue;
            }
            let target = normalise(&join(dir, r.trim_start_matches("./")));
            if kustomizations.contains_key(&target) {
                closure(
                    ctx,
                    kustomizations,
                    &target,
                    namespace.as_deref(),
                    seen,
                    files,
                );
            } else {
                files.push((target, namespace.clone()));
            }
        }
    }
}

/// Whether `a` and `b` may be applied into the same namespace.
pub fn same_namespace(a: &Object, b: &Object) -> bool {
    for g in &a.groups {
        if b.groups.iter().any(|h| h.id == g.id) {
            let na = g.namespace.as_ref().or(a.namespace.as_ref());
            let nb = g.namespace.as_ref().or(b.namespace.as_ref());
            if na.is_none() || nb.is_none() || na == nb {
                return true;
            }
        }
    }
    match (&a.namespace, &b.namespace) {
        (Some(x), Some(y)) => x == y,
        // A chart's objects are its release's, not applied with the folder around it.
        _ if is_chart(a) != is_chart(b) => false,
        _ => nested(parent_dir(&a.file), parent_dir(&b.file)),
    }
}

fn is_chart(o: &Object) -> bool {
    o.groups.iter().any(|g| g.id.starts_with("chart:"))
}

/// One folder is the other or holds it.
fn nested(a: &str, b: &str) -> bool {
    let under = |inner: &str, outer: &str| {
        outer.is_empty()
            || inner == outer
            || inner
                .strip_prefix(outer)
                .is_some_and(|rest| rest.starts_with('/'))
    };
    under(a, b) || under(b, a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_nest_on_whole_names() {
        assert!(nested("k8s", "k8s/policies"));
        assert!(nested("k8s/app", "k8s"));
        assert!(nested("", "samples/a"));
        assert!(!nested("samples/a", "samples/b"));
        assert!(!nested("k8s", "k8s-old"));
    }
}
