"""The component's entry: binds `{{module}}` to the host's imports
(componentize-py's generated `wit_world` modules) and exports `describe`
and `run`. Built with

    componentize-py -d wit -w {{name}} componentize app -o {{name}}.wasm
"""

import json

import {{module}}
from baton import HostError, SkillError
from componentize_py_types import Err
from wit_world import WitWorld as World
from wit_world.imports import {{imports}}


class Host:
    """The real host, as `{{module}}` asks for it (`tests/fake_host.py`
    is the fake one)."""
{{methods}}
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
        m = {{module}}.manifest()
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
            out = {{module}}.run(call_input(input), Host())
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
