//! Container-related files: which files end up in or configure images and deployments
//! (Dockerfiles, compose files, Kubernetes manifests, `.env` files), literal values in
//! Kubernetes `Secret` manifests, and secret files copied into images.

use super::judge::{self, Verdict};

pub fn is_yaml(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p.ends_with(".yaml") || p.ends_with(".yml")
}

/// A compose file by name.
pub fn is_compose(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    is_yaml(&name) && (name.starts_with("docker-compose") || name.starts_with("compose"))
}

/// A committed dotenv file (templates such as `.env.example` are meant to be committed).
pub fn is_env_file(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let env = name == ".env" || name.starts_with(".env.") || name.ends_with(".env");
    let template = ["example", "sample", "template", "dist", "defaults", "tmpl"]
        .iter()
        .any(|t| name.contains(t));
    env && !template
}

/// Whether a YAML text is a Kubernetes manifest (has `apiVersion:` and `kind:` at the top level).
pub fn is_manifest_text(data: &[u8]) -> bool {
    let has = |needle: &[u8]| {
        data.windows(needle.len())
            .enumerate()
            .any(|(i, w)| w == needle && (i == 0 || data[i - 1] == b'\n'))
    };
    has(b"apiVersion:") && has(b"kind:")
}

/// (byte offset, value, is a credential) of literal values under `data:` / `stringData:` of
/// every `kind: Secret` document in a YAML text. Values judged not to be credentials are
/// listed too, so that no keyword rule judges the same span again on its encoded text.
pub fn kubernetes_secret_values(data: &[u8]) -> Vec<(usize, String, bool)> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Vec::new();
    };
    if !text.contains("Secret") {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut offset = 0;
    for doc in split_documents(text) {
        let is_secret = doc.lines().any(|l| {
            let t = l.trim_end();
            t == "kind: Secret" || t == "kind: \"Secret\"" || t == "kind: 'Secret'"
        });
        if is_secret {
            let mut in_data = false;
            let mut in_string_data = false;
            let mut line_off = offset;
            for line in doc.split_inclusive('\n') {
                let t = line.trim_end();
                if !t.starts_with([' ', '\t']) && !t.is_empty() {
                    in_data = t == "data:" || t == "stringData:";
                    in_string_data = t == "stringData:";
                } else if in_data
                    && let Some((k, v)) = t.trim_start().split_once(':')
                    && !k.trim().is_empty()
                    && !k.trim_start().starts_with('#')
                {
                    // A comment after the value is not part of it.
                    let v = v.split(" #").next().unwrap_or(v);
                    let v_trim = v.trim().trim_matches(['"', '\'']);
                    if v_trim.len() >= 4
                        && !v_trim.starts_with(['|', '>'])
                        && let Some(p) = line.find(v_trim)
                    {
                        let secret = secret_value(k.trim(), v_trim, in_string_data, t);
                        out.push((line_off + p, v_trim.to_string(), secret));
                    }
                }
                line_off += line.len();
            }
        }
        offset += doc.len();
    }
    out
}

/// Whether a value under a Secret's `data:` (base64) or `stringData:` is a credential, judged
/// like any other assignment of that key: usernames, URLs, `"true"`, bcrypt hashes and CA
/// certificates are not. That a Secret manifest is committed at all is
/// `k8s.no-committed-secret-data`'s to say.
fn secret_value(key: &str, value: &str, string_data: bool, line: &str) -> bool {
    use base64::Engine as _;
    let decoded = if string_data {
        None
    } else {
        base64::engine::general_purpose::STANDARD
            .decode(value)
            .ok()
            .and_then(|b| String::from_utf8(b).ok())
    };
    let plain = decoded.as_deref().unwrap_or(value);
    if plain.contains("PRIVATE KEY-----") {
        return true;
    }
    if plain.contains("-----BEGIN ") {
        // Certificates and public keys are public.
        return false;
    }
    // Binary after decoding (a keystore, random bytes): judged as the encoded text.
    let judged = match decoded.as_deref().map(str::trim_end) {
        Some(d) if !d.is_empty() && !d.chars().any(char::is_control) => d,
        _ => value,
    };
    // Secret data is never interpolated, so a `$` is a character, not a reference; but a
    // value that opens with one is a crypt-style hash (`$2y$…` bcrypt, `$argon2id$…`).
    if judged.starts_with('$') {
        return false;
    }
    let judged = &judged.replace('$', "S");
    let Some(generic) = super::rules::rule("generic-secret") else {
        return true;
    };
    if judge::judge(generic, key, judged, true, line, "") != Verdict::Secret {
        return false;
    }
    // A key that says the value is not secret (`username`, `host`) settles it.
    let k = key.to_ascii_lowercase();
    ![
        "user",
        "host",
        "port",
        "database",
        "db",
        "url",
        "namespace",
        "email",
        "name",
    ]
    .contains(&k.rsplit(['_', '-', '.']).next().unwrap_or(&k))
}

/// The documents of a YAML stream, each with its separator line, covering the text exactly.
fn split_documents(text: &str) -> Vec<&str> {
    let mut docs = Vec::new();
    let mut start = 0;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_end() == "---" && pos > start {
            docs.push(&text[start..pos]);
            start = pos;
        }
        pos += line.len();
    }
    docs.push(&text[start..]);
    docs
}

/// Files that carry secrets into images by `COPY`/`ADD`: keys, dotenv files, credentials.
pub fn secret_file_copied(line: &str) -> Option<String> {
    let t = line.trim_start();
    let upper = t.get(..4).map(str::to_ascii_uppercase);
    if !(upper.as_deref() == Some("COPY") || upper.as_deref() == Some("ADD ")) {
        return None;
    }
    let args: Vec<&str> = t
        .split_whitespace()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let sources = args.split_last().map(|(_, s)| s).unwrap_or(&[]);
    sources
        .iter()
        .map(|s| s.trim_matches(['"', '[', ']', ',']))
        .find(|s| is_secret_file(s))
        .map(str::to_string)
}

fn is_secret_file(src: &str) -> bool {
    let name = src.rsplit('/').next().unwrap_or(src).to_ascii_lowercase();
    is_env_file(&name)
        || matches!(
            name.as_str(),
            "id_rsa"
                | "id_dsa"
                | "id_ecdsa"
                | "id_ed25519"
                | ".npmrc"
                | ".pypirc"
                | ".netrc"
                | ".git-credentials"
                | "credentials"
                | "credentials.json"
                | "service-account.json"
                | "serviceaccount.json"
                | ".dockercfg"
        )
        || name.ends_with(".pem")
        || name.ends_with(".key")
        || name.ends_with(".p12")
        || name.ends_with(".pfx")
        || name.ends_with(".jks")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_values_only_in_secret_documents() {
        let y = "apiVersion: v1\nkind: ConfigMap\ndata:\n  mode: Xq7pL2mZr9Tk\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  password: Xq7pL2mZr9Tk\n  empty: \"\"\n  tmpl: ${PASSWORD}\n";
        let found: Vec<_> = kubernetes_secret_values(y.as_bytes())
            .into_iter()
            .filter(|f| f.2)
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(&y[found[0].0..found[0].0 + 12], "Xq7pL2mZr9Tk");
        assert!(y[..found[0].0].contains("kind: Secret"));
    }

    #[test]
    fn secret_data_is_judged_by_what_it_decodes_to() {
        // base64 of: admin, https://vault.internal:8200, true, a bcrypt hash, a CA
        // certificate, kube-system, a random 24-char password, Password$123456, a private key.
        let y = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  username: YWRtaW4=\n  url: aHR0cHM6Ly92YXVsdC5pbnRlcm5hbDo4MjAw\n  enabled: dHJ1ZQ==\n  htpasswd: JDJ5JDEwJHpPcC9HaDlQVmRUT2Y5SkpwT0M4Lk9LaUV1bWlrL3NSa0E=\n  ca.crt: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUI=\n  namespace: a3ViZS1zeXN0ZW0=\n  password: WHE3cEwybVpyOVRrUnY0bkgxd0I2Y0Vz\n  admin-password: UGFzc3dvcmQkMTIzNDU2 # the sample password\n  tls.key: LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUU=\n";
        let found = kubernetes_secret_values(y.as_bytes());
        let secret: Vec<&str> = found
            .iter()
            .filter(|f| f.2)
            .map(|f| {
                y[..f.0]
                    .lines()
                    .last()
                    .unwrap_or("")
                    .trim()
                    .trim_end_matches(':')
            })
            .collect();
        assert_eq!(
            secret,
            ["password", "admin-password", "tls.key"],
            "{found:?}"
        );
        // Every literal is listed, so no keyword rule judges the encoded text again.
        assert_eq!(found.len(), 9);
    }

    #[test]
    fn copies_of_secret_files() {
        assert_eq!(
            secret_file_copied("COPY .env /app/.env").as_deref(),
            Some(".env")
        );
        assert_eq!(
            secret_file_copied("ADD --chown=app keys/id_rsa /root/.ssh/").as_deref(),
            Some("keys/id_rsa")
        );
        assert_eq!(secret_file_copied("COPY .env.example /app/"), None);
        assert_eq!(secret_file_copied("COPY . /app"), None);
        assert!(is_compose("deploy/docker-compose.prod.yml"));
        assert!(is_env_file("config/.env.production"));
        assert!(!is_env_file(".env.example"));
    }
}
