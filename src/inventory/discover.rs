//! Finding the inventory files: every `*.yaml`/`*.yml` under the path,
//! failing closed on anything that is not plainly a directory or a file.

use std::path::{Path, PathBuf};

use super::Diagnostic;

/// The inventory files under `path`, sorted by path.
pub fn discover(path: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| Diagnostic {
        file: Some(shown.clone()),
        pos: None,
        message: match e.kind() {
            std::io::ErrorKind::NotFound => "no such file or directory".into(),
            _ => e.to_string(),
        },
        hint: None,
        related: None,
    })?;
    let mut files = Vec::new();
    if meta.is_dir() {
        walk(path, &mut files, 0)?;
        files.sort();
    } else if !meta.is_file() {
        return Err(Diagnostic {
            file: Some(shown),
            pos: None,
            message: "not a regular file (a FIFO, device or socket)".into(),
            hint: None,
            related: None,
        });
    } else if is_yaml(path) {
        files.push(path.to_path_buf());
    } else {
        return Err(Diagnostic {
            file: Some(shown),
            pos: None,
            message: "not a *.yaml or *.yml file".into(),
            hint: None,
            related: None,
        });
    }
    if files.is_empty() {
        return Err(Diagnostic {
            file: Some(shown),
            pos: None,
            message: "holds no *.yaml or *.yml file".into(),
            hint: Some(
                "run `residency check` on the example in inventory/ to see the format".into(),
            ),
            related: None,
        });
    }
    Ok(files)
}

fn is_yaml(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// Directories deeper than this under the inventory path are an error.
pub const MAX_DEPTH: usize = 64;

/// Collect the YAML files under `dir`. Fail closed: whatever cannot be
/// listed or is not what it seems is an error naming its path, never a
/// skip — an unreadable directory, a symlinked directory (not followed:
/// no loops, no escaping the tree), a broken or looping symlink, a
/// directory deeper than [`MAX_DEPTH`], and anything that is neither a
/// directory nor a regular file (FIFOs, sockets, devices). A symlink to a
/// regular file is read like one (bounded by the bytes read).
fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), Diagnostic> {
    let fail = |p: &Path, message: String, hint: Option<&str>| Diagnostic {
        file: Some(p.display().to_string()),
        pos: None,
        message,
        hint: hint.map(str::to_string),
        related: None,
    };
    let entries = std::fs::read_dir(dir)
        .map_err(|e| fail(dir, format!("cannot list the directory: {e}"), None))?;
    for entry in entries {
        let entry =
            entry.map_err(|e| fail(dir, format!("cannot list the directory: {e}"), None))?;
        let path = entry.path();
        let ft = entry
            .file_type()
            .map_err(|e| fail(&path, format!("cannot read: {e}"), None))?;
        if ft.is_dir() {
            if depth + 1 > MAX_DEPTH {
                return Err(fail(
                    &path,
                    format!("more than {MAX_DEPTH} directories deep under the inventory path"),
                    Some("move the inventory files up, or check only this subdirectory"),
                ));
            }
            walk(&path, out, depth + 1)?;
        } else if ft.is_symlink() {
            let target = std::fs::metadata(&path).map_err(|e| {
                fail(
                    &path,
                    format!("a symlink that cannot be followed (broken or a loop): {e}"),
                    None,
                )
            })?;
            if target.is_dir() {
                return Err(fail(
                    &path,
                    "a symlinked directory: not followed".into(),
                    Some("check the directory it points to on its own, or copy it in"),
                ));
            }
            if !target.is_file() {
                return Err(fail(
                    &path,
                    "a symlink to something that is not a regular file".into(),
                    None,
                ));
            }
            if is_yaml(&path) {
                out.push(path);
            }
        } else if ft.is_file() {
            if is_yaml(&path) {
                out.push(path);
            }
        } else {
            return Err(fail(
                &path,
                "not a regular file (a FIFO, device or socket) under the inventory path".into(),
                None,
            ));
        }
    }
    Ok(())
}
