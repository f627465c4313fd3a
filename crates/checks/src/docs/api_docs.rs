//! `docs.api` — the API is documented (reference or OpenAPI).

use std::sync::Arc;

use gonogo_engine::catalogue::{
    BindVerdict, Check, CheckDocs, CheckMeta, ItemView, Outcome, Params, TargetKind,
};
use gonogo_engine::context::RunContext;

use super::presence::Presence;

pub struct ApiDocs;

static META: CheckMeta = CheckMeta {
    id: "docs.api",
    title: "API documentation present",
    target: TargetKind::Repository,
    params: &[],
    docs: CheckDocs {
        what: "A non-empty API reference at the root, in docs/ or in .github/: API.md, docs/api*.md, docs/api/ or docs/reference/, or an OpenAPI/Swagger description (openapi.yaml|json, swagger.yaml|json) there. Otherwise an OpenAPI/Swagger description committed anywhere in the product (a YAML or JSON file declaring `openapi:` or `swagger:` with paths), the service's own gRPC definition (a `.proto` declaring a `service` with `rpc` methods) or GraphQL schema (a `type Query`), or a section (\"## API\", \"Endpoints\") listing at least two endpoints by method and path.",
        why: "Clients and the on-call engineer both need the contract: endpoints, parameters, errors and authentication; an undocumented API is changed by accident and misused on purpose.",
        fix: "Commit the OpenAPI description (openapi.yaml) or write docs/api.md listing every endpoint with its request, response and errors.",
        example: "docs/api.md or openapi.yaml at the root",
        binds: &[
            "API documentation",
            "API documentation updated",
            "**API documentation generated**",
            "OpenAPI spec committed",
        ],
        not_binds: &[
            "API documentation reviewed",
            "API authentication configured",
            "API response times < 200ms (p95)",
        ],
    },
};

static DOC: Presence = Presence {
    phrases: &[
        "api documentation",
        "api docs",
        "api reference",
        "openapi spec",
        "openapi specification",
        "openapi",
        "swagger",
        "api.md",
    ],
    allowed: &["generated", "spec", "specification"],
    stem: |s| {
        matches!(
            s,
            "api" | "api-docs" | "api_docs" | "api-reference" | "openapi" | "swagger" | "reference"
        )
    },
    what: "API documentation",
    name: "API documentation",
};

#[async_trait::async_trait]
impl Check for ApiDocs {
    fn meta(&self) -> &'static CheckMeta {
        &META
    }

    /// What the API documentation must describe needs the documentation first.
    fn shows_part(&self, _item: &ItemView<'_>) -> bool {
        true
    }

    fn concepts(&self) -> &'static [&'static str] {
        &["api-docs"]
    }

    fn triggers(&self) -> Vec<&'static str> {
        DOC.triggers()
    }

    fn bind(&self, view: &ItemView<'_>) -> BindVerdict {
        DOC.bind(view)
    }

    async fn run(&self, ctx: Arc<RunContext>, _params: Params) -> Outcome {
        DOC.run_or_by_content(&ctx, super::content::api)
    }
}
