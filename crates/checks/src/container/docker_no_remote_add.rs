//! `docker.no-remote-add` — no `ADD` fetches a remote URL (unless its checksum is pinned).

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::{Subject, bind_claim, no_dockerfile, over_dockerfiles};
use crate::wording::has_any;

pub struct NoRemoteAdd;

static META: CheckMeta = CheckMeta {
    id: "docker.no-remote-add",
    title: "No ADD of remote URLs",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "No `ADD` instruction takes an `http://`, `https://` or git URL as a source, \
               unless it carries `--checksum=sha256:…` (BuildKit verifies it).",
        why: "`ADD https://…` downloads whatever the server returns at build time, unverified, \
              into a layer: a changed or compromised file goes into production silently, and \
              the build is not reproducible.",
        fix: "Download in a RUN with a checksum check (`curl -fsSLo f.tgz URL && echo \"<sha256>  f.tgz\" | sha256sum -c -`), \
              or add `--checksum=sha256:<digest>` to the ADD; use COPY for local files.",
        example: "ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d \\\n    https://example.com/tool.tar.gz /tmp/",
        binds: &[
            "No ADD of remote URLs",
            "Dockerfiles do not ADD remote URLs",
            "No remote URLs in ADD instructions",
        ],
        not_binds: &[
            "Add remote logging",
            "ADD replaced with COPY where possible",
        ],
    },
};

fn is_remote(src: &str) -> bool {
    let s = src.to_ascii_lowercase();
    s.starts_with("http://")
        || s.starts_with("https://")
        || s.starts_with("git@")
        || s.starts_with("git://")
        || s.starts_with("ssh://")
}

#[async_trait::async_trait]
impl Check for NoRemoteAdd {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    fn triggers(&self) -> Vec<&'static str> {
        vec!["add"]
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        // `ADD` as the instruction: written in capitals or as code.
        let text = &view.item.text;
        let names_add = text
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|w| w == "ADD");
        let claim = names_add
            && has_any(
                view.lower,
                &[
                    "remote",
                    "url",
                    "urls",
                    "http",
                    "https",
                    "download",
                    "downloads",
                ],
            );
        // The claim is cheap to rule out; what the item is about costs more.
        if !claim {
            return BindVerdict::No;
        }
        let s = Subject::of(view);
        bind_claim(
            view,
            claim,
            !s.orchestrator,
            &[
                "add",
                "remote",
                "fetch",
                "fetches",
                "fetched",
                "pull",
                "pulls",
                "pulled",
                "internet",
                "artifact",
                "artifacts",
                "resource",
                "resources",
                "instruction",
                "straight",
                "verified",
                "checksum",
                "curl",
                "wget",
                "replace",
                "bare",
                "anything",
                "files",
                "url",
                "urls",
                "http",
                "https",
                "download",
                "downloads",
                "of",
                "from",
                "in",
            ],
            "wording forbids ADD of remote URLs",
        )
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        let Some(f) = over_dockerfiles(&ctx, |rel, df, f| {
            for ins in df.instructions.iter().filter(|i| i.keyword == "ADD") {
                let words = ins.words();
                if words.len() < 2 {
                    continue;
                }
                for src in words[..words.len() - 1].iter().filter(|s| is_remote(s)) {
                    if ins.flag("checksum").is_some() {
                        f.note(
                            rel,
                            Some(ins.line),
                            format!("ADD {src} with a pinned --checksum"),
                        );
                    } else {
                        f.problem(
                            rel,
                            Some(ins.line),
                            format!("ADD {src} downloads unverified at build time"),
                        );
                    }
                }
            }
        }) else {
            return no_dockerfile();
        };
        f.outcome(
            "Dockerfile",
            "no ADD of a remote URL",
            "ADD fetches a remote URL; download it in RUN with a checksum or add --checksum",
        )
    }
}
