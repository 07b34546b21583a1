"""`{{name}}` against the fake host."""

import pytest

import {{module}}
from baton import SkillError
from fake_host import FakeHost


def call(payload: object) -> dict:
    return {
        "event": {"id": "e1", "type": "demo", "source": "test", "org": "acme", "user": "rep1",
                  "payload": payload, "chain_depth": 0},
        "params": {},
        "previous": [],
    }  # fmt: skip


def host() -> FakeHost:
    """A fake host granting exactly what the skill declares."""
    return FakeHost({{module}}.CAPABILITIES)


def test_echoes_the_subject():
    out = {{module}}.run(call({"subject": "hello"}), host())
    assert out["data"] == {"echo": "hello"}


def test_a_payload_of_the_wrong_shape_is_invalid_input():
    with pytest.raises(SkillError) as e:
        {{module}}.run(call({"subject": 5}), host())
    assert e.value.kind == "invalid-input"
