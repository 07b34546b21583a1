//! `baton workflow check` and `baton deal show` as an operator meets them:
//! the shipped workflow checks, an invalid one is refused naming its line
//! (exit 2), and an unknown deal is an error, not an empty page.

use baton_tests::{baton, root};

#[test]
fn the_shipped_workflow_checks_and_an_invalid_one_is_refused_at_its_line() {
    let shipped = root().join("workflows/completetech_services.toml");
    let r = baton(["workflow", "check", &shipped.display().to_string()]);
    assert_eq!(r.code, 0, "{r:#?}");
    assert!(
        r.stdout.contains("completetech_services v1: 7 stages"),
        "{r:#?}"
    );
    let r = baton(["workflow", "check"]);
    assert_eq!(r.code, 0, "the default is the shipped one: {r:#?}");

    let text = std::fs::read_to_string(&shipped).expect("read");
    let dir = tempfile::tempdir().expect("tempdir");
    let cases = [
        // A transition to a stage nobody defined.
        (
            text.replacen("to = \"contract\"", "to = \"contracts\"", 1),
            "unknown stage `contracts`",
        ),
        // A transition that does not say what it requires.
        (
            text.replacen("requires = [\"acceptance\"]\n", "", 1),
            "missing field `requires`",
        ),
        // The only way into `closed` redirected: it cannot be reached.
        (
            text.replacen(
                "from = \"customer_success\"\nto = \"closed\"",
                "from = \"customer_success\"\nto = \"delivery\"",
                1,
            ),
            "stage `closed` cannot be reached from `discovery`",
        ),
    ];
    for (n, (bad, want)) in cases.iter().enumerate() {
        let file = dir.path().join(format!("bad{n}.toml"));
        std::fs::write(&file, bad).expect("write");
        let r = baton(["workflow", "check", &file.display().to_string()]);
        assert_eq!(r.code, 2, "{r:#?}");
        let shown = format!("{}:", file.display());
        assert!(
            r.stderr.contains(&shown),
            "the file and line are named: {r:#?}"
        );
        assert!(r.stderr.contains(want), "{want}: {r:#?}");
    }
}

#[test]
fn an_unknown_deal_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("b.db").display().to_string();
    let r = baton([
        "import",
        "--database",
        &db,
        &root().join("examples/demo.json").display().to_string(),
    ]);
    assert_eq!(r.code, 0, "{r:#?}");
    let r = baton(["deal", "show", "no-such-deal", "--database", &db]);
    assert_eq!(r.code, 2, "{r:#?}");
    assert!(r.stderr.contains("no deal `no-such-deal`"), "{r:#?}");
}
