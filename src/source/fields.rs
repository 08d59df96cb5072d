//! A record's fields as text, in one buffer: what the CSV reader read, checked as UTF-8 once for
//! the whole record rather than field by field (a million rows of 35 columns would otherwise
//! cost 35 million checks), and sliced by field ends.

use std::ops::Index;

/// The fields of one record: one string holding them all, and where each ends.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Fields {
    text: String,
    /// The end of each field in `text`; a field starts where the one before it ends.
    ends: Vec<u32>,
}

impl Fields {
    /// The fields of a CSV record when its bytes are valid UTF-8 (the caller replaces invalid
    /// bytes itself); `None` when they are not. One check covers the whole record: the joined
    /// bytes are valid and every field starts on a character, so each field is valid alone.
    pub fn from_byte_record(record: &csv::ByteRecord) -> Option<Fields> {
        let mut fields = Fields::default();
        fields.refill(record).then_some(fields)
    }

    /// Makes these the fields of `record`, as [`Fields::from_byte_record`] reads them, in the
    /// room these fields already have; false (and the fields left empty) when its bytes are
    /// not valid UTF-8.
    pub fn refill(&mut self, record: &csv::ByteRecord) -> bool {
        self.text.clear();
        self.ends.clear();
        let Ok(text) = std::str::from_utf8(record.as_slice()) else {
            return false;
        };
        let mut start = 0usize;
        for field in record.iter() {
            // A record is refused past MAX_RECORD_BYTES (64 MiB), far below u32::MAX.
            let end = u32::try_from(start + field.len());
            if !text.is_char_boundary(start) || end.is_err() {
                self.ends.clear();
                return false;
            }
            start += field.len();
            self.ends.extend(end);
        }
        self.text.push_str(text);
        true
    }

    /// No fields yet, with room for `fields` of `bytes` in all.
    pub fn with_capacity(fields: usize, bytes: usize) -> Fields {
        Fields {
            text: String::with_capacity(bytes),
            ends: Vec::with_capacity(fields),
        }
    }

    /// How many fields the record holds.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// True for a record without fields.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `i`-th field (0-based), if the record has it.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end)
    }

    /// The fields in order.
    pub fn iter(&self) -> FieldsIter<'_> {
        FieldsIter {
            fields: self,
            front: 0,
            back: self.ends.len(),
        }
    }

    /// All fields joined without separators (their total length is the record's text length).
    pub fn as_slice(&self) -> &str {
        &self.text
    }

    /// The room the fields' text has, in bytes.
    pub fn capacity(&self) -> usize {
        self.text.capacity()
    }

    /// No fields, keeping the room they took.
    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }

    /// Appends a field.
    pub fn push_field(&mut self, field: &str) {
        self.text.push_str(field);
        // Fields come from a record refused past 64 MiB, or from a sheet's cells.
        self.ends
            .push(u32::try_from(self.text.len()).unwrap_or(u32::MAX));
    }
}

impl std::fmt::Debug for Fields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Index<usize> for Fields {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        match self.get(i) {
            Some(field) => field,
            None => panic!("field {i} of a record of {} fields", self.len()),
        }
    }
}

impl<S: AsRef<str>> FromIterator<S> for Fields {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Fields {
        let mut fields = Fields::default();
        for field in iter {
            fields.push_field(field.as_ref());
        }
        fields
    }
}

impl<S: AsRef<str>> From<Vec<S>> for Fields {
    fn from(cells: Vec<S>) -> Fields {
        cells.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = &'a str;
    type IntoIter = FieldsIter<'a>;

    fn into_iter(self) -> FieldsIter<'a> {
        self.iter()
    }
}

/// The fields of a [`Fields`], in order.
#[derive(Clone)]
pub struct FieldsIter<'a> {
    fields: &'a Fields,
    front: usize,
    back: usize,
}

impl<'a> Iterator for FieldsIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.front >= self.back {
            return None;
        }
        let field = self.fields.get(self.front);
        self.front += 1;
        field
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.back - self.front;
        (n, Some(n))
    }
}

impl DoubleEndedIterator for FieldsIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.front >= self.back {
            return None;
        }
        self.back -= 1;
        self.fields.get(self.back)
    }
}

impl ExactSizeIterator for FieldsIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(fields: &[&[u8]]) -> csv::ByteRecord {
        let mut r = csv::ByteRecord::new();
        for f in fields {
            r.push_field(f);
        }
        r
    }

    #[test]
    fn fields_read_back_as_written() {
        let f = Fields::from_byte_record(&record(&[b"a", b"", "Åsa Ström".as_bytes(), b"x"]))
            .expect("valid");
        assert_eq!(f.len(), 4);
        assert_eq!(f.iter().collect::<Vec<_>>(), ["a", "", "Åsa Ström", "x"]);
        assert_eq!(
            f.iter().rev().collect::<Vec<_>>(),
            ["x", "Åsa Ström", "", "a"]
        );
        assert_eq!(f.get(2), Some("Åsa Ström"));
        assert_eq!(f.get(4), None);
        assert_eq!(&f[3], "x");
        assert_eq!(f.as_slice(), "aÅsa Strömx");
        assert_eq!(f, Fields::from(vec!["a", "", "Åsa Ström", "x"]));
    }

    #[test]
    fn a_character_split_across_two_fields_is_invalid() {
        // "é" is C3 A9: valid when the fields are joined, invalid in each field alone.
        assert!(Fields::from_byte_record(&record(&[b"caf\xC3", b"\xA9"])).is_none());
        assert!(Fields::from_byte_record(&record(&[b"ok", b"bad\xFF"])).is_none());
        assert!(Fields::from_byte_record(&record(&[])).is_some_and(|f| f.is_empty()));
    }
}
