//! The labelled sets training reads: every `<prefix>-*.jsonl` in a folder,
//! sorted by file name. Each file is one author's set (a fold of the
//! grouped evaluation); an operator's exported feedback dropped beside them
//! as another file joins the training data.

use std::path::Path;

/// `(file name, contents)` of each set, sorted by name.
pub fn read(dir: &Path, prefix: &str) -> Result<Vec<(String, String)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.starts_with(&format!("{prefix}-")) && n.ends_with(".jsonl"))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(format!("no {prefix}-*.jsonl in {}", dir.display()));
    }
    names
        .into_iter()
        .map(|n| {
            let path = dir.join(&n);
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
    dir: &Path,
    prefix: &str,
    mut parse: impl FnMut(usize, &str) -> Result<L, String>,
) -> Result<Vec<(String, Vec<L>)>, String> {
    read(dir, prefix)?
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
