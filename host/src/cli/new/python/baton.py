"""The baton skill contract's errors, for the skill's pure code: it raises
`SkillError` and catches `HostError`; `app.py` turns them into the WIT
variants. Nothing here talks to the host."""

from __future__ import annotations


class HostError(Exception):
    """A host import refused or failed. `kind` is the WIT case: `denied`,
    `not-found`, `unavailable` or `invalid`."""

    def __init__(self, kind: str, message: str):
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message


class SkillError(Exception):
    """Why the skill refused or failed a call. `kind` is the WIT case:
    `invalid-input` (retrying will not help), `unavailable` (a retry may)
    or `failed`."""

    def __init__(self, kind: str, message: str):
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message

    @staticmethod
    def from_host(e: HostError) -> SkillError:
        """A host failure as the skill reports it: `unavailable` stays
        retriable, anything else fails the call."""
        if e.kind == "unavailable":
            return SkillError("unavailable", e.message)
        return SkillError("failed", f"{e.kind.replace('-', ' ')}: {e.message}")
