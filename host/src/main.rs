//! The `baton` command line.

/// mimalloc instead of glibc's malloc: the service allocates and frees
/// many short-lived JSON trees and strings on every thread, where glibc's
/// arenas spent a tenth of the CPU under load (see docs/performance.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    baton::cli::main()
}
