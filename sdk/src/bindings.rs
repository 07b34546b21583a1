//! Generated bindings for the `baton:skill` world. Skill authors use the typed
//! API of the crate root instead.

wit_bindgen::generate!({
    world: "skill",
    path: "../wit",
    pub_export_macro: true,
    export_macro_name: "__export_skill_world",
    default_bindings_module: "baton_sdk::bindings",
});
