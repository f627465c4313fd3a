//! `config.env-documented` takes the variables a checklist declares in another section.

use gonogo_engine::bind::bind_all;
use gonogo_engine::config::Config;
use gonogo_engine::parse::parse_str;

#[test]
fn variables_declared_under_an_environment_heading_elsewhere_are_required() {
    let src = "# C\n## 1.2 Configuration\n- [ ] Environment variables documented\n\n## 6. Application\n### 6.1 Required Environment Variables\n\n```bash\nDATABASE_HOST=<host>\nJWT_SECRET=<32+-char-secret>\n```\n\n### 7.1 Deploy\n```bash\nEXPORTED_BY_SCRIPT=1\nkubectl apply -f k8s/\n```\n";
    let cl = parse_str(src, "c.md").unwrap().checklist;
    let b = bind_all(
        std::slice::from_ref(&cl),
        &gonogo_checks::catalogue(),
        &Config::default(),
    )
    .unwrap();
    let binding = b[0][0]
        .bindings
        .iter()
        .find(|x| x.check.id == "config.env-documented")
        .expect("bound");
    let required: Vec<&str> = binding.params["required"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_str())
        .collect();
    assert_eq!(
        required,
        ["DATABASE_HOST", "JWT_SECRET"],
        "only the environment section's block counts"
    );
}
