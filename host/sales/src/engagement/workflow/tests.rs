use super::*;

fn p(text: &str) -> Result<Workflow, WorkflowError> {
    parse(Path::new("wf.toml"), text)
}

/// A small valid workflow, with `extra` appended.
fn with(extra: &str) -> String {
    format!(
        r#"workflow_type = "t"
version = 1
initial = "a"
roles = ["rep"]

[fields]
x = "a fact"

[[track]]
name = "lifecycle"
owner = "rep"

[[stage]]
name = "a"
owner = "rep"

[[stage]]
name = "b"
terminal = true

[[transition]]
from = "a"
to = "b"
on = "go"
requires = ["x"]
{extra}"#
    )
}

fn err(text: &str) -> WorkflowError {
    match p(text) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn the_shipped_workflow_is_valid() {
    let w = Workflow::shipped();
    assert_eq!(w.workflow_type, "completetech_services");
    let names: Vec<&str> = w.stages.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "discovery",
            "proposal",
            "contract",
            "delivery",
            "customer_success",
            "closed",
            "lost"
        ]
    );
    let t = w.transition("proposal", "proposal_accepted").unwrap();
    assert_eq!(t.to, "contract");
    assert_eq!(
        w.transition("contract", "contract_signed").unwrap().gate,
        Some(ApprovalClass::LegalOrContract)
    );
    assert!(
        w.routes("billing_dispute")
            .any(|r| r.status == TrackStatus::Blocked)
    );
}

#[test]
fn a_small_workflow_parses() {
    let w = p(&with("")).unwrap();
    assert_eq!(w.transitions.len(), 1);
    assert_eq!(w.transitions[0].requires, ["x"]);
}

#[test]
fn an_unknown_stage_is_named_at_its_line() {
    let e = err(&with(
        "\n[[transition]]\nfrom = \"a\"\nto = \"nowhere\"\non = \"leave\"\nrequires = []\n",
    ));
    assert!(e.message.contains("unknown stage `nowhere`"), "{e}");
    assert_eq!(e.line, 29, "{e}");
    assert!(e.to_string().starts_with("wf.toml:29:6:"), "{e}");
}

#[test]
fn an_unreachable_stage_is_refused_at_its_table() {
    let e = err(&with("\n[[stage]]\nname = \"island\"\nterminal = true\n"));
    assert!(e.message.contains("`island` cannot be reached"), "{e}");
    assert_eq!(e.line, 27, "{e}");
}

#[test]
fn a_transition_without_its_required_fields_is_refused() {
    // `requires` omitted.
    let e = err(&with(
        "\n[[transition]]\nfrom = \"a\"\nto = \"b\"\non = \"skip\"\n",
    ));
    assert!(e.message.contains("missing field `requires`"), "{e}");
    assert_eq!(e.line, 27, "{e}");
    // A field nobody declared.
    let e = err(&with(
        "\n[[transition]]\nfrom = \"a\"\nto = \"b\"\non = \"skip\"\nrequires = [\"seats\"]\n",
    ));
    assert!(e.message.contains("`seats` is not in [fields]"), "{e}");
    assert_eq!(e.line, 31, "{e}");
}

#[test]
fn a_cycle_with_no_exit_is_refused() {
    let text = with(
        "\n[[stage]]\nname = \"c\"\n\n[[stage]]\nname = \"d\"\n\n\
         [[transition]]\nfrom = \"a\"\nto = \"c\"\non = \"loop\"\nrequires = []\n\n\
         [[transition]]\nfrom = \"c\"\nto = \"d\"\non = \"on\"\nrequires = []\n\n\
         [[transition]]\nfrom = \"d\"\nto = \"c\"\non = \"back\"\nrequires = []\n",
    );
    let e = err(&text);
    assert!(e.message.contains("cycle with no exit"), "{e}");
    assert!(e.message.contains("c, d"), "{e}");
    assert_eq!(e.line, 27, "{e}");
}

#[test]
fn a_dead_end_is_refused() {
    let e = err(&with(
        "\n[[stage]]\nname = \"stuck\"\n\n[[transition]]\nfrom = \"a\"\nto = \"stuck\"\non = \"wander\"\nrequires = []\n",
    ));
    assert!(
        e.message
            .contains("`stuck` is not terminal and no transition leaves it"),
        "{e}"
    );
}

#[test]
fn other_mistakes_are_named() {
    for (extra, want) in [
        ("\n[[stage]]\nname = \"a\"\n", "defined twice"),
        (
            "\n[[route]]\non = \"go\"\ntrack = \"nope\"\nstatus = \"blocked\"\n",
            "unknown track `nope`",
        ),
        (
            "\n[[route]]\non = \"go\"\ntrack = \"lifecycle\"\nstatus = \"sideways\"\n",
            "unknown variant `sideways`",
        ),
        (
            "\n[[transition]]\nfrom = \"a\"\nto = \"b\"\non = \"go\"\nrequires = []\n",
            "one event, one transition",
        ),
        (
            "\n[[transition]]\nfrom = \"b\"\nto = \"a\"\non = \"again\"\nrequires = []\n",
            "`b` is terminal",
        ),
        (
            "\n[[transition]]\nfrom = \"a\"\nto = \"b\"\non = \"x\"\nrequires = []\ngate = \"finance\"\n",
            "unknown variant `finance`",
        ),
        (
            "\n[[transition]]\nfrom = \"a\"\nto = \"b\"\non = \"y\"\nrequires = []\ngate_permits = [\"send\"]\n",
            "`gate_permits` without a `gate`",
        ),
        (
            "\n[[transition]]\nfrom = \"a\"\nto = \"b\"\non = \"y\"\nrequires = []\ngate = \"commercial\"\ngate_permits = [\"Send it\"]\n",
            "`Send it` in gate_permits",
        ),
        ("\nsurprise = 1\n", "unknown field `surprise`"),
    ] {
        let e = err(&with(extra));
        assert!(e.message.contains(want), "{extra:?}: {e}");
        assert!(e.line > 0, "{e}");
    }
    let e = err(&with("").replace(
        "owner = \"rep\"\n\n[[stage]]",
        "owner = \"boss\"\n\n[[stage]]",
    ));
    assert!(
        e.message.contains("owner `boss` is not one of the roles"),
        "{e}"
    );
}

#[test]
fn a_bad_field_name_is_refused_at_its_line() {
    let e = err(&with("").replace("x = \"a fact\"", "Seats = \"a fact\""));
    assert!(e.message.contains("field `Seats` must be lowercase"), "{e}");
    assert_eq!(e.line, 7, "{e}");
}

#[test]
fn no_terminal_stage_is_refused() {
    let e = err(&with("").replace("terminal = true", "terminal = false"));
    assert!(e.message.contains("no stage is terminal"), "{e}");
}
