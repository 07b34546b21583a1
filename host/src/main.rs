//! The `baton` command line.

fn main() -> std::process::ExitCode {
    baton::cli::main()
}
