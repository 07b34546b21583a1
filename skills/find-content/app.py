"""The component's entry: binds `find_content` to the host's imports
(componentize-py's generated `wit_world` modules) and exports `describe`
and `run`. Built with

    componentize-py -d wit -w find-content componentize app -o find-content.wasm
"""

import json

import find_content
from baton import HostError, SkillError
from componentize_py_types import Err
from wit_world import WitWorld as World
from wit_world.imports import context, log, types


class Host:
    """The real host, as `find_content` asks for it (`tests/fake_host.py`
    is the fake one)."""

    def read_context(self, tier: str, provider: str | None = None) -> str:
        """A context tier as JSON text: `org`, `contact`, or `external`
        with its provider's name."""
        wit_tier = {
            "org": context.Tier_Org,
            "contact": context.Tier_Contact,
            "external": lambda: context.Tier_External(provider or ""),
        }[tier]()
        try:
            return context.read(wit_tier)
        except Err as e:
            raise host_error(e.value) from None

    def log(self, level: str, message: str) -> None:
        """A log line: `debug`, `info`, `warn` or `error`."""
        log.write(log.Level[level.upper()], message)


def host_error(e: types.HostError) -> HostError:
    """The WIT host-error as the pure code's exception."""
    kind = {
        types.HostError_Denied: "denied",
        types.HostError_NotFound: "not-found",
        types.HostError_Unavailable: "unavailable",
        types.HostError_Invalid: "invalid",
    }[type(e)]
    return HostError(kind, e.value)


def skill_error(e: SkillError) -> types.SkillError:
    """The pure code's exception as the WIT skill-error."""
    case = {
        "invalid-input": types.SkillError_InvalidInput,
        "unavailable": types.SkillError_Unavailable,
    }.get(e.kind, types.SkillError_Failed)
    return case(e.message)


def call_input(i: types.Input) -> dict:
    """The WIT input as JSON, the shape `baton skill run --input` takes."""
    ev = i.event
    return {
        "event": {
            "id": ev.id,
            "type": ev.event_type,
            "source": ev.source,
            "org": ev.org,
            "user": ev.user,
            "payload": json.loads(ev.payload),
            "chain_depth": ev.chain_depth,
        },
        "params": json.loads(i.params),
        "previous": [
            {"step": p.step, "skill": p.skill, "data": json.loads(p.data)} for p in i.previous
        ],
    }


class WitWorld(World):
    def describe(self) -> types.Manifest:
        m = find_content.manifest()
        return types.Manifest(
            name=m["name"],
            version=m["version"],
            summary=m["summary"],
            capabilities=m["capabilities"],
            default_fuel=m["default_fuel"],
            input_schema=json.dumps(m["input_schema"]),
            output_schema=json.dumps(m["output_schema"]),
        )

    def run(self, input: types.Input) -> types.Output:
        try:
            out = find_content.run(call_input(input), Host())
        except SkillError as e:
            raise Err(skill_error(e)) from None
        return types.Output(
            data=json.dumps(out.get("data")),
            follow_ups=[
                types.FollowUp(
                    event_type=f["type"],
                    payload=json.dumps(f.get("payload", {})),
                    confidence=float(f.get("confidence", 1.0)),
                    reason=f.get("reason", ""),
                )
                for f in out.get("follow_ups", [])
            ],
            actions=[
                types.ProposedAction(
                    kind=types.ActionKind[a["kind"].upper()],
                    preview=a["preview"],
                    payload=json.dumps(a["payload"]),
                )
                for a in out.get("actions", [])
            ],
        )
