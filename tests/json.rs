//! `-o json` documents keep their documented shape (the README's JSON section): the exact set
//! of keys, snake_case, times in RFC 3339, and every machine with `id`, `type` and `state`.

use serde_json::{Value, json};

use crate::common::TestEnv;

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    k.sort();
    k
}

#[test]
fn machines_json_shape() {
    let env = TestEnv::with_files(&[(
        "fleet.yaml",
        "version: 1\nmachines:\n  web1:\n    name: Web One\n    address: 10.0.0.5\n    tdp_w: 35\n    tags: [web]\n    services: [nginx]\n  laptop:\n    type: workstation\n    address: laptop.tail1234.ts.net\n",
    )]);
    let doc = env.run(&["machines", "-o", "json"]).code(0).json();
    assert_eq!(keys(&doc), ["currency", "machines"]);
    assert_eq!(doc["currency"], "GBP");
    let web1 = &doc["machines"][0];
    assert_eq!(
        keys(web1),
        [
            "address",
            "connect",
            "cost_per_month",
            "id",
            "last_seen",
            "location",
            "name",
            "packs",
            "paused",
            "services",
            "state",
            "tags",
            "tdp_w",
            "type"
        ]
    );
    assert_eq!(
        *web1,
        json!({
            "id": "web1", "name": "Web One", "type": "server", "state": "unknown", "paused": false,
            "last_seen": null, "address": "10.0.0.5", "connect": "direct", "tdp_w": 35,
            "cost_per_month": 6.05,
            "location": null, "tags": ["web"], "services": ["nginx"], "packs": []
        })
    );
    let laptop = &doc["machines"][1];
    assert_eq!(
        (
            laptop["type"].as_str(),
            laptop["connect"].as_str(),
            laptop["name"].as_str()
        ),
        (Some("workstation"), Some("tailscale"), Some("laptop"))
    );

    let filtered = env
        .run(&["machines", "-o", "json", "--type", "workstation"])
        .json();
    assert_eq!(filtered["machines"].as_array().unwrap().len(), 1);
    let tagged = env.run(&["machines", "-o", "json", "--tag", "web"]).json();
    assert_eq!(tagged["machines"][0]["id"], "web1");
    let none = env
        .run(&["machines", "-o", "json", "--tag", "web", "--tag", "db"])
        .json();
    assert_eq!(none["machines"], json!([]));
}

#[test]
fn packs_json_shapes() {
    let env = TestEnv::fleet();
    env.write("packs/web.yaml", "description: web servers\nextends: base\ndirectories: [/srv/www]\nfiles:\n  - path: /etc/motd\n    content: \"hello\\n\"\n    mode: 644\n    owner: root\npackages: [nginx]\n");
    env.commit("web pack");
    let doc = env.run(&["packs", "-o", "json"]).code(0).json();
    assert_eq!(
        doc["packs"][1],
        json!({"name": "web", "description": "web servers", "extends": ["base"], "files": 1, "directories": 1, "packages": 1, "machines": []})
    );
    assert_eq!(doc["packs"][0]["machines"], json!(["web1"]));

    let show = env
        .run(&["packs", "show", "web", "-o", "json"])
        .code(0)
        .json();
    assert_eq!(
        keys(&show),
        [
            "chain",
            "description",
            "directories",
            "file",
            "files",
            "name",
            "packages"
        ]
    );
    assert_eq!(show["chain"], json!(["base", "web"]));
    assert_eq!(
        show["files"],
        json!([
            {"path": "~/.bashrc", "content": {"source": "files/bashrc"}, "mode": "0644", "owner": null, "group": null, "from": "base"},
            {"path": "/etc/motd", "content": {"inline": "hello\n"}, "mode": "0644", "owner": "root", "group": null, "from": "web"}
        ])
    );
    assert_eq!(
        show["directories"],
        json!([{"path": "/srv/www", "mode": null, "owner": null, "from": "web"}])
    );
    assert_eq!(
        show["packages"],
        json!([{"name": "curl", "version": {"op": ">=", "version": "7.88"}, "from": "base"}, {"name": "nginx", "from": "web"}])
    );

    let run = env.run(&["packs", "show", "wbe"]);
    run.code(2);
    assert_eq!(
        run.stderr,
        "error: unknown pack `wbe`\nhint: did you mean `web`? valid packs: base, web\n"
    );
}

#[test]
fn validate_json_for_valid_and_invalid_fleets() {
    let env = TestEnv::fleet();
    let head = env.git(&["rev-parse", "HEAD"]);
    let doc = env.run(&["validate", "-o", "json"]).code(0).json();
    assert_eq!(
        doc,
        json!({
            "valid": true,
            "source": {"commit": head, "description": format!("commit {} (HEAD)", &head[..7])},
            "summary": {"machines": 1, "servers": 1, "workstations": 0, "packs": 1, "groups": 0, "commands": 0},
            "errors": []
        })
    );

    env.write(
        "fleet.yaml",
        "version: 1\nmachines:\n  web1: { address: web1.lan, packs: [bsae] }\n",
    );
    let run = env.run(&["validate", "-o", "json", "--worktree"]);
    run.code(2);
    assert_eq!(
        run.json(),
        json!({
            "valid": false,
            "source": {"commit": null, "description": format!("the work tree at {}", env.repo.display())},
            "errors": [{
                "file": "fleet.yaml", "line": 3, "column": 38, "message": "unknown pack `bsae`",
                "hint": "did you mean `base`? valid packs (files in packs/): base"
            }]
        })
    );
    assert_eq!(
        run.stderr,
        "error: the fleet is invalid: 1 problem in 1 file\n"
    );
}

#[test]
fn a_file_that_is_not_utf8_is_named() {
    let env = TestEnv::fleet();
    env.write_bytes("packs/latin1.yaml", b"description: caf\xe9\n");
    env.commit("latin-1 pack");
    let doc = env.run(&["validate", "-o", "json"]).json();
    assert_eq!(
        doc["errors"],
        json!([{"file": "packs/latin1.yaml", "line": 1, "column": 17, "message": "this file is not UTF-8 text", "hint": "save it as UTF-8"}])
    );
}
