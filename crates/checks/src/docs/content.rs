//! Documents found by what they say, wherever the repository keeps them: a README's
//! "## Architecture" section with a diagram, a quickstart that deploys, an endpoint list, a
//! committed OpenAPI description. The name-based lookups of `presence.rs` come first; these
//! are what a person finds when no file is named for the document.

use std::sync::{Arc, LazyLock};

use gonogo_engine::catalogue::Evidence;
use gonogo_engine::context::RunContext;
use gonogo_engine::scope;
use regex::Regex;

use crate::wording::has_any;

/// Prose files read for sections, and the size above which one is not read.
const MAX_FILES: usize = 4000;
const MAX_BYTES: u64 = 1024 * 1024;

/// One section of a prose document: its heading and what is under it, up to the next
/// heading of the same or a higher level.
pub(crate) struct Section {
    pub file: String,
    pub line: usize,
    pub heading: String,
    pub body: String,
}

impl Section {
    pub fn evidence(&self, what: &str) -> Evidence {
        Evidence::at(
            self.file.clone(),
            Some(self.line),
            format!("section \"{}\": {what}", self.heading),
        )
    }

    /// Non-empty lines that are not only a link or a heading.
    fn prose_lines(&self) -> usize {
        self.body
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !is_only_link(l))
            .count()
    }
}

fn is_only_link(line: &str) -> bool {
    let l = line.trim_start_matches(['-', '*', ' ']);
    (l.starts_with('[') || l.starts_with("<http")) && l.ends_with([')', '>'])
}

/// Every section of the repository's own Markdown, reStructuredText and AsciiDoc documents
/// (at the root and in its documentation folders), read once per run.
pub(crate) fn sections(ctx: &RunContext) -> Arc<Vec<Section>> {
    ctx.cached("docs:sections", || {
        let index = ctx.repo_index();
        let mut files: Vec<&str> = index
            .files
            .iter()
            .filter(|f| f.size <= MAX_BYTES && is_prose(&f.rel))
            .filter(|f| place(&f.rel).is_some() && scope::of(&f.rel).is_product())
            .map(|f| f.rel.as_str())
            .take(MAX_FILES)
            .collect();
        // The root README before the docs folder, the docs folder before .github.
        files.sort_by_key(|rel| (place(rel), *rel));
        let mut out = Vec::new();
        for rel in files {
            let text = ctx.text(rel);
            if let Ok(t) = text.as_ref() {
                split(rel, &t.text, &mut out);
            }
        }
        out
    })
}

/// Where the repository's own documents are, in the order a reader looks: the root, then
/// the documentation folders. A nested service's or sample's README describes that part,
/// not the repository's system.
fn place(rel: &str) -> Option<u8> {
    let lower = rel.to_ascii_lowercase();
    match lower.split_once('/') {
        None => Some(0),
        Some(("docs" | "doc" | "documentation" | "wiki", _)) => Some(1),
        Some((".github" | ".gitlab", _)) => Some(2),
        _ => None,
    }
}

fn is_prose(rel: &str) -> bool {
    let name = rel.rsplit('/').next().unwrap_or(rel).to_ascii_lowercase();
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    matches!(ext, "md" | "markdown" | "rst" | "adoc" | "asciidoc")
}

/// Headings with their level (`#` count, or the order an underline character first
/// appears in reStructuredText), then each section's body.
fn split(rel: &str, text: &str, out: &mut Vec<Section>) {
    let lines: Vec<&str> = text.lines().collect();
    let mut heads: Vec<(usize, usize, String)> = Vec::new(); // (index, level, text)
    let mut in_fence = false;
    let mut rst_levels: Vec<char> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            continue;
        }
        if let Some(rest) = t.strip_prefix('#') {
            let level = 1 + rest.chars().take_while(|c| *c == '#').count();
            let h = rest.trim_start_matches('#');
            if level <= 6 && (h.starts_with(' ') || h.is_empty()) && l.len() == t.len() {
                heads.push((i, level, clean(h)));
                continue;
            }
        }
        if let Some(rest) = t.strip_prefix("== ").or_else(|| t.strip_prefix("=== ")) {
            let level = if t.starts_with("=== ") { 3 } else { 2 };
            heads.push((i, level, clean(rest)));
            continue;
        }
        // A reStructuredText underline (or a Markdown setext one) below a line of text.
        if i > 0 {
            let under = t.trim_end();
            let above = lines[i - 1].trim();
            if under.len() >= 3
                && !above.is_empty()
                && under
                    .chars()
                    .all(|c| c == under.chars().next().unwrap_or(' '))
                && "=-~^\"'*+#".contains(under.chars().next().unwrap_or(' '))
                && under.len() + 2 >= above.len()
                && !heads.iter().any(|(j, _, _)| *j == i - 1)
            {
                let c = under.chars().next().unwrap_or('=');
                let level = match rst_levels.iter().position(|x| *x == c) {
                    Some(p) => p + 1,
                    None => {
                        rst_levels.push(c);
                        rst_levels.len()
                    }
                };
                heads.push((i - 1, level, clean(above)));
            }
        }
    }
    for (k, (i, level, heading)) in heads.iter().enumerate() {
        let end = heads[k + 1..]
            .iter()
            .find(|(_, l, _)| l <= level)
            .map_or(lines.len(), |(j, _, _)| *j);
        let body_start = (i + 1).min(end);
        out.push(Section {
            file: rel.to_string(),
            line: i + 1,
            heading: heading.clone(),
            body: lines[body_start..end].join("\n"),
        });
    }
}

/// Heading text without emphasis, links and trailing anchors, lowercased.
fn clean(h: &str) -> String {
    h.trim()
        .trim_end_matches('#')
        .replace(['*', '_', '`'], "")
        .trim()
        .to_lowercase()
}

static DIAGRAM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)!\[[^\]]*\]\(|<img\b|```\s*(mermaid|plantuml|dot|graphviz)|@startuml|\.(png|svg|jpe?g|drawio)\b|-->|──|\+--",
    )
    .expect("diagram regex")
});

/// An architecture section: a heading that names the system's design, over a diagram or a
/// few lines describing it.
pub(crate) fn architecture(ctx: &RunContext) -> Option<Evidence> {
    const HEADINGS: &[&str] = &[
        "architecture",
        "system design",
        "design overview",
        "system overview",
        "high-level design",
        "high level design",
        "how it works",
    ];
    let all = sections(ctx);
    let s = all.iter().find(|s| {
        has_any(&s.heading, HEADINGS)
            && !has_any(&s.heading, &["decision", "decisions", "adr"])
            && (DIAGRAM.is_match(&s.body) || s.prose_lines() >= 4)
    })?;
    let what = if DIAGRAM.is_match(&s.body) {
        "describes the architecture with a diagram"
    } else {
        "describes the architecture"
    };
    Some(s.evidence(what))
}

/// Commands that deploy: to a cluster, a cloud or a host, not a local build.
static DEPLOY_COMMAND: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?x)\b(
            kubectl\s+(?:-\S+\s+\S+\s+)*(?:apply|create)
          | helm\s+(?:-\S+\s+)*(?:install|upgrade)
          | skaffold\s+(?:run|deploy)
          | kustomize\s+build
          | timoni\s+(?:bundle\s+)?apply
          | terraform\s+apply
          | pulumi\s+up
          | gcloud\s+(?:run|app|functions)\s+deploy
          | gcloud\s+container\s+clusters\s+create
          | flyctl?\s+deploy
          | docker\s+stack\s+deploy
          | docker[\s-]compose\s+(?:-\S+\s+\S+\s+)*up\s+(?:\S+\s+)*-d
          | cdk\s+deploy
          | (?:serverless|sls)\s+deploy
          | kamal\s+deploy
          | ansible-playbook
          | cf\s+push
          | eb\s+deploy
          | az\s+\S+\s+(?:up|deploy)
          | argocd\s+app\s+create
          | flux\s+(?:bootstrap|create)
          | nomad\s+(?:job\s+)?run
        )",
    )
    .expect("deploy command regex")
});

/// A section that shows how to deploy: a deployment heading over a deploy command or a few
/// lines of instructions, or a quickstart or install section whose commands deploy.
pub(crate) fn deployment_guide(ctx: &RunContext) -> Option<Evidence> {
    const DEPLOY: &[&str] = &[
        "deploy",
        "deploying",
        "deployment",
        "deployments",
        "production setup",
        "running in production",
        "run in production",
    ];
    const START: &[&str] = &[
        "quickstart",
        "quick start",
        "getting started",
        "get started",
        "install",
        "installation",
        "installing",
        "setup",
        "set up",
        "usage",
    ];
    // Setting up to test or develop is not deploying, whatever it starts.
    const NOT_DEPLOYING: &[&str] = &[
        "test",
        "tests",
        "testing",
        "development",
        "develop",
        "developing",
        "contributing",
        "local",
        "locally",
    ];
    let all = sections(ctx);
    let all: Vec<&Section> = all
        .iter()
        .filter(|s| !has_any(&s.heading, NOT_DEPLOYING))
        .collect();
    let commands = |s: &Section| DEPLOY_COMMAND.find(&s.body).map(|m| m.as_str().to_string());
    if let Some(s) = all.iter().find(|s| {
        has_any(&s.heading, DEPLOY)
            && !has_any(&s.heading, &["continuous deployment"])
            && (commands(s).is_some() || s.prose_lines() >= 4)
    }) {
        let what = match commands(s) {
            Some(c) => format!("deployment instructions (`{c}`)"),
            None => "deployment instructions".to_string(),
        };
        return Some(s.evidence(&what));
    }
    if let Some(s) = all
        .iter()
        .find(|s| has_any(&s.heading, START) && commands(s).is_some())
    {
        return Some(s.evidence(&format!(
            "deploys the service (`{}`)",
            commands(s).unwrap_or_default()
        )));
    }
    // The guide kept elsewhere (a documentation site) and linked from where a reader starts.
    let linked = |s: &Section| {
        LINK.captures_iter(&s.body)
            .map(|c| c[1].to_string())
            .find(|url| url.to_ascii_lowercase().contains("deploy"))
    };
    let s = all.iter().find(|s| {
        (has_any(&s.heading, START)
            || has_any(&s.heading, DEPLOY)
            || has_any(&s.heading, &["documentation", "docs"]))
            && linked(s).is_some()
    })?;
    Some(s.evidence(&format!(
        "links to deployment instructions: {}",
        linked(s).unwrap_or_default()
    )))
}

/// A Markdown link's target.
static LINK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\]\(\s*<?([^)\s>]+)").expect("link regex"));

static ENDPOINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+`?/[A-Za-z0-9_{}:./-]*")
        .expect("endpoint regex")
});

/// An API description: a committed OpenAPI/Swagger document anywhere in the product, or a
/// section listing endpoints (method and path).
pub(crate) fn api(ctx: &RunContext) -> Option<Evidence> {
    if let Some(spec) = openapi_spec(ctx).or_else(|| interface_definition(ctx)) {
        return Some(Evidence::at(spec.0, None, spec.1));
    }
    let all = sections(ctx);
    if let Some(s) = all.iter().find(|s| {
        has_any(
            &s.heading,
            &[
                "api",
                "apis",
                "endpoints",
                "routes",
                "http interface",
                "rest interface",
            ],
        ) && ENDPOINT.find_iter(&s.body).count() >= 2
    }) {
        return Some(s.evidence(&format!(
            "lists {} endpoints",
            ENDPOINT.find_iter(&s.body).count()
        )));
    }
    // "## API documentation" / "Interactive API docs": a section about the reference (often
    // generated and served, as FastAPI's /docs), with something in it.
    let s = all.iter().find(|s| {
        has_any(&s.heading, &["api", "apis", "openapi", "swagger"])
            && has_any(
                &s.heading,
                &["documentation", "docs", "reference", "openapi", "swagger"],
            )
            && (s.prose_lines() >= 1 || DIAGRAM.is_match(&s.body))
    })?;
    Some(s.evidence("describes where the API reference is"))
}

/// A committed OpenAPI or Swagger description: named so, or a YAML/JSON file whose opening
/// declares `openapi:` / `swagger:`.
fn openapi_spec(ctx: &RunContext) -> Option<(String, String)> {
    let index = ctx.repo_index();
    // Only YAML and JSON files whose place or name suggests an API description are opened.
    let candidates = index.find(|name, rel| {
        let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
        let path = rel.to_ascii_lowercase();
        matches!(ext, "yaml" | "yml" | "json")
            && ["api", "openapi", "swagger", "spec", "doc"]
                .iter()
                .any(|w| path.contains(w))
            && scope::of(rel).is_product()
    });
    for f in candidates.filter(|f| f.size <= 16 * MAX_BYTES) {
        let text = ctx.text(&f.rel);
        let Ok(t) = text.as_ref() else { continue };
        let head: String = t.text.chars().take(4096).collect();
        let declares = head.lines().any(|l| {
            let l = l.trim_start_matches(['{', ' ']);
            ["openapi", "swagger", "\"openapi\"", "\"swagger\""]
                .iter()
                .any(|k| l.starts_with(k) && l[k.len()..].trim_start().starts_with(':'))
        });
        if declares && (head.contains("paths") || t.text.contains("\"paths\"")) {
            return Some((f.rel.clone(), "an OpenAPI/Swagger description".to_string()));
        }
    }
    None
}

/// The contract of an RPC or GraphQL API, committed as the service's own: a `.proto` file that
/// declares a `service` with `rpc` methods, or a GraphQL schema with a `Query` type. For such
/// services the definition is the reference clients are generated from. Copies of other
/// projects' definitions (`third_party/`, `vendor/`, `google/api/`) are not the service's.
fn interface_definition(ctx: &RunContext) -> Option<(String, String)> {
    static SERVICE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^\s*service\s+\w+\s*\{[^}]*?\brpc\s+\w+\s*\(").expect("proto regex")
    });
    static QUERY: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?m)^\s*(extend\s+)?type\s+Query\b").expect("graphql regex"));
    let index = ctx.repo_index();
    let candidates = index.find(|name, rel| {
        let path = rel.to_ascii_lowercase();
        (name.ends_with(".proto") || name.ends_with(".graphql") || name.ends_with(".graphqls"))
            && ![
                "third_party/",
                "third-party/",
                "vendor/",
                "google/",
                "node_modules/",
            ]
            .iter()
            .any(|v| path.contains(v))
            && scope::of(rel).is_product()
    });
    for f in candidates.filter(|f| f.size <= 16 * MAX_BYTES) {
        let text = ctx.text(&f.rel);
        let Ok(t) = text.as_ref() else { continue };
        if f.rel.ends_with(".proto") {
            if SERVICE.is_match(&t.text) {
                let rpcs = t.text.matches("rpc ").count();
                return Some((
                    f.rel.clone(),
                    format!("a gRPC service definition ({rpcs} rpc method(s))"),
                ));
            }
        } else if QUERY.is_match(&t.text) {
            return Some((f.rel.clone(), "a GraphQL schema".to_string()));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_all(text: &str) -> Vec<Section> {
        let mut v = Vec::new();
        split("README.md", text, &mut v);
        v
    }

    #[test]
    fn sections_run_to_the_next_heading_of_their_level() {
        let s = split_all(
            "# App\nintro\n## Architecture\nparts\n### Frontend\nweb\n## Usage\nrun it\n",
        );
        let arch = s.iter().find(|s| s.heading == "architecture").unwrap();
        assert!(arch.body.contains("web"), "{}", arch.body);
        assert!(!arch.body.contains("run it"));
        assert_eq!(arch.line, 3);
    }

    #[test]
    fn fenced_hashes_are_not_headings_and_rst_underlines_are() {
        let s =
            split_all("Deploying\n=========\n```sh\n# not a heading\nkubectl apply -f k8s/\n```\n");
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].heading, "deploying");
        assert!(DEPLOY_COMMAND.is_match(&s[0].body));
    }

    #[test]
    fn deploy_commands_are_told_from_local_ones() {
        for yes in [
            "kubectl apply -f ./release/kubernetes-manifests.yaml",
            "kubectl -n prod apply -k overlays/prod",
            "helm upgrade --install podinfo podinfo/podinfo",
            "docker compose -f compose.yml up -d",
            "gcloud run deploy api --source .",
            "skaffold run",
        ] {
            assert!(DEPLOY_COMMAND.is_match(yes), "{yes}");
        }
        for no in [
            "docker compose up",
            "npm run dev",
            "kubectl get pods",
            "helm lint ./chart",
        ] {
            assert!(!DEPLOY_COMMAND.is_match(no), "{no}");
        }
    }
}
