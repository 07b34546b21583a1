//! The labelled sets training reads: every `<prefix>-*.jsonl` in the given
//! folders, sorted by file name. Each file is one author's set (a fold of the
//! grouped evaluation); an operator's exported feedback dropped beside them
//! as another file joins the training data.

use std::path::PathBuf;

/// `(file name, contents)` of each set in `dirs`, sorted by name.
pub fn read(dirs: &[PathBuf], prefix: &str) -> Result<Vec<(String, String)>, String> {
    let mut found: Vec<(String, PathBuf)> = Vec::new();
    for dir in dirs {
        let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        found.extend(
            entries
                .filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().into_string().ok())
                .filter(|n| n.starts_with(&format!("{prefix}-")) && n.ends_with(".jsonl"))
                .map(|n| (n.clone(), dir.join(n))),
        );
    }
    found.sort();
    if found.is_empty() {
        let shown: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        return Err(format!("no {prefix}-*.jsonl in {}", shown.join(" or ")));
    }
    if let Some(w) = found.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(format!(
            "two sets named {}: {} and {}",
            w[0].0,
            w[0].1.display(),
            w[1].1.display()
        ));
    }
    found
        .into_iter()
        .map(|(n, path)| {
            std::fs::read_to_string(&path)
                .map(|t| (n, t))
                .map_err(|e| format!("{}: {e}", path.display()))
        })
        .collect()
}

/// Each set's non-empty lines parsed by `parse` (given the line's number
/// from 1 and its text), as `(file name, lines)`, sorted by name; an
/// error names the file and line.
pub fn parsed<L>(
    dirs: &[PathBuf],
    prefix: &str,
    mut parse: impl FnMut(usize, &str) -> Result<L, String>,
) -> Result<Vec<(String, Vec<L>)>, String> {
    read(dirs, prefix)?
        .into_iter()
        .map(|(name, text)| {
            let lines = text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .enumerate()
                .map(|(n, l)| parse(n + 1, l).map_err(|e| format!("{name}: {e}")))
                .collect::<Result<_, _>>()?;
            Ok((name, lines))
        })
        .collect()
}
