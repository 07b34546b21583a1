"""The `{{name}}` skill: describe what it does here.

Pure logic: `run` is handed the call's input as JSON and the host
(`app.py` binds the real one, `tests/fake_host.py` is a fake one), so
pytest runs it without wasm.
"""

from __future__ import annotations

from baton import SkillError

NAME = "{{name}}"
VERSION = "0.1.0"
SUMMARY = "Describe what {{name}} does in one line."
# What the skill needs; `wit/world.wit` imports exactly the interfaces
# these need (regenerate it with `baton new skill` when they change).
CAPABILITIES = {{capabilities}}
# Fuel one call usually needs (`baton skill run --stats` shows fuel_used).
DEFAULT_FUEL = 100_000_000


def manifest() -> dict:
    """Who the skill is and what it needs. Must not call the host."""
    return {
        "name": NAME,
        "version": VERSION,
        "summary": SUMMARY,
        "capabilities": CAPABILITIES,
        "default_fuel": DEFAULT_FUEL,
        # JSON Schema of the step params and of the output's data.
        "input_schema": {"type": "object", "additionalProperties": False},
        "output_schema": {
            "type": "object",
            "properties": {"echo": {"type": "string"}},
            "required": ["echo"],
        },
    }


def run(input: dict, host) -> dict:
    """One call. `input` is `{"event": {"type", "payload", ...}, "params",
    "previous"}`; returns `{"data": ..., "follow_ups": [...], "actions":
    [...]}` (the lists may be left out). Raise `SkillError` to refuse."""
    payload = input["event"]["payload"]
    if not isinstance(payload, dict):
        raise SkillError("invalid-input", "event payload: expected a JSON object")
    subject = payload.get("subject", "")
    if not isinstance(subject, str):
        raise SkillError("invalid-input", "event payload: `subject` must be a string")
    host.log("debug", "echoing the subject")
    return {"data": {"echo": subject}}
