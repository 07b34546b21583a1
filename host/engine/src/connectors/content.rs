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
            ConnectorError::config_by(
                format!(
                    "the content folder {} (BATON_CONTENT_DIR) cannot be opened",
                    path.display()
                ),
                e,
            )
        })?;
        Ok(ContentFolder { dir: Arc::new(dir) })
    }

    /// Read the file `attachment` names. A name that is not a plain file
    /// name, a file that is not there (or lies outside the folder), or one
    /// too large is a refusal naming it.
    pub fn read(&self, attachment: &Attachment) -> Result<File, ConnectorError> {
        let name = &attachment.file;
        if let Some(problem) = attachment.problem() {
            return Err(ConnectorError::rejected(format!("not sent: {problem}")));
        }
        let refused =
            |why: String| ConnectorError::rejected(format!("not sent: attachment `{name}` {why}"));
        let failed = |why: &str, e: std::io::Error| {
            ConnectorError::rejected_by(format!("not sent: attachment `{name}` {why}"), e)
        };
        let not_there = |e: std::io::Error| match e.kind() {
            std::io::ErrorKind::NotFound => refused("is not in the content folder".into()),
            _ => failed("cannot be opened in the content folder", e),
        };
        // Only a regular file is opened: a FIFO or a device would block the
        // open (or the read) until someone wrote to it. The type is checked
        // by name first, and the open itself does not wait (`O_NONBLOCK`)
        // should the name be swapped for a FIFO in between.
        if !self.dir.metadata(name).map_err(not_there)?.is_file() {
            return Err(refused("is not a regular file".into()));
        }
        let mut options = cap_std::fs::OpenOptions::new();
        options.read(true);
        #[cfg(unix)]
        {
            use cap_std::fs::OpenOptionsExt;
            options.custom_flags(libc::O_NONBLOCK);
        }
        let file = self.dir.open_with(name, &options).map_err(not_there)?;
        let meta = file.metadata().map_err(|e| failed("cannot be read", e))?;
        if !meta.is_file() {
            return Err(refused("is not a regular file".into()));
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
            .map_err(|e| failed("cannot be read", e))?;
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

    /// A FIFO in the folder is refused at once, not opened: opening it
    /// would wait until something wrote to it (issue 38, the probe's
    /// `fifo3.pdf` froze deliveries for every org).
    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_waiting_for_a_writer() {
        let root = tempfile::tempdir().expect("dir");
        let made = std::process::Command::new("mkfifo")
            .arg(root.path().join("fifo3.pdf"))
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let content = ContentFolder::open(root.path()).expect("opens");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let _ = tx.send(content.read(&attachment("fifo3.pdf")));
        });
        // A wait this long can only mean the read is stuck in the open.
        let read = rx
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("the read returned instead of waiting for a writer");
        let e = read.expect_err("a FIFO is not attached");
        assert!(matches!(e, ConnectorError::Rejected { .. }), "{e:?}");
        assert!(
            e.to_string().contains("`fifo3.pdf` is not a regular file"),
            "{e}"
        );
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
            ("sub", "is not a regular file"),
        ] {
            let e = content.read(&attachment(name)).expect_err(name);
            assert!(matches!(e, ConnectorError::Rejected { .. }), "{e:?}");
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
            Err(ConnectorError::Config { .. })
        ));
    }
}
