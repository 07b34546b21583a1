//! `cargo xtask train [--report]` runs this natively: rewrites
//! `data/model.json` from the labelled sets, or prints the grouped
//! evaluation (see `detect_intents::training`).

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match detect_intents::training::main(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("train: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
