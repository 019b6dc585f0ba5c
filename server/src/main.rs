use std::process::ExitCode;

use server::cli::{self, Command};

/// mimalloc instead of glibc's malloc: under load the server allocates
/// from many threads, and glibc's arena locks and consolidation cost a fifth
/// of the cached page's CPU time (issue 9, `bench/`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args) {
        Ok(command) => command,
        Err(err) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
    };
    let config = match server::Config::from_env() {
        Ok(config) => config,
        Err(err) => {
            eprintln!("configuration error: {err}");
            return ExitCode::FAILURE;
        }
    };
    server::init_tracing(&config.log_filter, config.log_json);
    if command == Command::Help {
        println!("{}", cli::usage());
        return ExitCode::SUCCESS;
    }
    if command != Command::Serve {
        return match cli::run(command, &config).await {
            Ok(message) => {
                if !message.is_empty() {
                    println!("{message}");
                }
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!("{err}");
                ExitCode::FAILURE
            }
        };
    }
    match server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            tracing::error!("{err}");
            ExitCode::FAILURE
        }
    }
}
