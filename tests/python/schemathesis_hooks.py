"""schemathesis hooks for baton's /openapi.json, loaded through
SCHEMATHESIS_HOOKS by tests/all/schema.rs and `cargo xtask fuzz`."""

import schemathesis

# `PUT /v1/admin/skills/{name}` takes a component's bytes (`application/wasm`):
# generated bodies go as any binary body does (without a serializer
# schemathesis reports the operation as an error and tests nothing there).
schemathesis.serializer.alias("application/wasm", "application/octet-stream")
