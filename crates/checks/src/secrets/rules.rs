//! The secret rules: one declaration per credential kind, written from the token formats the
//! vendors document. Each rule carries the literal keywords that must occur for it to be worth
//! running (the prefilter), its regular expression (the secret is the group named `s`, or for
//! assignments `q`/`u`, a quoted or unquoted value), and a generator of a true positive built
//! at run time, so this repository never holds a whole secret-shaped string.

/// How a rule's matches are judged after the regex matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A vendor token with a distinctive shape: placeholders and documented examples only are
    /// filtered.
    Token,
    /// A password inside a connection URL.
    UrlPassword,
    /// `password = "…"`-style assignments: judged by entropy and context.
    Generic,
}

/// A deterministic generator of random-looking token bodies for the rules' examples.
pub struct Gen(u64);

pub const ALNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
pub const UPNUM: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
pub const LONUM: &str = "abcdefghijklmnopqrstuvwxyz0123456789";
pub const HEX: &str = "0123456789abcdef";
pub const B64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
pub const URLB64: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
pub const DIGITS: &str = "0123456789";
pub const LETTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
pub const BASE32: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
pub const BECH32: &str = "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// `n` characters drawn from `set`.
    pub fn of(&mut self, set: &str, n: usize) -> String {
        let b = set.as_bytes();
        (0..n)
            .map(|_| b[(self.next() % b.len() as u64) as usize] as char)
            .collect()
    }
}

/// One kind of credential.
pub struct Rule {
    /// Permanent, kebab-case; used in `allow_rules` and fingerprints.
    pub id: &'static str,
    pub description: &'static str,
    /// Lowercase literals; at least one must occur (case-insensitively) for the regex to run.
    pub keywords: &'static [&'static str],
    /// The secret is the group `s` (or `q`/`u` for quoted/unquoted values); `key` names it.
    pub pattern: &'static str,
    pub kind: Kind,
    /// Only files whose path satisfies this are scanned with the rule.
    pub only: Option<fn(&str) -> bool>,
    /// A line holding a true positive, built at run time.
    pub sample: fn(&mut Gen) -> String,
    /// Lines that look close but must not be reported.
    pub decoys: &'static [&'static str],
}

/// Dockerfiles and Containerfiles by name.
pub fn is_dockerfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name == "dockerfile"
        || name == "containerfile"
        || name.starts_with("dockerfile.")
        || name.ends_with(".dockerfile")
}

const fn token(
    id: &'static str,
    description: &'static str,
    keywords: &'static [&'static str],
    pattern: &'static str,
    sample: fn(&mut Gen) -> String,
    decoys: &'static [&'static str],
) -> Rule {
    Rule {
        id,
        description,
        keywords,
        pattern,
        kind: Kind::Token,
        only: None,
        sample,
        decoys,
    }
}

/// Every rule. Order matters only for ties: a specific rule listed first wins a span that a
/// later, more general one also matches.
pub static RULES: &[Rule] = &[
    // ── cloud providers ──────────────────────────────────────────────────────────────────
    token(
        "aws-access-key-id",
        "AWS access key id (long-term AKIA, temporary ASIA)",
        &["akia", "asia", "abia", "acca"],
        r"\b(?P<s>(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b",
        |g| format!("aws_access_key_id = AKIA{}", g.of(BASE32, 16)),
        &[
            "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",
            "ASIAN_FOOD_DELIVERY_SERVICES_X",
        ],
    ),
    token(
        "aws-secret-access-key",
        "AWS secret access key next to an AWS key name",
        &["aws"],
        r#"(?i)aws[A-Za-z0-9_.-]{0,20}(?:secret|private)[A-Za-z0-9_.-]{0,20}["']?\s*(?:=|:|=>)\s*["']?(?P<s>[A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)"#,
        |g| format!("AWS_SECRET_ACCESS_KEY={}", g.of(B64, 40)),
        &[
            "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY}",
        ],
    ),
    token(
        "google-api-key",
        "Google Cloud / Firebase API key",
        &["aiza"],
        r"\b(?P<s>AIza[0-9A-Za-z_-]{35})(?:[^0-9A-Za-z_-]|$)",
        |g| format!("apiKey: \"AIza{}\"", g.of(URLB64, 35)),
        &["apiKey: \"AIzaXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX\""],
    ),
    token(
        "gcp-service-account-key",
        "private key id of a Google service account JSON key file",
        &["private_key_id"],
        r#""private_key_id"\s*:\s*"(?P<s>[a-f0-9]{40})""#,
        |g| format!("  \"private_key_id\": \"{}\",", g.of(HEX, 40)),
        &["  \"private_key_id\": \"<key-id>\","],
    ),
    token(
        "google-oauth-client-secret",
        "Google OAuth client secret",
        &["gocspx-"],
        r"\b(?P<s>GOCSPX-[A-Za-z0-9_-]{28})(?:[^A-Za-z0-9_-]|$)",
        |g| format!("client_secret = \"GOCSPX-{}\"", g.of(URLB64, 28)),
        &["client_secret = \"GOCSPX-your-client-secret-here\""],
    ),
    token(
        "google-oauth-access-token",
        "Google OAuth access token",
        &["ya29."],
        r"\b(?P<s>ya29\.[0-9A-Za-z_-]{30,})",
        |g| format!("Authorization: Bearer ya29.{}", g.of(URLB64, 120)),
        &["token prefix is ya29.<token>"],
    ),
    token(
        "azure-storage-account-key",
        "Azure storage account key in a connection string",
        &["accountkey="],
        r"(?i)AccountKey=(?P<s>[A-Za-z0-9+/]{86}==)",
        |g| {
            format!(
                "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey={}==;",
                g.of(B64, 86)
            )
        },
        &["AccountKey=<storage-account-key>;"],
    ),
    token(
        "azure-ad-client-secret",
        "Azure AD (Entra ID) application client secret",
        &["q~"],
        r"(?:^|[^A-Za-z0-9_~.-])(?P<s>[A-Za-z0-9_~.]{3}[0-9]Q~[A-Za-z0-9_~.-]{31,34})(?:[^A-Za-z0-9_~.-]|$)",
        |g| {
            format!(
                "AZURE_CLIENT_SECRET={}8Q~{}",
                g.of(ALNUM, 3),
                g.of(ALNUM, 34)
            )
        },
        &["see section 8Q~ of the manual"],
    ),
    token(
        "azure-sas-token",
        "Azure shared access signature in a URL",
        &["sig="],
        r"[?&]sv=[0-9]{4}-[0-9]{2}-[0-9]{2}&[^\s\x22'<>]*?sig=(?P<s>[A-Za-z0-9%+/]{40,}(?:%3D|=)*)",
        |g| {
            format!(
                "https://acme.blob.core.windows.net/c?sv=2022-11-02&ss=b&srt=o&sp=r&sig={}%3D",
                g.of(ALNUM, 43)
            )
        },
        &["https://acme.blob.core.windows.net/c?sv=2022-11-02&sig=<signature>"],
    ),
    token(
        "alibaba-access-key-id",
        "Alibaba Cloud access key id",
        &["ltai"],
        r"\b(?P<s>LTAI[A-Za-z0-9]{20})\b",
        |g| format!("access_key_id: LTAI{}", g.of(ALNUM, 20)),
        &["access_key_id: LTAIxxxxxxxxxxxxxxxxxxxx"],
    ),
    token(
        "digitalocean-token",
        "DigitalOcean personal access, OAuth or refresh token",
        &["dop_v1_", "doo_v1_", "dor_v1_"],
        r"\b(?P<s>do[opr]_v1_[a-f0-9]{64})\b",
        |g| format!("DIGITALOCEAN_TOKEN=dop_v1_{}", g.of(HEX, 64)),
        &["DIGITALOCEAN_TOKEN=dop_v1_<token>"],
    ),
    token(
        "heroku-api-key",
        "Heroku API key (HRKU- tokens, or a UUID named as a Heroku key)",
        &["hrku-", "heroku"],
        r#"(?i)(?:\b(?P<s>HRKU-[A-Za-z0-9_-]{60})|heroku[A-Za-z0-9_.-]{0,20}(?:key|token)["']?\s*(?:=|:|=>)\s*["']?(?P<q>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))"#,
        |g| format!("HEROKU_API_KEY=HRKU-{}", g.of(URLB64, 60)),
        &["heroku_app_name: my-app"],
    ),
    token(
        "fly-io-token",
        "Fly.io access token",
        &["fo1_"],
        r"\b(?P<s>fo1_[A-Za-z0-9_-]{43})",
        |g| format!("FLY_API_TOKEN=fo1_{}", g.of(URLB64, 43)),
        &["FLY_API_TOKEN=fo1_..."],
    ),
    token(
        "cloudflare-origin-ca-key",
        "Cloudflare origin CA key",
        &["v1.0-"],
        r"\b(?P<s>v1\.0-[a-f0-9]{24}-[a-f0-9]{146})\b",
        |g| {
            format!(
                "origin_ca_key = \"v1.0-{}-{}\"",
                g.of(HEX, 24),
                g.of(HEX, 146)
            )
        },
        &["version v1.0-beta of the API"],
    ),
    token(
        "databricks-token",
        "Databricks personal access token",
        &["dapi"],
        r"\b(?P<s>dapi[a-f0-9]{32}(?:-[0-9])?)\b",
        |g| format!("DATABRICKS_TOKEN=dapi{}", g.of(HEX, 32)),
        &["the dapi endpoint /api/2.0"],
    ),
    token(
        "supabase-token",
        "Supabase access token",
        &["sbp_"],
        r"\b(?P<s>sbp_[a-f0-9]{40})\b",
        |g| format!("SUPABASE_ACCESS_TOKEN=sbp_{}", g.of(HEX, 40)),
        &["SUPABASE_ACCESS_TOKEN=sbp_0000000000000000000000000000000000000000"],
    ),
    token(
        "planetscale-token",
        "PlanetScale password or service token",
        &["pscale_pw_", "pscale_tkn_", "pscale_oauth_"],
        r"\b(?P<s>pscale_(?:pw|tkn|oauth)_[A-Za-z0-9_.-]{32,64})",
        |g| format!("password: pscale_pw_{}", g.of(ALNUM, 43)),
        &["password: pscale_pw_<password>"],
    ),
    // ── version control and CI ───────────────────────────────────────────────────────────
    token(
        "github-pat",
        "GitHub personal access token (classic)",
        &["ghp_"],
        r"\b(?P<s>ghp_[A-Za-z0-9]{36})\b",
        |g| format!("GITHUB_TOKEN=ghp_{}", g.of(ALNUM, 36)),
        &["GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ),
    token(
        "github-fine-grained-pat",
        "GitHub fine-grained personal access token",
        &["github_pat_"],
        r"\b(?P<s>github_pat_[A-Za-z0-9_]{60,255})",
        |g| format!("token: github_pat_{}_{}", g.of(ALNUM, 22), g.of(ALNUM, 59)),
        &["token: github_pat_<your-token>"],
    ),
    token(
        "github-oauth-token",
        "GitHub OAuth access token",
        &["gho_"],
        r"\b(?P<s>gho_[A-Za-z0-9]{36})\b",
        |g| format!("oauth = \"gho_{}\"", g.of(ALNUM, 36)),
        &["oauth = \"gho_************************************\""],
    ),
    token(
        "github-app-token",
        "GitHub App user-to-server or installation token",
        &["ghu_", "ghs_"],
        r"\b(?P<s>gh[us]_[A-Za-z0-9]{36})\b",
        |g| format!("token ghs_{}", g.of(ALNUM, 36)),
        &["prefixes ghs_ and ghu_ mark app tokens"],
    ),
    token(
        "github-refresh-token",
        "GitHub refresh token",
        &["ghr_"],
        r"\b(?P<s>ghr_[A-Za-z0-9]{36,255})\b",
        |g| format!("refresh: ghr_{}", g.of(ALNUM, 76)),
        &["refresh: ghr_"],
    ),
    token(
        "gitlab-pat",
        "GitLab personal, project or group access token",
        &["glpat-"],
        r"\b(?P<s>glpat-[A-Za-z0-9_-]{20,})",
        |g| format!("GITLAB_TOKEN=glpat-{}", g.of(URLB64, 20)),
        &["GITLAB_TOKEN=glpat-XXXXXXXXXXXXXXXXXXXX"],
    ),
    token(
        "gitlab-pipeline-trigger-token",
        "GitLab pipeline trigger token",
        &["glptt-"],
        r"\b(?P<s>glptt-[0-9a-f]{40})\b",
        |g| format!("-F token=glptt-{}", g.of(HEX, 40)),
        &["-F token=glptt-$TRIGGER"],
    ),
    token(
        "gitlab-runner-token",
        "GitLab runner authentication or registration token",
        &["glrt-", "gr1348941"],
        r"\b(?P<s>(?:glrt-|GR1348941)[A-Za-z0-9_-]{20,})",
        |g| format!("token = \"glrt-{}\"", g.of(URLB64, 20)),
        &["token = \"glrt-REPLACE_WITH_YOUR_TOKEN\""],
    ),
    token(
        "gitlab-deploy-token",
        "GitLab deploy token",
        &["gldt-"],
        r"\b(?P<s>gldt-[A-Za-z0-9_-]{20,})",
        |g| format!("password: gldt-{}", g.of(URLB64, 20)),
        &["password: gldt-<deploy-token>"],
    ),
    token(
        "bitbucket-app-password",
        "Bitbucket/Atlassian app password or API token",
        &["atbb", "atatt3"],
        r"\b(?P<s>(?:ATBB[A-Za-z0-9]{32}|ATATT3[A-Za-z0-9_=-]{150,}))",
        |g| format!("BITBUCKET_APP_PASSWORD=ATBB{}", g.of(ALNUM, 32)),
        &["BITBUCKET_APP_PASSWORD=ATBBxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ),
    token(
        "circleci-token",
        "CircleCI personal API token",
        &["ccipat_"],
        r"\b(?P<s>CCIPAT_[A-Za-z0-9]{22}_[a-f0-9]{40})\b",
        |g| format!("CIRCLE_TOKEN=CCIPAT_{}_{}", g.of(ALNUM, 22), g.of(HEX, 40)),
        &["CIRCLE_TOKEN=CCIPAT_..."],
    ),
    token(
        "buildkite-token",
        "Buildkite agent or API token",
        &["bkua_"],
        r"\b(?P<s>bkua_[a-f0-9]{40})\b",
        |g| format!("BUILDKITE_API_TOKEN=bkua_{}", g.of(HEX, 40)),
        &["BUILDKITE_API_TOKEN=bkua_"],
    ),
    token(
        "terraform-cloud-token",
        "Terraform Cloud / HCP Terraform API token",
        &[".atlasv1."],
        r"\b(?P<s>[A-Za-z0-9]{14}\.atlasv1\.[A-Za-z0-9_=-]{60,70})",
        |g| {
            format!(
                "token = \"{}.atlasv1.{}\"",
                g.of(ALNUM, 14),
                g.of(URLB64, 67)
            )
        },
        &["token = \"xxxxxxxxxxxxxx.atlasv1.<rest>\""],
    ),
    token(
        "vault-token",
        "HashiCorp Vault service or batch token",
        &["hvs.", "hvb."],
        r"\b(?P<s>hv[sb]\.[A-Za-z0-9_-]{24,})",
        |g| format!("VAULT_TOKEN=hvs.{}", g.of(URLB64, 92)),
        &["VAULT_TOKEN=hvs.example"],
    ),
    token(
        "pulumi-token",
        "Pulumi access token",
        &["pul-"],
        r"\b(?P<s>pul-[a-f0-9]{40})\b",
        |g| format!("PULUMI_ACCESS_TOKEN=pul-{}", g.of(HEX, 40)),
        &["see pul-request template"],
    ),
    token(
        "doppler-token",
        "Doppler service or personal token",
        &["dp.pt.", "dp.st."],
        r"\b(?P<s>dp\.(?:pt|st)\.[A-Za-z0-9_-]{40,44})",
        |g| format!("DOPPLER_TOKEN=dp.st.{}", g.of(ALNUM, 43)),
        &["DOPPLER_TOKEN=dp.st.dev"],
    ),
    // ── chat and collaboration ───────────────────────────────────────────────────────────
    token(
        "slack-bot-token",
        "Slack bot token",
        &["xoxb-"],
        r"\b(?P<s>xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24,34})\b",
        |g| {
            format!(
                "SLACK_BOT_TOKEN=xoxb-{}-{}-{}",
                g.of(DIGITS, 12),
                g.of(DIGITS, 13),
                g.of(ALNUM, 24)
            )
        },
        &["SLACK_BOT_TOKEN=xoxb-your-bot-token"],
    ),
    token(
        "slack-user-token",
        "Slack user or legacy token",
        &["xoxp-", "xoxe-", "xoxa-", "xoxs-"],
        r"\b(?P<s>xox[pesa]-[0-9]{10,13}-[0-9]{10,13}-[0-9A-Za-z-]{10,})",
        |g| {
            format!(
                "token: xoxp-{}-{}-{}-{}",
                g.of(DIGITS, 12),
                g.of(DIGITS, 12),
                g.of(DIGITS, 13),
                g.of(HEX, 32)
            )
        },
        &["token: xoxp-<user-token>"],
    ),
    token(
        "slack-app-token",
        "Slack app-level token",
        &["xapp-"],
        r"\b(?P<s>xapp-[0-9]-[A-Z0-9]{9,12}-[0-9]{12,14}-[a-f0-9]{64})\b",
        |g| {
            format!(
                "SLACK_APP_TOKEN=xapp-1-A{}-{}-{}",
                g.of(UPNUM, 10),
                g.of(DIGITS, 13),
                g.of(HEX, 64)
            )
        },
        &["SLACK_APP_TOKEN=xapp-1-..."],
    ),
    token(
        "slack-webhook-url",
        "Slack incoming webhook URL",
        &["hooks.slack.com"],
        r"(?P<s>hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9+/_-]{40,})",
        |g| {
            format!(
                "url: https://hooks.slack.com/services/T{}/B{}/{}",
                g.of(UPNUM, 10),
                g.of(UPNUM, 10),
                g.of(ALNUM, 24)
            )
        },
        &["url: https://hooks.slack.com/services/T000/B000/XXXX"],
    ),
    token(
        "discord-webhook-url",
        "Discord webhook URL",
        &["/api/webhooks/"],
        r"(?P<s>discord(?:app)?\.com/api/webhooks/[0-9]{17,20}/[A-Za-z0-9_-]{60,68})",
        |g| {
            format!(
                "DISCORD_WEBHOOK=https://discord.com/api/webhooks/{}/{}",
                g.of(DIGITS, 19),
                g.of(URLB64, 68)
            )
        },
        &["DISCORD_WEBHOOK=https://discord.com/api/webhooks/<id>/<token>"],
    ),
    token(
        "telegram-bot-token",
        "Telegram bot token",
        &[":aa"],
        r"(?:^|[^0-9])(?P<s>[0-9]{8,10}:AA[0-9A-Za-z_-]{33})(?:[^0-9A-Za-z_-]|$)",
        |g| {
            format!(
                "TELEGRAM_BOT_TOKEN={}:AA{}",
                g.of(DIGITS, 10),
                g.of(URLB64, 33)
            )
        },
        &["at 12:AA the meeting starts"],
    ),
    token(
        "teams-webhook-url",
        "Microsoft Teams incoming webhook URL",
        &["webhook.office.com"],
        r"(?P<s>webhook\.office\.com/webhookb2/[a-f0-9-]{36}@[a-f0-9-]{36}/IncomingWebhook/[a-f0-9]{32}/[a-f0-9-]{36})",
        |g| {
            let u = |g: &mut Gen| {
                format!(
                    "{}-{}-{}-{}-{}",
                    g.of(HEX, 8),
                    g.of(HEX, 4),
                    g.of(HEX, 4),
                    g.of(HEX, 4),
                    g.of(HEX, 12)
                )
            };
            let (a, b) = (u(g), u(g));
            let c = g.of(HEX, 32);
            let d = u(g);
            format!("https://acme.webhook.office.com/webhookb2/{a}@{b}/IncomingWebhook/{c}/{d}")
        },
        &["https://acme.webhook.office.com/webhookb2/<id>"],
    ),
    token(
        "atlassian-linear-api-key",
        "Linear API key",
        &["lin_api_"],
        r"\b(?P<s>lin_api_[A-Za-z0-9]{40})\b",
        |g| format!("LINEAR_API_KEY=lin_api_{}", g.of(ALNUM, 40)),
        &["LINEAR_API_KEY=lin_api_"],
    ),
    token(
        "sendgrid-api-key",
        "SendGrid API key",
        &["sg."],
        r"\b(?P<s>SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?:[^A-Za-z0-9_-]|$)",
        |g| {
            format!(
                "SENDGRID_API_KEY=SG.{}.{}",
                g.of(URLB64, 22),
                g.of(URLB64, 43)
            )
        },
        &["SENDGRID_API_KEY=SG.xxxxxxxxxxxxxxxxxxxxxx.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"],
    ),
    token(
        "mailchimp-api-key",
        "Mailchimp API key",
        &["-us"],
        r"\b(?P<s>[0-9a-f]{32}-us[0-9]{1,2})\b",
        |g| format!("MAILCHIMP_KEY={}-us21", g.of(HEX, 32)),
        &["locale en-us"],
    ),
    token(
        "postman-api-key",
        "Postman API key",
        &["pmak-"],
        r"\b(?P<s>PMAK-[a-f0-9]{24}-[a-f0-9]{34})\b",
        |g| format!("x-api-key: PMAK-{}-{}", g.of(HEX, 24), g.of(HEX, 34)),
        &["x-api-key: PMAK-{{key}}"],
    ),
    token(
        "new-relic-key",
        "New Relic user API key",
        &["nrak-"],
        r"\b(?P<s>NRAK-[A-Z0-9]{27})\b",
        |g| format!("NEW_RELIC_API_KEY=NRAK-{}", g.of(UPNUM, 27)),
        &["NEW_RELIC_API_KEY=NRAK-XXXXXXXXXXXXXXXXXXXXXXXXXXX"],
    ),
    token(
        "sentry-token",
        "Sentry organisation or user auth token",
        &["sntrys_", "sntryu_"],
        r"\b(?P<s>(?:sntrys_eyJ[A-Za-z0-9+/=_-]{60,}|sntryu_[a-f0-9]{64}))",
        |g| format!("SENTRY_AUTH_TOKEN=sntryu_{}", g.of(HEX, 64)),
        &["SENTRY_AUTH_TOKEN=sntryu_"],
    ),
    token(
        "grafana-token",
        "Grafana service account or cloud token",
        &["glsa_", "glc_"],
        r"\b(?P<s>(?:glsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}|glc_[A-Za-z0-9+/]{32,400}={0,2}))",
        |g| format!("GRAFANA_TOKEN=glsa_{}_{}", g.of(ALNUM, 32), g.of(HEX, 8)),
        &["GRAFANA_TOKEN=glsa_<token>"],
    ),
    // ── payments and commerce ────────────────────────────────────────────────────────────
    token(
        "stripe-secret-key",
        "Stripe secret key",
        &["sk_live_", "sk_test_"],
        r"\b(?P<s>sk_(?:live|test)_[A-Za-z0-9]{24,247})\b",
        |g| format!("STRIPE_SECRET_KEY=sk_live_{}", g.of(ALNUM, 24)),
        &["STRIPE_SECRET_KEY=sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"],
    ),
    token(
        "stripe-restricted-key",
        "Stripe restricted key",
        &["rk_live_", "rk_test_"],
        r"\b(?P<s>rk_(?:live|test)_[A-Za-z0-9]{24,247})\b",
        |g| format!("key = 'rk_live_{}'", g.of(ALNUM, 99)),
        &["key = 'rk_live_...'"],
    ),
    token(
        "stripe-webhook-secret",
        "Stripe webhook signing secret",
        &["whsec_"],
        r"\b(?P<s>whsec_[A-Za-z0-9]{32,})\b",
        |g| format!("STRIPE_WEBHOOK_SECRET=whsec_{}", g.of(ALNUM, 32)),
        &["STRIPE_WEBHOOK_SECRET=whsec_<webhook-secret>"],
    ),
    token(
        "square-token",
        "Square access token or OAuth secret",
        &["sq0atp-", "sq0csp-"],
        r"\b(?P<s>sq0(?:atp-[0-9A-Za-z_-]{22}|csp-[0-9A-Za-z_-]{43}))",
        |g| format!("SQUARE_TOKEN=sq0atp-{}", g.of(URLB64, 22)),
        &["SQUARE_TOKEN=sq0atp-"],
    ),
    token(
        "braintree-access-token",
        "PayPal Braintree access token",
        &["access_token$production$"],
        r"(?P<s>access_token\$production\$[0-9a-z]{16}\$[0-9a-f]{32})",
        |g| {
            format!(
                "BT=access_token$production${}${}",
                g.of(LONUM, 16),
                g.of(HEX, 32)
            )
        },
        &["BT=access_token$production$<merchant>$<token>"],
    ),
    token(
        "shopify-token",
        "Shopify access or shared secret token",
        &["shpat_", "shpca_", "shppa_", "shpss_"],
        r"\b(?P<s>shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b",
        |g| format!("SHOPIFY_TOKEN=shpat_{}", g.of(HEX, 32)),
        &["SHOPIFY_TOKEN=shpat_00000000000000000000000000000000"],
    ),
    token(
        "flutterwave-secret-key",
        "Flutterwave secret key",
        &["flwseck"],
        r"\b(?P<s>FLWSECK(?:_TEST)?-[a-f0-9]{32}-X)",
        |g| format!("FLW_SECRET=FLWSECK-{}-X", g.of(HEX, 32)),
        &["FLW_SECRET=FLWSECK-xxxxx-X"],
    ),
    token(
        "shippo-token",
        "Shippo API token",
        &["shippo_live_", "shippo_test_"],
        r"\b(?P<s>shippo_(?:live|test)_[a-f0-9]{40})\b",
        |g| format!("SHIPPO=shippo_live_{}", g.of(HEX, 40)),
        &["SHIPPO=shippo_live_"],
    ),
    token(
        "easypost-api-key",
        "EasyPost API key",
        &["ezak"],
        r"\b(?P<s>EZ[AT]K[a-zA-Z0-9]{54})\b",
        |g| format!("EASYPOST_KEY=EZAK{}", g.of(ALNUM, 54)),
        &["EASYPOST_KEY=EZAK"],
    ),
    token(
        "duffel-token",
        "Duffel API token",
        &["duffel_live_", "duffel_test_"],
        r"\b(?P<s>duffel_(?:test|live)_[A-Za-z0-9_=-]{43})",
        |g| format!("DUFFEL=duffel_live_{}", g.of(URLB64, 43)),
        &["DUFFEL=duffel_live_..."],
    ),
    // ── package registries ───────────────────────────────────────────────────────────────
    token(
        "npm-token",
        "npm access token",
        &["npm_"],
        r"\b(?P<s>npm_[A-Za-z0-9]{36})\b",
        |g| format!("//registry.npmjs.org/:_authToken=npm_{}", g.of(ALNUM, 36)),
        &[
            "//registry.npmjs.org/:_authToken=${NPM_TOKEN}",
            "npm_config_cache_folder_location_x",
        ],
    ),
    token(
        "pypi-token",
        "PyPI upload token",
        &["pypi-ageichlwas5vcmc"],
        r"\b(?P<s>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})",
        |g| format!("password = pypi-AgEIcHlwaS5vcmc{}", g.of(URLB64, 70)),
        &["password = pypi-AgEIcHlwaS5vcmc<rest-of-token>"],
    ),
    token(
        "rubygems-api-key",
        "RubyGems API key",
        &["rubygems_"],
        r"\b(?P<s>rubygems_[a-f0-9]{48})\b",
        |g| format!(":rubygems_api_key: rubygems_{}", g.of(HEX, 48)),
        &[":rubygems_api_key: rubygems_"],
    ),
    token(
        "nuget-api-key",
        "NuGet API key",
        &["oy2"],
        r"\b(?P<s>oy2[a-z0-9]{43})\b",
        |g| format!("nuget push -k oy2{}", g.of(LONUM, 43)),
        &["nuget push -k oy2..."],
    ),
    token(
        "docker-hub-token",
        "Docker Hub personal access token",
        &["dckr_pat_"],
        r"\b(?P<s>dckr_pat_[A-Za-z0-9_-]{27,})",
        |g| format!("DOCKERHUB_TOKEN=dckr_pat_{}", g.of(URLB64, 27)),
        &["DOCKERHUB_TOKEN=dckr_pat_<token>"],
    ),
    token(
        "artifactory-token",
        "JFrog Artifactory API key or reference token",
        &["akcp", "cmvmdg"],
        r"\b(?P<s>(?:AKCp[A-Za-z0-9]{69}|cmVmdGtu[A-Za-z0-9]{56}))\b",
        |g| format!("ARTIFACTORY_API_KEY=AKCp{}", g.of(ALNUM, 69)),
        &["ARTIFACTORY_API_KEY=AKCp..."],
    ),
    token(
        "clojars-token",
        "Clojars deploy token",
        &["clojars_"],
        r"\b(?P<s>CLOJARS_[a-z0-9]{60})\b",
        |g| format!("CLOJARS_PASSWORD=CLOJARS_{}", g.of(LONUM, 60)),
        &["CLOJARS_PASSWORD=CLOJARS_"],
    ),
    token(
        "docker-config-auth",
        "registry credentials in a Docker config.json `auth` field",
        &["\"auth\""],
        r#""auth"\s*:\s*"(?P<s>[A-Za-z0-9+/]{16,}={0,2})""#,
        |g| {
            format!(
                "{{\"auths\":{{\"ghcr.io\":{{\"auth\":\"{}\"}}}}}}",
                g.of(B64, 40)
            )
        },
        &["{\"auths\":{\"ghcr.io\":{\"auth\":\"\"}}}"],
    ),
    // ── AI and data services ─────────────────────────────────────────────────────────────
    token(
        "openai-api-key",
        "OpenAI API key",
        &["t3blbkfj"],
        r"\b(?P<s>sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,})",
        |g| {
            format!(
                "OPENAI_API_KEY=sk-proj-{}T3BlbkFJ{}",
                g.of(URLB64, 40),
                g.of(URLB64, 40)
            )
        },
        &["OPENAI_API_KEY=sk-your-key"],
    ),
    token(
        "anthropic-api-key",
        "Anthropic API key",
        &["sk-ant-"],
        r"\b(?P<s>sk-ant-(?:api|admin)[0-9]{2}-[A-Za-z0-9_-]{80,})",
        |g| format!("ANTHROPIC_API_KEY=sk-ant-api03-{}", g.of(URLB64, 93)),
        &["ANTHROPIC_API_KEY=sk-ant-..."],
    ),
    token(
        "huggingface-token",
        "Hugging Face access token",
        &["hf_"],
        r"\b(?P<s>hf_[A-Za-z]{34})\b",
        |g| format!("HF_TOKEN=hf_{}", g.of(LETTERS, 34)),
        &[
            "HF_TOKEN=hf_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
            "def hf_download_model_weights_now_please(x):",
        ],
    ),
    token(
        "mapbox-secret-token",
        "Mapbox secret access token",
        &["sk.eyj"],
        r"\b(?P<s>sk\.eyJ[A-Za-z0-9_-]{50,}\.[A-Za-z0-9_-]{20,})",
        |g| {
            format!(
                "MAPBOX_TOKEN=sk.eyJ{}.{}",
                g.of(URLB64, 60),
                g.of(URLB64, 22)
            )
        },
        &["MAPBOX_TOKEN=sk.eyJ..."],
    ),
    token(
        "contentful-token",
        "Contentful personal access token",
        &["cfpat-"],
        r"\b(?P<s>CFPAT-[A-Za-z0-9_-]{43})",
        |g| format!("CONTENTFUL_TOKEN=CFPAT-{}", g.of(URLB64, 43)),
        &["CONTENTFUL_TOKEN=CFPAT-"],
    ),
    token(
        "facebook-access-token",
        "Facebook / Meta access token",
        &["eaacedeose0cba"],
        r"\b(?P<s>EAACEdEose0cBA[0-9A-Za-z]{20,})",
        |g| format!("FB_TOKEN=EAACEdEose0cBA{}", g.of(ALNUM, 80)),
        &["FB_TOKEN=EAACEdEose0cBA<token>"],
    ),
    token(
        "age-secret-key",
        "age encryption secret key",
        &["age-secret-key-1"],
        r"\b(?P<s>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b",
        |g| format!("# key: AGE-SECRET-KEY-1{}", g.of(BECH32, 58)),
        &["# key: AGE-SECRET-KEY-1..."],
    ),
    // ── keys and tokens of any origin ────────────────────────────────────────────────────
    token(
        "private-key",
        "PEM or OpenSSH private key block",
        &["private key"],
        r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----\s*(?P<s>[A-Za-z0-9+/=\s:,-]{64,}?)\s*-----END",
        |g| {
            let body: Vec<String> = (0..6).map(|_| g.of(B64, 64)).collect();
            format!(
                "-----BEGIN RSA PRIVATE KEY-----\n{}\n-----END RSA PRIVATE KEY-----",
                body.join("\n")
            )
        },
        &[
            "-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----",
            "if line.startswith('-----BEGIN PRIVATE KEY-----'):",
        ],
    ),
    token(
        "jwt",
        "JSON Web Token",
        &["eyj"],
        r"\b(?P<s>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{20,})",
        |g| {
            format!(
                "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJ{}.{}",
                g.of(URLB64, 40),
                g.of(URLB64, 43)
            )
        },
        &["token: eyJhbGciOiJIUzI1NiJ9.<payload>.<signature>"],
    ),
    Rule {
        id: "database-url-password",
        description: "password inside a database or message broker connection URL",
        keywords: &[
            "postgres://",
            "postgresql://",
            "mysql://",
            "mariadb://",
            "mongodb://",
            "mongodb+srv://",
            "redis://",
            "rediss://",
            "amqp://",
            "amqps://",
            "mssql://",
            "sqlserver://",
            "clickhouse://",
            "cockroachdb://",
            "jdbc:",
        ],
        pattern: r"(?i)\b(?:jdbc:)?(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|clickhouse|cockroachdb)://(?P<key>[^:/\s@\x22'`]*):(?P<s>[^@\s\x22'`/]{3,200})@[^\s\x22'`/]+",
        kind: Kind::UrlPassword,
        only: None,
        sample: |g| {
            format!(
                "DATABASE_URL=postgres://app:{}@db.internal:5432/app",
                g.of(ALNUM, 18)
            )
        },
        decoys: &[
            "DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app",
            "DATABASE_URL=postgres://user:password@localhost:5432/app",
            "REDIS_URL=redis://:changeme@localhost:6379",
            "url: mysql://root:<password>@127.0.0.1/db",
            "DATABASE_URL=postgres://postgres:postgres@localhost/test",
            "gonogo check --redis redis://:…@cache:6379",
        ],
    },
    // ── generic assignments, judged by entropy and context ───────────────────────────────
    Rule {
        id: "generic-password",
        description: "a password assigned a literal value",
        keywords: &["password", "passwd", "pwd", "passphrase"],
        pattern: GENERIC_PASSWORD,
        kind: Kind::Generic,
        only: None,
        sample: |g| format!("db_password = \"{}!{}\"", g.of(ALNUM, 10), g.of(DIGITS, 3)),
        decoys: &[
            "password = os.environ[\"DB_PASSWORD\"]",
            "password: \"${DB_PASSWORD}\"",
            "DB_PASSWORD=changeme",
            "password = \"<your-password>\"",
            "password: ********",
            "PASSWORD_MIN_LENGTH: 12",
            "password_field = \"password_confirmation\"",
            "password = get_secret(\"db/password\")",
            "password: {{ .Values.db.password }}",
            "password = config.database.password",
            "password_file: /run/secrets/db_password",
            "const passwordPlaceholder = \"Enter your password\";",
        ],
    },
    Rule {
        id: "generic-secret",
        description: "an API key, token or secret assigned a literal high-entropy value",
        keywords: &[
            "secret",
            "token",
            "api_key",
            "apikey",
            "api-key",
            "api.key",
            "access_key",
            "accesskey",
            "access-key",
            "auth_key",
            "authkey",
            "private_key",
            "privatekey",
            "credential",
            "signing_key",
            "signingkey",
            "encryption_key",
            "encryptionkey",
        ],
        pattern: GENERIC_SECRET,
        kind: Kind::Generic,
        only: None,
        sample: |g| format!("api_key: \"{}\"", g.of(ALNUM, 32)),
        decoys: &[
            "api_key: ${API_KEY}",
            "API_KEY=your-api-key-here",
            "secret_key = os.getenv('SECRET_KEY')",
            "token: process.env.API_TOKEN",
            "client_secret = \"xxxxxxxxxxxxxxxxxxxxxxxx\"",
            "session_token = \"123e4567-e89b-12d3-a456-426614174000\"",
            "release_token: 9fceb02d0ae598e95dc970b74767f19372d61af8",
            "secretName: app-credentials",
            "secret_key = settings.SECRET_KEY",
            "token: ${{ secrets.GITHUB_TOKEN }}",
            "api_key = vault.read('secret/data/api')['key']",
            "JWT_SECRET=<32+-char-secret>",
            "token_url: https://auth.example.org/oauth/token",
            "\"integrity\": \"sha512-Q1Zx0p0YqcQ0kVjmKZqBoM3T6wfOA7+8PjXN2o+Ok2rLMzx3Y2RZJmE0VhdxXlq7yM6S0Y6S6Z3K1m9bGJX1eA==\"",
            "secret: arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-AbCdEf",
            "SecretAccessKey: \"ProfileSharedCredentialsSecretKey\",",
            "Token: \"not-a-legit-token\",",
            "ExpectedCredentialsValue: mockdata.MockEc2MetadataCredentials,",
            "token: \"password123\",",
        ],
    },
    Rule {
        id: "dockerfile-secret-env",
        description: "a secret baked into an image with ENV or ARG",
        keywords: &["env", "arg"],
        pattern: r#"(?im)^[ \t]*(?:ENV|ARG)[ \t]+(?P<key>[A-Za-z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)[A-Za-z0-9_]*)(?:=|[ \t]+)["']?(?P<u>[^\s"'$]{6,})"#,
        kind: Kind::Generic,
        only: Some(is_dockerfile),
        sample: |g| format!("ENV API_TOKEN {}", g.of(ALNUM, 28)),
        decoys: &[
            "ARG NPM_TOKEN",
            "ENV DB_PASSWORD_FILE /run/secrets/db_password",
        ],
    },
];

const GENERIC_PASSWORD: &str = concat!(
    r#"(?i)(?:^|[^A-Za-z0-9_])(?P<key>[A-Za-z0-9_.-]*(?:password|passwd|pwd|passphrase)[A-Za-z0-9_.-]*)["']?[ \t]*(?::=|=>|=|:)[ \t]*"#,
    r#"(?:"(?P<q>[^"\r\n]{4,200})"|'(?P<q2>[^'\r\n]{4,200})'|(?P<u>[^\s"'`,;)(\]\[{}<>$=:][^\s"'`,;)(\]\[{}<>]{3,200}))"#
);

const GENERIC_SECRET: &str = concat!(
    r#"(?i)(?:^|[^A-Za-z0-9_])(?P<key>[A-Za-z0-9_.-]*(?:secret|token|api[_.-]?key|apikey|access[_.-]?key|auth[_.-]?key|private[_.-]?key|credentials?|signing[_.-]?key|encryption[_.-]?key)[A-Za-z0-9_.-]*)["']?[ \t]*(?::=|=>|=|:)[ \t]*"#,
    r#"(?:"(?P<q>[^"\r\n]{8,300})"|'(?P<q2>[^'\r\n]{8,300})'|(?P<u>[^\s"'`,;)(\]\[{}<>$=:][^\s"'`,;)(\]\[{}<>]{7,300}))"#
);

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Literal values under `data:`/`stringData:` of a Kubernetes `Secret` manifest: found by
/// structure (see `images::kubernetes_secret_values`), not by this rule's regex.
pub static K8S_SECRET: Rule = Rule {
    id: "kubernetes-secret-data",
    description: "a literal value in a committed Kubernetes Secret manifest",
    keywords: &[],
    pattern: r"(?m)^kind:[ \t]*Secret",
    kind: Kind::Token,
    only: None,
    sample: |g| {
        format!(
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\nstringData:\n  password: {}\n",
            g.of(ALNUM, 24)
        )
    },
    decoys: &[
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: <set-by-ci>\n",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  mode: production-blue\n",
    ],
};

#[cfg(test)]
mod tests {
    use super::super::scan::SCANNER;
    use super::*;

    fn path_for(rule: &Rule) -> &'static str {
        if rule.only.is_some() {
            "Dockerfile"
        } else {
            "app/settings.conf"
        }
    }

    #[test]
    fn at_least_fifty_kinds_with_unique_ids_and_keywords() {
        assert!(RULES.len() >= 50, "{} rules", RULES.len());
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.id).collect();
        ids.push(K8S_SECRET.id);
        let n = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate rule ids");
        for r in RULES {
            assert!(!r.keywords.is_empty(), "{}: no keywords", r.id);
            for k in r.keywords {
                assert_eq!(
                    *k,
                    k.to_ascii_lowercase(),
                    "{}: keywords are lowercase",
                    r.id
                );
            }
        }
    }

    #[test]
    fn every_rule_finds_its_generated_samples() {
        for (i, r) in RULES.iter().enumerate() {
            for seed in 0..5u64 {
                let mut g = Gen::new(seed * 1000 + i as u64);
                let line = (r.sample)(&mut g);
                let (found, _) = SCANNER.scan(path_for(r), line.as_bytes());
                assert!(
                    found.iter().any(|f| f.rule == r.id),
                    "{}: sample not found (got {:?})",
                    r.id,
                    found.iter().map(|f| f.rule).collect::<Vec<_>>()
                );
                // Every keyword of the rule must occur in its sample or another sample
                // shape; at least one must, or the prefilter would never run the regex.
                let lower = line.to_ascii_lowercase();
                assert!(r.keywords.iter().any(|k| lower.contains(k)), "{}", r.id);
            }
        }
    }

    #[test]
    fn no_rule_reports_a_decoy() {
        let mut bad = Vec::new();
        for r in RULES.iter().chain([&K8S_SECRET]) {
            // Decoys are lines of code or configuration; each is scanned as both.
            let paths: &[&str] = if r.id == K8S_SECRET.id {
                &["k8s/secret.yaml"]
            } else if r.only.is_some() {
                &["Dockerfile"]
            } else {
                &["src/app.go", "config/app.yaml"]
            };
            for d in r.decoys {
                for path in paths {
                    let (found, _) = SCANNER.scan(path, d.as_bytes());
                    if !found.is_empty() {
                        bad.push(format!(
                            "{}: decoy {d:?} in {path} reported as {:?}",
                            r.id,
                            found.iter().map(|f| f.rule).collect::<Vec<_>>()
                        ));
                    }
                }
            }
        }
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }

    #[test]
    fn kubernetes_sample_is_found() {
        let mut g = Gen::new(7);
        let y = (K8S_SECRET.sample)(&mut g);
        let (found, _) = SCANNER.scan("k8s/secret.yaml", y.as_bytes());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].rule, K8S_SECRET.id);
        assert_eq!(found[0].line, 7);
    }
}
