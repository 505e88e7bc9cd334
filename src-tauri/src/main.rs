//! Gogga Desktop's entry point. `main` owns the exit code; everything else is
//! in the library so tests can reach it.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    gogga_desktop::main()
}
