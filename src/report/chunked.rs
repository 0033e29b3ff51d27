//! The long lists of the JSON and SARIF documents (findings, results),
//! serialized in chunks on worker threads and written in order, and the
//! pretty-printed levels around them written by hand ([`Open`]).
//!
//! **Invariant:** the bytes are those of one serialization of the whole
//! document, whatever the number of threads or the chunk size: each chunk is
//! a contiguous range of the list, its elements each preceded by `,` and a
//! new line, and only the first element of the list loses its comma. Memory
//! is bounded: each thread has at most [`AHEAD`] chunks made ahead of the
//! writer and one being made, in buffers that go back to it once written.

use super::json::OnePerLine;
use serde::Serialize;
use std::io::{self, Write};
use std::ops::Range;
use std::sync::mpsc;

/// Elements per chunk (a few hundred KB to a few MB of JSON for findings).
pub(crate) const CHUNK: usize = 2048;
/// Chunks a thread may have made ahead of the writer.
pub(crate) const AHEAD: usize = 2;

/// An object or array opened in a document pretty-printed down to its
/// entries (as [`OnePerLine`] and serde_json's `PrettyFormatter` lay it out):
/// `level` containers are open, this one the innermost.
pub(crate) struct Open<'w, W: ?Sized> {
    pub w: &'w mut W,
    level: usize,
    pretty: usize,
    first: bool,
}

impl<'w, W: Write + ?Sized> Open<'w, W> {
    /// Open an object inside `level` open containers (0: the document).
    pub fn object(w: &'w mut W, level: usize, pretty: usize) -> io::Result<Self> {
        w.write_all(b"{")?;
        Ok(Open { w, level: level + 1, pretty, first: true })
    }

    /// Open an array inside `level` open containers.
    pub fn array(w: &'w mut W, level: usize, pretty: usize) -> io::Result<Self> {
        w.write_all(b"[")?;
        Ok(Open { w, level: level + 1, pretty, first: true })
    }

    /// Containers open inside this one (its own included).
    pub fn level(&self) -> usize {
        self.level
    }

    /// The separator and indentation before an entry.
    pub fn entry(&mut self) -> io::Result<()> {
        self.w.write_all(if self.first { b"\n" } else { b",\n" })?;
        self.first = false;
        indent(self.w, self.level)
    }

    /// An object's key (plain ASCII, written as it is) and its `: `.
    pub fn key(&mut self, key: &str) -> io::Result<()> {
        self.entry()?;
        self.w.write_all(b"\"")?;
        self.w.write_all(key.as_bytes())?;
        self.w.write_all(b"\": ")
    }

    /// A value, laid out as the document around it.
    pub fn value<T: Serialize + ?Sized>(&mut self, v: &T) -> io::Result<()> {
        v.serialize(&mut serde_json::Serializer::with_formatter(&mut *self.w, OnePerLine::at(self.level, self.pretty))).map_err(io::Error::from)
    }

    /// A key and its value.
    pub fn field<T: Serialize + ?Sized>(&mut self, key: &str, v: &T) -> io::Result<()> {
        self.key(key)?;
        self.value(v)
    }

    /// `n` elements made by `fill` (see [`write_chunks`]), as this array's entries.
    pub fn elements(&mut self, n: usize, fill: impl Fn(Range<usize>, &mut Vec<u8>) -> io::Result<()> + Sync) -> io::Result<()> {
        if write_chunks(&mut *self.w, n, fill)? {
            self.first = false;
        }
        Ok(())
    }

    /// Close with `token` (`}` or `]`).
    fn close(self, token: &[u8]) -> io::Result<()> {
        if !self.first {
            self.w.write_all(b"\n")?;
            indent(self.w, self.level - 1)?;
        }
        self.w.write_all(token)
    }

    /// Close the object.
    pub fn end_object(self) -> io::Result<()> {
        self.close(b"}")
    }

    /// Close the array.
    pub fn end_array(self) -> io::Result<()> {
        self.close(b"]")
    }
}

/// Write a chunk, without its first byte (the comma) if it is the list's first.
fn put<W: Write + ?Sized>(w: &mut W, any: &mut bool, buf: &[u8]) -> io::Result<()> {
    let bytes = match buf.split_first() {
        Some((_, rest)) if !*any => {
            *any = true;
            rest
        }
        _ => buf,
    };
    w.write_all(bytes)
}

/// Two spaces per level (one write for the usual depths).
pub(crate) fn indent<W: Write + ?Sized>(w: &mut W, level: usize) -> io::Result<()> {
    const SPACES: &[u8; 64] = b"                                                                ";
    let mut n = level * 2;
    while n > 0 {
        let step = n.min(SPACES.len());
        w.write_all(&SPACES[..step])?;
        n -= step;
    }
    Ok(())
}

/// The separator, new line and indentation before an element of an array
/// whose entries are at `level` (`,` included: [`write_chunks`] drops the
/// list's first).
pub(crate) fn separator(level: usize) -> Vec<u8> {
    let mut s = b",\n".to_vec();
    s.resize(2 + level * 2, b' ');
    s
}

/// The elements `0..n` of a list, made chunk by chunk by `fill` (which
/// appends the elements of a range, each preceded by its [`separator`], to
/// the buffer; it may skip some), written to `w` in order without the comma
/// before the first. Chunks are made on worker threads (natively, for long
/// lists), at most [`AHEAD`] per thread ahead of the writer; one thread here.
/// Whether any element was written. Stops at the first error of `w` or
/// `fill`, with that error.
pub(crate) fn write_chunks<W: Write + ?Sized>(w: &mut W, n: usize, fill: impl Fn(Range<usize>, &mut Vec<u8>) -> io::Result<()> + Sync) -> io::Result<bool> {
    let chunks = n.div_ceil(CHUNK);
    let range = |c: usize| c * CHUNK..((c + 1) * CHUNK).min(n);
    let threads = crate::ingest::util::worker_threads(n).min(chunks);
    let mut any = false;
    if threads <= 1 {
        let mut buf = Vec::new();
        for c in 0..chunks {
            buf.clear();
            fill(range(c), &mut buf)?;
            put(w, &mut any, &buf)?;
        }
        return Ok(any);
    }
    let fill = &fill;
    std::thread::scope(|scope| {
        // One lane per thread: chunks t, t + threads, … come out of it in order.
        type Lane = Option<(mpsc::Receiver<io::Result<Vec<u8>>>, mpsc::Sender<Vec<u8>>)>;
        let mut lanes: Vec<Lane> = Vec::with_capacity(threads);
        let mut handles = Vec::with_capacity(threads);
        for t in 0..threads {
            let (made, made_rx) = mpsc::sync_channel::<io::Result<Vec<u8>>>(AHEAD);
            let (spent, spent_rx) = mpsc::channel::<Vec<u8>>();
            let work = move || {
                for c in (t..chunks).step_by(threads) {
                    let mut buf = spent_rx.try_recv().unwrap_or_default();
                    buf.clear();
                    let res = fill(range(c), &mut buf).map(|()| buf);
                    let failed = res.is_err();
                    // The writer stopped (an error): so does this thread.
                    if made.send(res).is_err() || failed {
                        return;
                    }
                }
            };
            match std::thread::Builder::new().name("iso27017-report".into()).spawn_scoped(scope, work) {
                Ok(h) => {
                    handles.push(h);
                    lanes.push(Some((made_rx, spent)));
                }
                // No thread to be had: this lane's chunks are made here.
                Err(_) => lanes.push(None),
            }
        }
        let mut written = || -> io::Result<bool> {
            let mut here = Vec::new();
            for c in 0..chunks {
                match lanes.get(c % threads) {
                    Some(Some((made, spent))) => {
                        let buf = made.recv().map_err(|_| io::Error::other("a report thread stopped"))??;
                        put(w, &mut any, &buf)?;
                        let _ = spent.send(buf);
                    }
                    _ => {
                        here.clear();
                        fill(range(c), &mut here)?;
                        put(w, &mut any, &here)?;
                    }
                }
            }
            Ok(any)
        };
        let res = written();
        // Closing the lanes ends the threads still making chunks (after an
        // error); each is joined here, so a panic is an error, not a panic.
        drop(lanes);
        let mut stopped = false;
        for h in handles {
            stopped |= h.join().is_err();
        }
        match res {
            Ok(_) if stopped => Err(io::Error::other("a report thread stopped")),
            res => res,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Elements `i` written as `,\n  i` for the even `i` only.
    fn evens(r: Range<usize>, buf: &mut Vec<u8>) -> io::Result<()> {
        for i in r.filter(|i| i % 2 == 0) {
            buf.extend_from_slice(&separator(1));
            buf.extend_from_slice(i.to_string().as_bytes());
        }
        Ok(())
    }

    #[test]
    fn chunks_come_out_in_order_without_the_first_comma() {
        for n in [0, 1, 2, CHUNK - 1, CHUNK, CHUNK + 1, 5 * CHUNK + 7] {
            let mut out = Vec::new();
            let any = write_chunks(&mut out, n, evens).unwrap();
            let expected: Vec<String> = (0..n).filter(|i| i % 2 == 0).map(|i| format!("\n  {i}")).collect();
            assert_eq!(String::from_utf8(out).unwrap(), expected.join(","), "n = {n}");
            assert_eq!(any, n > 0);
        }
        // A first chunk with nothing in it: the comma goes from the first element written.
        let mut out = Vec::new();
        let any = write_chunks(&mut out, 3 * CHUNK, |r, buf| evens(r.start.max(CHUNK + 1)..r.end.max(CHUNK + 1), buf)).unwrap();
        assert!(any);
        assert!(out.starts_with(format!("\n  {}", CHUNK + 2).as_bytes()), "{:?}", String::from_utf8_lossy(&out[..20]));
    }

    #[test]
    fn an_error_stops_the_writing_with_that_error() {
        let failing = |r: Range<usize>, buf: &mut Vec<u8>| {
            if r.start >= 3 * CHUNK {
                return Err(io::Error::new(io::ErrorKind::InvalidData, "no"));
            }
            evens(r, buf)
        };
        let mut out = Vec::new();
        let e = write_chunks(&mut out, 10 * CHUNK, failing).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        let expected: Vec<String> = (0..3 * CHUNK).filter(|i| i % 2 == 0).map(|i| format!("\n  {i}")).collect();
        assert_eq!(String::from_utf8(out).unwrap(), expected.join(","));
    }

    #[test]
    fn at_most_a_few_chunks_are_made_ahead_of_the_writer() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        // Chunks made minus chunks written, at most, while the writer is slow.
        let made = AtomicUsize::new(0);
        let most = AtomicUsize::new(0);
        struct Slow<'a>(&'a AtomicUsize, &'a AtomicUsize);
        impl Write for Slow<'_> {
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                std::thread::sleep(std::time::Duration::from_millis(2));
                self.1.fetch_max(self.0.fetch_sub(1, Ordering::SeqCst), Ordering::SeqCst);
                Ok(buf.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let n = 40 * CHUNK;
        let threads = crate::ingest::util::worker_threads(n);
        write_chunks(&mut Slow(&made, &most), n, |r, buf| {
            made.fetch_add(1, Ordering::SeqCst);
            evens(r, buf)
        })
        .unwrap();
        let most = most.load(Ordering::SeqCst);
        assert!(most <= threads * (AHEAD + 1) + 1, "{most} chunks ahead with {threads} threads");
    }
}
