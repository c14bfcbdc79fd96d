//! Little-endian binary writer/reader for the tagger model files.
//!
//! Takes plain values (integers, floats, strings) and gives a byte buffer, and
//! back. The reader checks every length against the remaining bytes, so a
//! truncated or corrupt file gives an `Error::Data` naming the file and offset
//! instead of a panic.

use chronicle_core::{Error, Result};

/// Reads a model file; the error names the path.
pub(crate) fn read_model(path: &std::path::Path) -> Result<Vec<u8>> {
    std::fs::read(path).map_err(|e| Error::Data(format!("{}: {e}", path.display())))
}

/// Writes a model file; the error names the path.
pub(crate) fn write_model(path: &std::path::Path, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::Data(format!("{}: {e}", path.display())))
}

/// Appends little-endian values to a byte buffer.
#[derive(Default)]
pub(crate) struct Writer {
    pub buf: Vec<u8>,
}

impl Writer {
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i16(&mut self, v: i16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f32(&mut self, v: f32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }
    pub fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.buf.extend_from_slice(s.as_bytes());
    }
    pub fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }
}

/// Reads little-endian values with bounds checks.
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    origin: &'a str,
}

impl<'a> Reader<'a> {
    pub fn new(buf: &'a [u8], origin: &'a str) -> Self {
        Reader {
            buf,
            pos: 0,
            origin,
        }
    }
    pub fn err(&self, what: &str) -> Error {
        Error::Data(format!("{} at byte {}: {what}", self.origin, self.pos))
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        if self.buf.len() - self.pos < n {
            return Err(self.err(&format!("truncated (need {n} bytes)")));
        }
        let s = &self.buf[self.pos..self.pos + n];
        self.pos += n;
        Ok(s)
    }
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    pub fn u32(&mut self) -> Result<u32> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    pub fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }
    pub fn i16(&mut self) -> Result<i16> {
        Ok(i16::from_le_bytes(
            self.take(2)?.try_into().expect("2 bytes"),
        ))
    }
    pub fn f32(&mut self) -> Result<f32> {
        Ok(f32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }
    pub fn str(&mut self) -> Result<&'a str> {
        let n = self.u32()? as usize;
        let b = self.take(n)?;
        std::str::from_utf8(b).map_err(|_| self.err("string is not UTF-8"))
    }
    /// A count of items that each take at least `min_bytes`; rejects counts the
    /// remaining bytes cannot hold (protects allocations from corrupt files).
    pub fn count(&mut self, min_bytes: usize) -> Result<usize> {
        let n = self.u32()? as usize;
        if n.saturating_mul(min_bytes.max(1)) > self.buf.len() - self.pos {
            return Err(self.err(&format!("count {n} exceeds remaining bytes")));
        }
        Ok(n)
    }
    pub fn at_end(&self) -> bool {
        self.pos == self.buf.len()
    }
}
