//! `baton import FILE [--database URL]`.

use super::args::DatabaseArg;
use super::exit::{Exit, Failure};
use super::io::print_json;
use crate::orchestrator::import::{ImportDoc, ImportError, import};
use crate::store::text::{nul_at, nul_message};
use clap::Args;
use std::path::PathBuf;

/// Import an org, its reps, companies, contacts, deals and activities (JSON).
#[derive(Args, Debug)]
pub(super) struct ImportArgs {
    /// The JSON document (see examples/demo.json).
    file: PathBuf,
    #[command(flatten)]
    db: DatabaseArg,
    /// Print the summary as JSON.
    #[arg(long)]
    json: bool,
}

pub(super) async fn run(args: ImportArgs) -> Result<(), Failure> {
    let shown = args.file.display().to_string();
    let text = std::fs::read_to_string(&args.file)
        .map_err(|e| Failure::usage(format!("cannot read {shown}: {e}")))?;
    let value: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| Failure::usage(format!("{shown}: {e}")))?;
    if let Some(field) = nul_at(&value, "") {
        return Err(Failure::usage(format!("{shown}: {}", nul_message(&field))));
    }
    let doc: ImportDoc =
        serde_json::from_value(value).map_err(|e| Failure::usage(format!("{shown}: {e}")))?;
    let store = args.db.open().await?;
    let summary = import(&store, &doc, crate::store::now_ms())
        .await
        .map_err(|e| match e {
            ImportError::Invalid(m) => Failure::usage(format!("{shown}: {m}")),
            ImportError::Store(e) => Failure::new(Exit::Internal, format!("{shown}: {e}")),
        })?;
    store.close().await;
    if args.json {
        let value = serde_json::to_value(&summary)
            .map_err(|e| Failure::new(Exit::Internal, e.to_string()))?;
        return print_json(&value);
    }
    println!(
        "imported org `{}`: {} users, {} companies, {} contacts, {} deals, {} activities",
        summary.org,
        summary.users,
        summary.companies,
        summary.contacts,
        summary.deals,
        summary.activities
    );
    Ok(())
}
