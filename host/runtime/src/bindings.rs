//! Host-side bindings for the `baton:skill` world (see `wit/skill.wit`).

wasmtime::component::bindgen!({
    path: "../../wit",
    world: "skill",
    imports: { default: async | trappable },
    exports: { default: async },
});
