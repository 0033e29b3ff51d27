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

/// An input's bytes: the file mapped into memory, or read into a buffer.
pub enum Input {
    Mapped(memmap2::Mmap),
    Read(Vec<u8>),
}

impl AsRef<[u8]> for Input {
    fn as_ref(&self) -> &[u8] {
        match self {
            Input::Mapped(m) => m,
            Input::Read(v) => v,
        }
    }
}

/// The bytes of the file `name` (`-`: standard input), at most `max + 1` of
/// them (so that the engine can tell the input is too large).
///
/// A regular file is mapped into memory rather than read: the engine reads
/// it once, in place, from the kernel's page cache, where reading would
/// first have the kernel clear a fresh buffer as large as the file and then
/// copy the file into it (about a tenth of a large export's assessment).
/// Anything that cannot be mapped (standard input, a pipe, an empty file, a
/// file system without mappings) is read.
pub fn read_input(name: &str, max: usize) -> Result<Input, String> {
    let cap = u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1);
    let mut buf = Vec::new();
    let res = if name == "-" {
        std::io::stdin().lock().take(cap).read_to_end(&mut buf)
    } else {
        match std::fs::File::open(name) {
            Ok(f) => {
                let meta = f.metadata().ok();
                let len = meta.as_ref().map_or(0, std::fs::Metadata::len).min(cap);
                if meta.is_some_and(|m| m.is_file()) && len > 0 {
                    if let Some(m) = map(&f, len) {
                        return Ok(Input::Mapped(m));
                    }
                }
                // One allocation of the file's size, not a doubling buffer
                // copied as it grows (a directory or a pipe says 0: grown).
                read_file(f, len, cap, &mut buf)
            }
            Err(e) => return Err(format!("cannot open {name}: {e}")),
        }
    };
    res.map_err(|e| format!("cannot read {name}: {e}"))?;
    Ok(Input::Read(buf))
}

/// The first `len` bytes of the regular file `f` mapped read-only into
/// memory, or `None` if it cannot be mapped (the caller reads it instead).
fn map(f: &std::fs::File, len: u64) -> Option<memmap2::Mmap> {
    let len = usize::try_from(len).ok()?;
    // SAFETY: `Mmap` requires that the file not be changed while it is
    // mapped, which no program can promise of a file others may write. What
    // this process does with the bytes: the engine treats them as untrusted
    // input, checks them once as UTF-8 or UTF-16 and as JSON or YAML
    // syntax, and keeps nothing of them past the parse (the map is dropped
    // once the input is parsed, before evaluation). If another program
    // rewrites the file during those milliseconds, the assessment may read a
    // mix of old and new bytes, and, strictly, text checked as UTF-8 could
    // change after the check, which Rust's rules call undefined behaviour;
    // if it truncates the file, reading a page past the new end raises
    // SIGBUS and the process ends without output (exit status 135). That is
    // the contract of every tool that maps its inputs (`git`, `ripgrep`): an
    // input is not to be written while it is assessed. Exports that are
    // still being written are piped through standard input (`-`), which is
    // always read into memory of this process's own.
    let map = unsafe { memmap2::MmapOptions::new().len(len).populate().map(f) };
    map.ok()
}

/// Files from this size on are read in parts at once.
const READ_IN_PARTS: u64 = 16 << 20;

/// Read at most `cap` bytes of `f`, which says it holds `len`, into `buf`.
/// A large file is read in parts on several threads at once: the first
/// write to each page of a fresh buffer costs the kernel a page to clear,
/// and on two cores that takes half the time. Whatever the parts did not
/// read (the file grew or shrank meanwhile) is then read in order, as a
/// small file is.
fn read_file(f: std::fs::File, len: u64, cap: u64, buf: &mut Vec<u8>) -> std::io::Result<usize> {
    read_file_from(f, len, cap, buf, READ_IN_PARTS)
}

/// [`read_file`], in parts from `in_parts` bytes on.
#[cfg(not(unix))]
fn read_file_from(f: std::fs::File, len: u64, cap: u64, buf: &mut Vec<u8>, _in_parts: u64) -> std::io::Result<usize> {
    buf.reserve_exact(usize::try_from(len).unwrap_or(0));
    f.take(cap).read_to_end(buf)
}

/// [`read_file`], in parts from `in_parts` bytes on.
#[cfg(unix)]
fn read_file_from(mut f: std::fs::File, len: u64, cap: u64, buf: &mut Vec<u8>, in_parts: u64) -> std::io::Result<usize> {
    use std::io::{Seek, SeekFrom};
    use std::os::unix::fs::FileExt;
    let threads = std::thread::available_parallelism().map_or(1, |p| p.get().min(4));
    let size = usize::try_from(len).unwrap_or(0);
    if len < in_parts || threads < 2 || !buf.is_empty() {
        buf.reserve_exact(size);
        return f.take(cap).read_to_end(buf);
    }
    // Zeroed by the allocator (fresh pages are zero already), not written
    // here: each page is first touched by the part that reads into it.
    *buf = vec![0u8; size];
    let part = size.div_ceil(threads);
    let file = &f;
    let all_read = std::thread::scope(|scope| {
        let mut parts = buf.chunks_mut(part).enumerate();
        let first = parts.next();
        let others: Vec<_> = parts.map(|(i, chunk)| scope.spawn(move || file.read_exact_at(chunk, (i * part) as u64).is_ok())).collect();
        let here = first.is_none_or(|(_, chunk)| file.read_exact_at(chunk, 0).is_ok());
        others.into_iter().fold(here, |ok, h| h.join().unwrap_or(false) && ok)
    });
    if !all_read {
        // The file shrank (or a part failed): read it whole, in order.
        buf.clear();
        f.seek(SeekFrom::Start(0))?;
        return f.take(cap).read_to_end(buf);
    }
    // Anything past the length it said (a file still being written).
    f.seek(SeekFrom::Start(len))?;
    f.take(cap.saturating_sub(len)).read_to_end(buf).map(|more| more + size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_read_in_parts_is_the_file() {
        let dir = std::env::temp_dir().join(format!("iso27017-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("input.json");
        let text: Vec<u8> = (0..300_007u32).flat_map(|i| i.to_le_bytes()).collect();
        std::fs::write(&path, &text).unwrap();
        let len = text.len() as u64;
        let read = |len: u64, cap: u64| {
            let mut buf = Vec::new();
            let n = read_file_from(std::fs::File::open(&path).unwrap(), len, cap, &mut buf, 1).unwrap();
            assert_eq!(n, buf.len());
            buf
        };
        // Whole; at most `cap` bytes; a file longer than it said (it grew);
        // shorter than it said (it shrank).
        assert_eq!(read(len, len + 1), text);
        assert_eq!(read(1000, 1000), text[..1000]);
        assert_eq!(read(len - 12345, len + 1), text);
        assert_eq!(read(len + 12345, len + 20000), text);
        // Small files, and a threshold above the length, read in order.
        assert_eq!(read(3, 4), text[..4]);
        let mut buf = Vec::new();
        read_file_from(std::fs::File::open(&path).unwrap(), len, len + 1, &mut buf, len + 1).unwrap();
        assert_eq!(buf, text);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_regular_file_is_mapped_at_most_max_plus_one_bytes() {
        let dir = std::env::temp_dir().join(format!("iso27017-map-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("input.json");
        let text: Vec<u8> = (0..300_007u32).flat_map(|i| i.to_le_bytes()).collect();
        std::fs::write(&path, &text).unwrap();
        let name = path.to_str().unwrap();
        let whole = read_input(name, text.len() * 2).unwrap();
        assert!(matches!(whole, Input::Mapped(_)));
        assert_eq!(whole.as_ref(), text.as_slice());
        // Larger than the limit: one byte more than it, so the engine can say so.
        assert_eq!(read_input(name, 999).unwrap().as_ref(), &text[..1000]);
        assert_eq!(read_input(name, 999).unwrap().as_ref(), &text[..1000]);
        // An empty file (nothing to map) and a directory are read; a missing
        // file is an error naming it.
        let empty = dir.join("empty.json");
        std::fs::write(&empty, b"").unwrap();
        assert!(matches!(read_input(empty.to_str().unwrap(), 10).unwrap(), Input::Read(v) if v.is_empty()));
        assert!(read_input(dir.to_str().unwrap(), 10).is_err());
        let missing = dir.join("missing.json");
        assert!(read_input(missing.to_str().unwrap(), 10).err().unwrap_or_default().contains("cannot open"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
