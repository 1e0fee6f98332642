//! Local files read with a size cap and a time limit, so that no named file (a FIFO,
//! `/dev/zero`, a hung network share) can hang the run or fill the memory.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long one local file may take to read. A FIFO with no writer never finishes.
pub(crate) const READ_LIMIT: Duration = Duration::from_secs(5);

/// Caps by kind of file: what a real one needs, with room to spare.
pub(crate) const MAX_CONFIG: u64 = 1024 * 1024;
pub(crate) const MAX_CA_FILE: u64 = 4 * 1024 * 1024;
pub(crate) const MAX_SECRET: u64 = 64 * 1024;
pub(crate) const MAX_CERTIFICATE: u64 = 1024 * 1024;
pub(crate) const MAX_CRL: u64 = 20 * 1024 * 1024;

/// Why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FileError {
    NotFound,
    IsDirectory,
    PermissionDenied,
    TooLarge {
        cap: u64,
    },
    /// Still reading after the limit: a FIFO or device with nothing (more) to read.
    TimedOut {
        kind: &'static str,
        seconds: u64,
    },
    Other(String),
}

impl FileError {
    /// The cause as the catalogue words it.
    pub(crate) fn problem(&self) -> crate::vocab::Problem {
        use crate::vocab::Problem;
        match self {
            FileError::NotFound => Problem::NoSuchFile,
            FileError::IsDirectory => Problem::IsDirectory,
            FileError::PermissionDenied => Problem::PermissionDenied,
            FileError::TooLarge { cap } => Problem::TooLarge { size: size(*cap) },
            FileError::TimedOut { kind, seconds } => Problem::NothingToRead { seconds: *seconds, kind },
            FileError::Other(detail) => Problem::Os { detail: detail.clone() },
        }
    }
}

/// A byte count as a person says it.
pub(crate) fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 { format!("{} MiB", bytes / 1024 / 1024) } else { format!("{} KiB", bytes / 1024) }
}

/// Reads at most `cap` bytes of `path` within [`READ_LIMIT`].
pub(crate) fn read(path: &Path, cap: u64) -> Result<Vec<u8>, FileError> {
    read_within(path, cap, READ_LIMIT)
}

/// Reads at most `cap` bytes of `path` within `limit`. The read runs on a thread of
/// its own: a FIFO blocks already when opened, and that thread is left behind.
pub(crate) fn read_within(path: &Path, cap: u64, limit: Duration) -> Result<Vec<u8>, FileError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(&e))?;
    if meta.is_dir() {
        return Err(FileError::IsDirectory);
    }
    let kind = kind_of(&meta);
    let owned: PathBuf = path.to_path_buf();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("file-read".into())
        .spawn(move || {
            let _ = tx.send(read_now(&owned, cap));
        })
        .map_err(|e| FileError::Other(e.to_string()))?;
    rx.recv_timeout(limit).unwrap_or(Err(FileError::TimedOut { kind, seconds: limit.as_secs() }))
}

fn read_now(path: &Path, cap: u64) -> Result<Vec<u8>, FileError> {
    let file = std::fs::File::open(path).map_err(|e| io_error(&e))?;
    let mut bytes = Vec::new();
    file.take(cap + 1).read_to_end(&mut bytes).map_err(|e| io_error(&e))?;
    if bytes.len() as u64 > cap {
        return Err(FileError::TooLarge { cap });
    }
    Ok(bytes)
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "FIFO";
        } else if t.is_char_device() || t.is_block_device() {
            return "device";
        } else if t.is_socket() {
            return "socket";
        }
    }
    let _ = meta;
    "unresponsive"
}

fn io_error(e: &std::io::Error) -> FileError {
    match e.kind() {
        std::io::ErrorKind::NotFound => FileError::NotFound,
        std::io::ErrorKind::IsADirectory => FileError::IsDirectory,
        std::io::ErrorKind::PermissionDenied => FileError::PermissionDenied,
        _ => FileError::Other(crate::vocab::problem::os_detail(e)),
    }
}

/// Writes a secret (a key, a password, a token) readable by its owner alone (0600),
/// whatever the umask and whatever the file was before.
/// Appends to a file (a CI runner's step summary), creating it if need be.
pub(crate) fn append(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    std::fs::OpenOptions::new().append(true).create(true).open(path)?.write_all(bytes)
}

/// Writes a file owner-only (0600 whatever the umask): into a new file beside `path`,
/// then renamed into place, so that a symlink planted at `path` is replaced, never
/// followed, and no other file is truncated or has its mode changed.
pub(crate) fn write_private(path: &Path, bytes: impl AsRef<[u8]>) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // tempfile creates the file new (O_EXCL, never through a link) and owner-only.
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes.as_ref())?;
    file.as_file().sync_all()?;
    file.persist(path).map(|_| ()).map_err(|e| e.error)
}

/// Writes a report file (`--output`, `--support-report`): into a new owner-only file
/// beside `path`, then renamed into place, so that no symlink is followed, no other file's
/// mode is changed, and a half-written report never stands. A path that is a device or
/// a pipe (`/dev/stdout`, `/dev/full`) is written as it is, its mode untouched, and a
/// failed write is an error.
pub(crate) fn write_report(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let meta = std::fs::symlink_metadata(path);
    if let Ok(meta) = &meta
        && !meta.is_file()
        && !meta.file_type().is_symlink()
    {
        let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
        file.write_all(bytes)?;
        return file.flush();
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    // tempfile creates the file new (never through a link) and owner-only.
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map(|_| ()).map_err(|e| e.error)
}

/// Creates a folder (and its parents) for secrets, 0700 whatever the umask; or accepts
/// an existing one only when it is a real folder (not a link), is this user's, and no one
/// else may write in it (files written there stay as written), and makes it 0700.
pub(crate) fn create_private_dir(path: &Path) -> std::io::Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) => is_own_private_dir(path, &meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut builder = std::fs::DirBuilder::new();
            builder.recursive(true);
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(path)
        }
        Err(e) => Err(e),
    }
}

fn is_own_private_dir(path: &Path, meta: &std::fs::Metadata) -> std::io::Result<()> {
    use std::io::{Error, ErrorKind};
    if meta.file_type().is_symlink() {
        return Err(Error::new(ErrorKind::PermissionDenied, "is a symbolic link: give the folder itself"));
    }
    if !meta.is_dir() {
        return Err(Error::new(ErrorKind::AlreadyExists, "exists and is not a folder"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // A file made here now is this user's: the folder must be too.
        let mine = tempfile::tempfile_in(path)?.metadata()?.uid();
        if meta.uid() != mine {
            let why = format!("belongs to another user (uid {}): choose a folder of your own", meta.uid());
            return Err(Error::new(ErrorKind::PermissionDenied, why));
        }
        if meta.mode() & 0o022 != 0 {
            let why = format!(
                "may be written by others (mode {:o}): run chmod go-w on it, or choose another folder",
                meta.mode() & 0o777
            );
            return Err(Error::new(ErrorKind::PermissionDenied, why));
        }
        // The user's own folder, which no one else could write: closed to readers too.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dev_zero_hits_the_cap() {
        assert_eq!(read(Path::new("/dev/zero"), 1024), Err(FileError::TooLarge { cap: 1024 }));
    }

    #[test]
    fn a_fifo_without_writer_times_out() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        let e = read_within(&fifo, 1024, Duration::from_millis(200)).unwrap_err();
        assert_eq!(e, FileError::TimedOut { kind: "FIFO", seconds: 0 });
    }
}
