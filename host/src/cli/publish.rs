//! `baton skill publish FILE --server URL` and `baton skill rollback NAME
//! --server URL`: an operator's upload and rollback through a running
//! service's admin routes (`BATON_ADMIN_TOKEN`). The service checks the
//! component, makes it live and records it for every replica.

use super::exit::{Exit, Failure};
use super::io::print_json;
use clap::Args;
use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;

/// Where the service is and how to reach its admin routes.
#[derive(Args, Debug)]
pub(super) struct ServerArgs {
    /// The service's base URL, e.g. http://127.0.0.1:8080.
    #[arg(long, env = "BATON_SERVER", value_name = "URL")]
    server: String,
    /// The admin token.
    #[arg(long, env = "BATON_ADMIN_TOKEN", hide_env_values = true)]
    token: String,
    /// Print the service's answer as JSON.
    #[arg(long)]
    json: bool,
}

/// `baton skill publish`.
#[derive(Args, Debug)]
pub(super) struct PublishArgs {
    /// The component (`<name>.wasm`).
    file: PathBuf,
    /// The skill's name (default: the file's name without `.wasm`).
    #[arg(long)]
    name: Option<String>,
    #[command(flatten)]
    server: ServerArgs,
}

/// `baton skill rollback`.
#[derive(Args, Debug)]
pub(super) struct RollbackArgs {
    /// The skill whose previous version goes back.
    name: String,
    #[command(flatten)]
    server: ServerArgs,
}

pub(super) async fn publish(a: PublishArgs) -> Result<(), Failure> {
    let shown = a.file.display();
    let name = match &a.name {
        Some(n) => n.clone(),
        None => a
            .file
            .file_stem()
            .and_then(|s| s.to_str())
            .map(str::to_owned)
            .ok_or_else(|| Failure::usage(format!("{shown}: name the skill with --name")))?,
    };
    let bytes =
        std::fs::read(&a.file).map_err(|e| Failure::usage(format!("cannot read {shown}: {e}")))?;
    eprintln!(
        "uploading {shown} ({} KiB) as `{name}`…",
        bytes.len() / 1024
    );
    let url = format!("{}/v1/admin/skills/{name}", a.server.base());
    let request = a
        .server
        .client()?
        .put(url)
        .body(bytes)
        .header(reqwest::header::CONTENT_TYPE, "application/wasm");
    a.server.send(request).await
}

pub(super) async fn rollback(a: RollbackArgs) -> Result<(), Failure> {
    let url = format!("{}/v1/admin/skills/{}/rollback", a.server.base(), a.name);
    let request = a.server.client()?.post(url);
    a.server.send(request).await
}

impl ServerArgs {
    fn base(&self) -> &str {
        self.server.trim_end_matches('/')
    }

    fn client(&self) -> Result<reqwest::Client, Failure> {
        reqwest::Client::builder()
            .timeout(Duration::from_secs(300))
            .build()
            .map_err(|e| Failure::new(Exit::Internal, format!("HTTP client: {e}")))
    }

    /// Send with the admin token; print the live version, or fail with the
    /// service's reason.
    async fn send(&self, request: reqwest::RequestBuilder) -> Result<(), Failure> {
        let response = request
            .bearer_auth(&self.token)
            .send()
            .await
            .map_err(|e| Failure::usage(format!("cannot reach {}: {e}", self.base())))?;
        let status = response.status();
        let body: Value = response.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            let detail = body["detail"].as_str().unwrap_or("no reason given");
            let exit = match status.as_u16() {
                401 | 403 => Exit::Denied,
                409 => Exit::Refused,
                400..=499 => Exit::Usage,
                _ => Exit::Internal,
            };
            return Err(Failure::new(exit, format!("{status}: {detail}")));
        }
        if self.json {
            return print_json(&body);
        }
        let skill = &body["skill"];
        println!(
            "{} {} {} (sha256 {})",
            skill["name"].as_str().unwrap_or("?"),
            skill["version"].as_str().unwrap_or("?"),
            body["outcome"].as_str().unwrap_or("?"),
            skill["sha256"].as_str().unwrap_or("?"),
        );
        Ok(())
    }
}
