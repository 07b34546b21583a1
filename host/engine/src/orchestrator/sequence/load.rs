//! A folder of sequence files: each `*.toml` parsed, a second file for the
//! same event refused, the survivors kept by event type; and which of their
//! skills are not installed. A bad file never stops the others loading.

use super::{Sequence, SequenceError, parse};
use crate::runtime::Schema;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The version an event serves, as recorded (`sequence_heads`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub version: i64,
    /// The sha256 of its text.
    pub hash: String,
    pub text: std::sync::Arc<str>,
    /// Published from the sequences folder (not the API or the CLI).
    pub from_folder: bool,
}

/// Every sequence from one folder, with the problems found loading it.
#[derive(Debug, Clone, Default)]
pub struct Sequences {
    by_event: BTreeMap<String, Sequence>,
    /// The folder they were loaded from.
    dir: Option<PathBuf>,
    /// Files refused, with why.
    pub errors: Vec<SequenceError>,
}

/// `seq` with its `payload_schema` file read from `folder` and compiled; a
/// file that cannot be read, is not JSON or is not a schema refuses the
/// sequence, naming the line that names it.
fn with_payload_schema(
    folder: &cap_std::fs::Dir,
    mut seq: Sequence,
    text: &str,
) -> Result<Sequence, SequenceError> {
    let Some(name) = seq.payload_schema.clone() else {
        return Ok(seq);
    };
    let refused = |why: String| SequenceError {
        file: seq.file.clone(),
        line: text
            .lines()
            .position(|l| l.trim_start().starts_with("payload_schema"))
            .map_or(1, |n| n + 1),
        column: 1,
        message: format!("payload_schema `{name}`: {why}"),
    };
    let schema = folder
        .read_to_string(&name)
        .map_err(|e| refused(format!("cannot read it in the sequences folder: {e}")))
        .and_then(|t| {
            serde_json::from_str::<serde_json::Value>(&t)
                .map_err(|e| refused(format!("not JSON: {e}")))
        })
        .and_then(|v| {
            Schema::compile(&v).map_err(|e| refused(format!("not a JSON Schema: {e}")))
        })?;
    seq.payload = Some(schema);
    Ok(seq)
}

impl Sequences {
    /// Load every `*.toml` in `dir`. A bad file is reported in `errors` and
    /// left out; the others load.
    pub fn load(dir: &Path) -> std::io::Result<Sequences> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        let mut out = Sequences {
            dir: Some(dir.to_owned()),
            ..Sequences::default()
        };
        // Payload schemas are read through the folder itself, so no name
        // in a sequence reaches outside it.
        let folder = cap_std::fs::Dir::open_ambient_dir(dir, cap_std::ambient_authority())?;
        for file in files {
            let text = std::fs::read_to_string(&file)?;
            match parse(&file, &text).and_then(|seq| with_payload_schema(&folder, seq, &text)) {
                Ok(seq) => {
                    if let Some(first) = out.by_event.get(&seq.event) {
                        out.errors.push(SequenceError {
                            file: file.clone(),
                            line: 1,
                            column: 1,
                            message: format!(
                                "event `{}` is already handled by {}",
                                seq.event,
                                first.file.display()
                            ),
                        });
                    } else {
                        out.by_event.insert(seq.event.clone(), seq);
                    }
                }
                Err(e) => out.errors.push(e),
            }
        }
        Ok(out)
    }

    /// Parse `text` as the file `file` of the folder `dir`, its payload
    /// schema read from the folder (a version kept in the database, say).
    pub fn parse_in(dir: &Path, file: &Path, text: &str) -> Result<Sequence, SequenceError> {
        let folder = cap_std::fs::Dir::open_ambient_dir(dir, cap_std::ambient_authority())
            .map_err(|e| SequenceError {
                file: file.to_owned(),
                line: 1,
                column: 1,
                message: format!("cannot open the sequences folder: {e}"),
            })?;
        parse(file, text).and_then(|seq| with_payload_schema(&folder, seq, text))
    }

    /// Load `dir` again over `self`: a file that no longer loads keeps its
    /// previous sequence live; its errors are reported all the same.
    pub fn reload(&self, dir: &Path) -> std::io::Result<Sequences> {
        let mut next = Sequences::load(dir)?;
        let errors = std::mem::take(&mut next.errors);
        next.refuse(errors, self);
        Ok(next)
    }

    /// Refuse the files `errors` name (a later check, such as params
    /// against the skills, found them wrong): each one's new sequence is
    /// dropped and its sequence in `previous`, if any, serves instead.
    pub fn refuse(&mut self, errors: Vec<SequenceError>, previous: &Sequences) {
        for e in &errors {
            self.by_event.retain(|_, s| s.file != e.file);
            if let Some(old) = previous.by_event.values().find(|s| s.file == e.file)
                && !self.by_event.contains_key(&old.event)
            {
                self.by_event.insert(old.event.clone(), old.clone());
            }
        }
        self.errors.extend(errors);
    }

    /// Lay out every `order = "flow"` sequence from its skills' declared
    /// data flow ([`Sequence::lay_out`]); returns the problems of those that
    /// cannot be, which are left out (a caller with a previous set hands
    /// them to [`Sequences::refuse`]).
    pub fn lay_out(
        &mut self,
        flow_of: impl Fn(&str) -> Option<baton_types::flow::Flow>,
    ) -> Vec<SequenceError> {
        let mut problems = Vec::new();
        self.by_event = std::mem::take(&mut self.by_event)
            .into_iter()
            .filter_map(|(event, seq)| match seq.lay_out(&flow_of) {
                Ok(s) => Some((event, s)),
                Err(p) => {
                    problems.extend(p);
                    None
                }
            })
            .collect();
        problems
    }

    /// Serve each event's recorded head version ([`Head`]) over what the
    /// folder holds: the folder's sequence when it is that version's text
    /// (marked with its number), else the version parsed (its payload
    /// schema from the folder). A head published from the folder whose file
    /// is gone serves nothing: removing the file removes the sequence.
    /// Returns the heads that no longer parse (the folder's sequence, if
    /// any, keeps serving).
    pub fn overlay(&mut self, heads: &BTreeMap<String, Head>) -> Vec<SequenceError> {
        let mut problems = Vec::new();
        for (event, head) in heads {
            match self.by_event.get_mut(event) {
                Some(seq) if seq.file_hash == head.hash => {
                    seq.version = Some(head.version);
                    continue;
                }
                None if head.from_folder => continue,
                _ => {}
            }
            let named = PathBuf::from(format!("{event}.toml"));
            let file = match (self.by_event.get(event), &self.dir) {
                (Some(s), _) => s.file.clone(),
                (None, Some(dir)) => dir.join(named),
                (None, None) => named,
            };
            // Without a folder (an embedder's own set), no payload schema.
            let parsed = match &self.dir {
                Some(dir) => Sequences::parse_in(dir, &file, &head.text),
                None => parse(&file, &head.text),
            };
            match parsed {
                Ok(mut seq) if seq.event == *event => {
                    seq.version = Some(head.version);
                    self.by_event.insert(event.clone(), seq);
                }
                Ok(seq) => problems.push(SequenceError {
                    file,
                    line: 1,
                    column: 1,
                    message: format!(
                        "version {} of `{event}` handles `{}` events",
                        head.version, seq.event
                    ),
                }),
                Err(mut e) => {
                    e.message = format!("version {} of `{event}`: {}", head.version, e.message);
                    problems.push(e);
                }
            }
        }
        problems
    }

    /// The folder they were loaded from, if any.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// The sequence for `event`.
    pub fn get(&self, event: &str) -> Option<&Sequence> {
        self.by_event.get(event)
    }

    /// All sequences, by event type.
    pub fn iter(&self) -> impl Iterator<Item = &Sequence> {
        self.by_event.values()
    }

    /// Add one parsed sequence (tests and embedders).
    pub fn insert(&mut self, seq: Sequence) {
        self.by_event.insert(seq.event.clone(), seq);
    }

    /// For each sequence, the skills it names that `installed` lacks, each
    /// reported at the line that names it.
    pub fn missing_skills(&self, installed: impl Fn(&str) -> bool) -> Vec<SequenceError> {
        let mut out = Vec::new();
        for seq in self.by_event.values() {
            let mut seen = BTreeSet::new();
            for (skill, line) in seq.skills() {
                if !installed(skill) && seen.insert(skill) {
                    out.push(SequenceError {
                        file: seq.file.clone(),
                        line,
                        column: 1,
                        message: format!(
                            "skill `{skill}` is not installed; `{}` events are refused until it is",
                            seq.event
                        ),
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse_test as p;
    use super::*;

    #[test]
    fn a_file_refused_by_a_later_check_keeps_its_previous_sequence() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.toml");
        std::fs::write(&file, "event = \"x\"\n[[step]]\nskill = \"a\"\n").unwrap();
        let first = Sequences::load(dir.path()).unwrap();
        std::fs::write(&file, "event = \"x\"\n[[step]]\nskill = \"b\"\n").unwrap();
        let mut next = first.reload(dir.path()).unwrap();
        let bad = SequenceError {
            file: file.clone(),
            line: 3,
            column: 1,
            message: "params".into(),
        };
        next.refuse(vec![bad], &first);
        assert_eq!(next.get("x").unwrap().steps[0].skill, "a");
        assert_eq!(next.errors.len(), 1);
    }

    #[test]
    fn a_file_broken_on_reload_keeps_its_previous_sequence() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("x.toml");
        std::fs::write(&file, "event = \"x\"\n[[step]]\nskill = \"a\"\n").unwrap();
        let first = Sequences::load(dir.path()).unwrap();
        std::fs::write(&file, "event = \"x\"\n[[step]]\nskil = \"b\"\n").unwrap();
        let next = first.reload(dir.path()).unwrap();
        assert_eq!(next.get("x").unwrap().steps[0].skill, "a");
        assert_eq!(next.errors.len(), 1);
        assert_eq!((next.errors[0].line, next.errors[0].column), (3, 1));
        std::fs::write(&file, "event = \"x\"\n[[step]]\nskill = \"b\"\n").unwrap();
        let fixed = next.reload(dir.path()).unwrap();
        assert_eq!(fixed.get("x").unwrap().steps[0].skill, "b");
        assert!(fixed.errors.is_empty());
        std::fs::remove_file(&file).unwrap();
        assert!(fixed.reload(dir.path()).unwrap().get("x").is_none());
    }

    #[test]
    fn a_payload_schema_is_read_inside_the_folder_and_checks_payloads() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("payloads")).unwrap();
        std::fs::write(
            dir.path().join("payloads/x.schema.json"),
            r#"{"type": "object", "properties": {"n": {"type": "integer"}}}"#,
        )
        .unwrap();
        let with = |name: &str| {
            format!("event = \"x\"\npayload_schema = \"{name}\"\n[[step]]\nskill = \"a\"\n")
        };
        std::fs::write(dir.path().join("x.toml"), with("payloads/x.schema.json")).unwrap();
        let all = Sequences::load(dir.path()).unwrap();
        let schema = all.get("x").unwrap().payload.clone().unwrap();
        assert!(schema.check(&serde_json::json!({ "n": 3 })).is_ok());
        let wrong = schema
            .check(&serde_json::json!({ "n": "three" }))
            .unwrap_err();
        assert!(wrong.to_string().starts_with("/n: "), "{wrong}");

        // A file that is not there, is not a schema, or is outside the
        // folder refuses the sequence, naming the line.
        std::fs::write(
            dir.path().join("payloads/bad.schema.json"),
            r#"{"type": 7}"#,
        )
        .unwrap();
        for (name, why) in [
            ("payloads/none.schema.json", "cannot read it"),
            ("payloads/bad.schema.json", "not a JSON Schema"),
            ("../x.schema.json", "inside the sequences folder"),
            ("/etc/passwd.json", "inside the sequences folder"),
        ] {
            std::fs::write(dir.path().join("x.toml"), with(name)).unwrap();
            let all = Sequences::load(dir.path()).unwrap();
            assert!(all.get("x").is_none(), "{name}");
            assert_eq!(all.errors.len(), 1, "{name}");
            assert_eq!(all.errors[0].line, 2, "{name}");
            assert!(
                all.errors[0].message.contains(why),
                "{name}: {}",
                all.errors[0].message
            );
        }
    }

    #[test]
    fn missing_skills_are_reported_at_their_line() {
        let mut all = Sequences::default();
        all.insert(
            p("event = \"x\"\n[[step]]\nskill = \"here\"\n[[step]]\nskill = \"gone\"\n").unwrap(),
        );
        let missing = all.missing_skills(|s| s == "here");
        assert_eq!(missing.len(), 1);
        assert_eq!(missing[0].line, 5);
        assert!(missing[0].message.contains("`gone` is not installed"));
    }
}
