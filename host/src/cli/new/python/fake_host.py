"""A fake host for native tests, like the Rust SDK's `FakeHost`: it serves
what a test sets up and grants exactly the capabilities given (the
skill's declared ones), refusing anything else with `denied` as the real
host does; it records gates, log lines and refusals."""

from __future__ import annotations

import json

from baton import HostError


class FakeHost:
    def __init__(self, capabilities: list[str]):
        self.grants = set(capabilities)
        self.tiers: dict[str, object] = {}
        self.decisions: dict[str, dict] = {}
        self.llm = None
        self.gates: list[dict] = []
        self.logs: list[tuple[str, str]] = []
        self.denied: list[str] = []

    def org(self, value: object) -> FakeHost:
        """Tier 1 context (needs `context:org`)."""
        self.tiers["org"] = value
        return self

    def contact(self, value: object) -> FakeHost:
        """Tier 2 context (needs `context:contact`)."""
        self.tiers["contact"] = value
        return self

    def external(self, provider: str, value: object) -> FakeHost:
        """Tier 3 context from `provider` (needs `context:external:<provider>`)."""
        self.tiers[f"external:{provider}"] = value
        return self

    def decided(self, key: str, decision: dict) -> FakeHost:
        """The decision on gate `key`, e.g. `{"decision": "approved"}`."""
        self.decisions[key] = decision
        return self

    def answers(self, respond) -> FakeHost:
        """The LLM: `respond(prompt, system)` returns the completion text."""
        self.llm = respond
        return self

    def revoke(self, capability: str) -> FakeHost:
        self.grants.discard(capability)
        return self

    def _need(self, capability: str) -> None:
        if capability not in self.grants:
            self.denied.append(capability)
            raise HostError("denied", f"`{capability}` is not granted")

    def read_context(self, tier: str, provider: str | None = None) -> str:
        key = tier if provider is None else f"{tier}:{provider}"
        self._need(f"context:{key}")
        if key not in self.tiers:
            raise HostError("not-found", f"no context for `context:{key}`")
        return json.dumps(self.tiers[key])

    def request_approval(self, gate: dict) -> None:
        self._need("approvals")
        self.gates.append(gate)

    def decision(self, key: str) -> dict | None:
        self._need("approvals")
        return self.decisions.get(key)

    def complete(self, prompt: str, system: str | None = None, max_tokens: int = 512) -> str:
        self._need("llm")
        if self.llm is None:
            raise HostError("unavailable", "no LLM answers set up")
        return self.llm(prompt, system)

    def log(self, level: str, message: str) -> None:
        self.logs.append((level, message))
