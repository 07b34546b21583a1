    def request_approval(self, gate: dict) -> None:
        """Ask for a gate (`key`, `pattern`, `title`, `body`, `options`);
        the step runs again once it is decided."""
        wit_gate = approvals.Gate(
            key=gate["key"],
            pattern=approvals.Pattern[gate.get("pattern", "confirm").upper()],
            title=gate["title"],
            body=json.dumps(gate.get("body")),
            options=list(gate.get("options", [])),
        )
        try:
            approvals.request(wit_gate)
        except Err as e:
            raise host_error(e.value) from None

    def decision(self, key: str) -> dict | None:
        """The decision on gate `key` once there is one:
        `{"decision": "approved"}`, or `edited` / `chosen` / `per_item`
        with a `value`, or `skipped` / `cancelled`."""
        try:
            d = approvals.read_decision(key)
        except Err as e:
            raise host_error(e.value) from None
        if d is None:
            return None
        if isinstance(d, approvals.Decision_Edited):
            return {"decision": "edited", "value": json.loads(d.value)}
        if isinstance(d, approvals.Decision_Chosen):
            return {"decision": "chosen", "value": d.value}
        if isinstance(d, approvals.Decision_PerItem):
            return {"decision": "per_item", "value": list(d.value)}
        name = {
            approvals.Decision_Approved: "approved",
            approvals.Decision_Skipped: "skipped",
            approvals.Decision_Cancelled: "cancelled",
        }[type(d)]
        return {"decision": name}

