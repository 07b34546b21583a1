//! A plain `wasi:cli` hello world: baton must refuse it, not run it.
fn main() {
    println!("hello from a command, not a skill");
}
