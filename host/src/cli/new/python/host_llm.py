    def complete(self, prompt: str, system: str | None = None, max_tokens: int = 512) -> str:
        """The model's answer to `prompt`, metered and charged to the org."""
        req = llm.Request(system=system, prompt=prompt, max_tokens=max_tokens, temperature=None)
        try:
            return llm.complete(req).text
        except Err as e:
            raise host_error(e.value) from None

