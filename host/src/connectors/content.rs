//! The operator's content folder (`BATON_CONTENT_DIR`): the files an
//! `email_send` may attach (its payload's `attachments`, e.g. the security
//! pack). The folder is opened once as a cap-std [`Dir`], and every file is
//! opened through it, so no name (`../x`, an absolute path, a symlink
//! pointing out) can reach anything outside it. It only reads.

use super::ConnectorError;
use baton_types::catalog::Attachment;
use cap_std::ambient_authority;
use cap_std::fs::Dir;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

/// Largest file attached, in bytes.
pub const MAX_ATTACHMENT_BYTES: u64 = 10 << 20;

/// The content folder, opened.
#[derive(Clone)]
pub struct ContentFolder {
    dir: Arc<Dir>,
}

impl std::fmt::Debug for ContentFolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ContentFolder")
    }
}

/// A file read from the folder, ready to attach.
#[derive(Debug, Clone, PartialEq)]
pub struct File {
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

impl ContentFolder {
    /// Open `path`, which must be a folder.
    pub fn open(path: &Path) -> Result<ContentFolder, ConnectorError> {
        let dir = Dir::open_ambient_dir(path, ambient_authority()).map_err(|e| {
            ConnectorError::Config(format!(
                "the content folder {} (BATON_CONTENT_DIR) cannot be opened: {e}",
                path.display()
            ))
        })?;
        Ok(ContentFolder { dir: Arc::new(dir) })
    }

    /// Read the file `attachment` names. A name that is not a plain file
    /// name, a file that is not there (or lies outside the folder), or one
    /// too large is a refusal naming it.
    pub fn read(&self, attachment: &Attachment) -> Result<File, ConnectorError> {
        let name = &attachment.file;
        if let Some(problem) = attachment.problem() {
            return Err(ConnectorError::Rejected(format!("not sent: {problem}")));
        }
        let refused =
            |why: String| ConnectorError::Rejected(format!("not sent: attachment `{name}` {why}"));
        let file = self.dir.open(name).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => refused("is not in the content folder".into()),
            _ => refused(format!("cannot be opened in the content folder ({e})")),
        })?;
        let meta = file
            .metadata()
            .map_err(|e| refused(format!("cannot be read ({e})")))?;
        if !meta.is_file() {
            return Err(refused("is not a file".into()));
        }
        if meta.len() > MAX_ATTACHMENT_BYTES {
            return Err(refused(format!(
                "is {} bytes, over the {MAX_ATTACHMENT_BYTES}-byte limit",
                meta.len()
            )));
        }
        let mut bytes = Vec::new();
        file.take(MAX_ATTACHMENT_BYTES)
            .read_to_end(&mut bytes)
            .map_err(|e| refused(format!("cannot be read ({e})")))?;
        Ok(File {
            name: name.clone(),
            content_type: content_type(name),
            bytes,
        })
    }
}

/// The MIME type a file name's extension suggests.
fn content_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "html" | "htm" => "text/html; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attachment(file: &str) -> Attachment {
        Attachment {
            file: file.into(),
            title: None,
        }
    }

    #[test]
    fn files_in_the_folder_are_read_and_nothing_outside_it() {
        let root = tempfile::tempdir().expect("dir");
        let folder = root.path().join("content");
        std::fs::create_dir(&folder).expect("mkdir");
        std::fs::write(folder.join("security-pack.pdf"), b"%PDF-1.4 pack").expect("write");
        std::fs::write(root.path().join("secret.txt"), b"secret").expect("write");
        #[cfg(unix)]
        std::os::unix::fs::symlink(root.path().join("secret.txt"), folder.join("link.txt"))
            .expect("symlink");
        std::fs::create_dir(folder.join("sub")).expect("mkdir");
        let content = ContentFolder::open(&folder).expect("opens");

        let f = content
            .read(&attachment("security-pack.pdf"))
            .expect("reads");
        assert_eq!(f.content_type, "application/pdf");
        assert_eq!(f.bytes, b"%PDF-1.4 pack");

        for (name, says) in [
            ("../secret.txt", "plain file name"),
            ("missing.pdf", "is not in the content folder"),
            ("sub", "is not a file"),
        ] {
            let e = content.read(&attachment(name)).expect_err(name);
            assert!(matches!(e, ConnectorError::Rejected(_)), "{e:?}");
            assert!(e.to_string().contains(name), "{e}");
            assert!(e.to_string().contains(says), "{e}");
        }
        #[cfg(unix)]
        {
            let e = content
                .read(&attachment("link.txt"))
                .expect_err("a link out of the folder");
            assert!(e.to_string().contains("link.txt"), "{e}");
        }
        assert!(matches!(
            ContentFolder::open(&root.path().join("nowhere")),
            Err(ConnectorError::Config(_))
        ));
    }
}
