//! Where a command's document goes: a file (`--output`) or standard output,
//! through a buffer, ended with a newline; and the inputs it reads.

use std::io::{BufWriter, Read, Write};
use std::path::Path;

/// A writer that remembers the last byte written, so that the output can
/// end with a newline (JSON documents are printed without one).
pub struct Terminated<W: Write> {
    inner: W,
    last: Option<u8>,
}

impl<W: Write> Write for Terminated<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        if let Some(&b) = buf.get(..n).and_then(<[u8]>::last) {
            self.last = Some(b);
        }
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Where a document is written: a buffer in front of the file or standard
/// output. The writers make many small writes (a JSON token, a padded table
/// cell): each is a copy into this buffer, a concrete type the compiler sees
/// through; the file or pipe behind it gets 64 KB at a time.
pub type Out<'a> = BufWriter<Terminated<Box<dyn Write + 'a>>>;

/// Write what `write` produces into `sink`, then a newline if the text does
/// not end with one, and flush.
fn write_into<'a>(sink: Box<dyn Write + 'a>, write: impl FnOnce(&mut Out<'a>) -> std::io::Result<()>) -> std::io::Result<()> {
    const BUFFER: usize = 1 << 16;
    let mut out = BufWriter::with_capacity(BUFFER, Terminated { inner: sink, last: None });
    write(&mut out)?;
    out.flush()?;
    let end = out.get_mut();
    if end.last != Some(b'\n') {
        end.inner.write_all(b"\n")?;
    }
    end.inner.flush()
}

/// Write what `write` produces, ended with a newline, to `path` (created
/// or truncated) or to standard output, through a buffer: documents are
/// written as they are made, never held whole.
pub fn write_with(path: Option<&Path>, write: impl FnOnce(&mut Out<'_>) -> std::io::Result<()>) -> Result<(), String> {
    match path {
        Some(path) => {
            let cannot = |e: std::io::Error| format!("cannot write {}: {e}", path.display());
            let file = std::fs::File::create(path).map_err(cannot)?;
            write_into(Box::new(file), write).map_err(cannot)
        }
        None => match write_into(Box::new(std::io::stdout().lock()), write) {
            Ok(()) => Ok(()),
            // A closed pipe (`| head`) is not an error for the user.
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(format!("cannot write to standard output: {e}")),
        },
    }
}

/// Write `text`, ended with a newline, to `path` or standard output.
pub fn write_text(path: Option<&Path>, text: &str) -> Result<(), String> {
    write_with(path, |w| w.write_all(text.as_bytes()))
}

/// The bytes of the file `name` (`-`: standard input), at most `max + 1` of
/// them (so that the engine can tell the input is too large).
pub fn read_input(name: &str, max: usize) -> Result<Vec<u8>, String> {
    let cap = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let mut buf = Vec::new();
    let res = if name == "-" {
        std::io::stdin().lock().take(cap).read_to_end(&mut buf)
    } else {
        match std::fs::File::open(name) {
            Ok(f) => {
                // One allocation of the file's size, not a doubling buffer
                // copied as it grows (a directory or a pipe says 0: grown).
                let len = f.metadata().map(|m| m.len()).unwrap_or(0).min(cap);
                buf.reserve_exact(usize::try_from(len).unwrap_or(0));
                f.take(cap).read_to_end(&mut buf)
            }
            Err(e) => return Err(format!("cannot open {name}: {e}")),
        }
    };
    res.map_err(|e| format!("cannot read {name}: {e}"))?;
    Ok(buf)
}
