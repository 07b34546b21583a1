"""find-content's behaviour against a fake host (the tests the Rust crate
had, and the edges of its input)."""

import pytest

import find_content
from baton import SkillError
from stems import stem, stems
from fake_host import FakeHost

LIBRARY = {
    "items": [
        {"id": "security-pack", "title": "Security pack", "kind": "security",
         "tags": ["security questionnaire", "infosec", "data residency"], "audience": ["it_security"],
         "file": "security-pack.pdf"},
        {"id": "soc2-summary", "title": "SOC 2 Type II report summary", "kind": "security",
         "tags": ["soc 2", "audit"], "audience": ["it_security"], "url": "https://demo.example/trust/soc2"},
        {"id": "dpa", "title": "Data Processing Agreement", "kind": "legal",
         "tags": ["dpa", "gdpr", "data processing"], "audience": ["legal"], "url": "https://demo.example/legal/dpa"},
        {"id": "pricing-sheet", "title": "2026 pricing sheet", "kind": "pricing",
         "tags": ["price list", "seats"], "audience": ["finance"], "url": "https://demo.example/pricing"},
        {"id": "cs-northstar", "title": "How Northstar Freight cut renewal churn", "kind": "case_study",
         "tags": ["customer story", "logistics", "freight"], "url": "https://demo.example/stories/northstar"},
        {"id": "cs-atlas", "title": "Atlas Warehousing: one renewal calendar for 12 sites", "kind": "case_study",
         "tags": ["customer story", "warehousing", "multi-site"], "url": "https://demo.example/stories/atlas"},
        {"id": "broken"},
    ]
}  # fmt: skip


def call(payload, params=None):
    return {
        "event": {"id": "e1", "type": "content_retrieval", "source": "test", "org": "acme",
                  "user": "rep1", "payload": payload, "chain_depth": 0},
        "params": {} if params is None else params,
        "previous": [],
    }  # fmt: skip


def host():
    return FakeHost(find_content.CAPABILITIES).external("content_library", LIBRARY)


def run(request, h=None):
    return found(call({"request": request, "meeting_id": "m1"}), h)


def found(input, h=None):
    return find_content.run(input, h or host())["data"]


def ids(data):
    return [m["id"] for m in data["matched"]]


def test_the_demo_call_gets_the_pack_and_the_dpa():
    data = run("Of course. I'll send you our security pack and the data processing agreement today.")
    assert ids(data) == ["dpa", "security-pack"], data
    assert data["matched"][1]["file"] == "security-pack.pdf"
    assert data["matched"][1]["url"] is None
    assert data["asked_for"] == ["security", "legal"]
    assert "reason" not in data


def test_synonyms_and_inflections_find_the_same_things():
    assert ids(run("Could you send over your SOC 2 report?")) == ["soc2-summary"]
    assert ids(run("Ken will want your security questionnaire answered")) == ["security-pack"]
    assert ids(run("Do you have customer stories from logistics companies?")) == ["cs-northstar"]
    assert ids(run("a case study from a warehouse operator would help")) == ["cs-atlas"]
    assert ids(run("Send me your prices for forty seats")) == ["pricing-sheet"]


def test_a_case_study_without_a_market_sends_both_rather_than_guessing():
    assert ids(run("I'll send you a case study.")) == ["cs-atlas", "cs-northstar"]


def test_nothing_fits_says_so_instead_of_the_nearest_item():
    data = run("I'll send over the integration roadmap next week.")
    assert data["matched"] == []
    assert data["asked_for"] == ["integration"]
    assert data["reason"] == "nothing in the content library is about integration"
    data = run("I'll send you the thing we talked about for the logistics team.")
    assert data["matched"] == [], "an industry alone is not a match"
    assert data["reason"].startswith("the request names nothing"), data


def test_no_library_is_a_reason_too():
    h = FakeHost(find_content.CAPABILITIES)
    data = found(call({"trigger_phrase": "send the security pack"}), h)
    assert data["matched"] == []
    assert "no content library" in data["reason"], data
    assert data["request"] == "send the security pack"


def test_the_request_and_its_trigger_phrase_count_once():
    payload = {"request": "Send the security pack.", "trigger_phrase": "security pack"}
    data = found(call(payload), host())
    assert data["request"] == "Send the security pack."
    data = found(call({"request": "  ", "trigger_phrase": None}), host())
    assert data["request"] is None


def test_max_items_cuts_the_list():
    data = found(call({"request": "I'll send you a case study."}, {"max_items": 1}), host())
    assert ids(data) == ["cs-atlas"]


def test_bad_params_and_payloads_are_invalid_input():
    for params in [{"max_item": 2}, {"max_items": "two"}, ["x"]]:
        with pytest.raises(SkillError) as e:
            found(call({"request": "x"}, params), host())
        assert e.value.kind == "invalid-input", params
    for payload in [{"request": 5}, ["security pack"], {"utterance": -1}]:
        with pytest.raises(SkillError) as e:
            found(call(payload), host())
        assert e.value.kind == "invalid-input", payload


def test_a_denied_library_fails_the_call():
    h = host().revoke("context:external:content_library")
    with pytest.raises(SkillError) as e:
        run("the security pack", h)
    assert e.value.kind == "failed"
    assert e.value.message.startswith("denied: "), e.value.message
    assert h.denied == ["context:external:content_library"]


def test_inflections_meet_at_their_stem():
    assert stems("Pricing, prices & the PRICE") == ["pric", "pric", "the", "pric"]
    assert stems("case studies / case study") == ["case", "study", "case", "study"]
    assert stem("warehousing") == stem("warehouse")
    assert stem("processing") == stem("process")
    assert stems("SOC2 isn't it") == ["soc2", "isnt", "it"]
    assert stem("status") == "status"


def test_an_email_counts_only_the_sentences_that_ask_for_something_to_be_sent():
    asked = find_content.run(
        call({"newest": "Thanks for the call.\nCould you send me your security questionnaire answers "
              "and the data processing agreement? Our legal team reviews on Fridays."}),
        host(),
    )["data"]
    assert sorted(m["id"] for m in asked["matched"]) == ["dpa", "security-pack"]
    assert "legal team" not in asked["request"]
    # Talk about the same things, asking for nothing: nothing to send.
    remarks = find_content.run(
        call({"newest": "Our legal team signed the DPA. Security had no questions about SOC 2."}),
        host(),
    )["data"]
    assert remarks["matched"] == []
    # An ask for something the library does not hold: nothing either.
    parking = find_content.run(call({"newest": "Can you send me the parking instructions?"}), host())["data"]
    assert parking["matched"] == []
    with pytest.raises(SkillError):
        find_content.run(call({"newest": 7}), host())
    # Without `newest` (an event posted by API), the body up to its quoted
    # history: the rep's own earlier words ask for nothing.
    body = ("Thanks, all clear on our side.\n\nOn Fri, 20 Nov 2026, Jordan Avery wrote:\n"
            "> Could you send me your security questionnaire?")
    assert find_content.run(call({"body": body}), host())["data"]["matched"] == []
    asked = find_content.run(call({"body": "Please share the SOC 2 report.\n> old"}), host())["data"]
    assert [m["id"] for m in asked["matched"]] == ["soc2-summary"]


def test_a_battlecard_is_never_offered_to_a_prospect():
    library = {"items": LIBRARY["items"] + [
        {"id": "bc-gainsight", "title": "Gainsight comparison", "kind": "battlecard",
         "tags": ["gainsight", "comparison", "case study"], "url": "https://demo.example/internal/gainsight"},
    ]}  # fmt: skip
    h = FakeHost(find_content.CAPABILITIES).external("content_library", library)
    data = run("Could you send me your Gainsight comparison and a case study?", h)
    assert "bc-gainsight" not in ids(data), data
