//! `cargo xtask train [--report]` runs this natively: rewrites
//! `data/model.json` from the labelled sets, or prints the grouped
//! evaluation (see `classify_email_intent::training`).

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match classify_email_intent::training::main(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("train: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}
