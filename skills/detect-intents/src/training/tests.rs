use super::*;

fn shipped() -> String {
    std::fs::read_to_string(model_file())
        .unwrap_or_else(|e| panic!("{}: {e} (run `cargo xtask train`)", model_file().display()))
}

/// Nobody ships hand-edited weights or gates: training on the shipped sets
/// gives the shipped file, byte for byte.
#[test]
fn the_shipped_model_is_what_training_gives() {
    let trained = train_shipped().expect("trains");
    assert!(
        shipped() == trained,
        "data/model.json is not what `cargo xtask train` writes from the sets: run it"
    );
}
