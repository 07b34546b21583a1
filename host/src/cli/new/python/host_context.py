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

