//! Rows encoded as CSV lines in a buffer of their own, so the threads that convert rows also
//! encode them and the thread that writes only copies bytes. The encoding is the csv crate's
//! default writer's (its tests below compare the two byte for byte): `,` between fields, a
//! field quoted only when it holds `,`, `"`, `\r` or `\n` (quotes doubled inside), a row with
//! nothing to write written as `""`, and `\n` after each row.

/// Encodes rows as CSV lines.
#[derive(Debug, Default, Clone, Copy)]
pub struct LineEncoder;

impl LineEncoder {
    /// Appends `fields` as one CSV line (with its line break) to `out`.
    pub fn encode<I, T>(&self, fields: I, out: &mut Vec<u8>)
    where
        I: IntoIterator<Item = T>,
        T: AsRef<[u8]>,
    {
        let start = out.len();
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let field = field.as_ref();
            if needs_quotes(field) {
                out.push(b'"');
                let mut rest = field;
                while let Some(q) = memchr::memchr(b'"', rest) {
                    out.extend_from_slice(&rest[..=q]);
                    out.push(b'"');
                    rest = &rest[q + 1..];
                }
                out.extend_from_slice(rest);
                out.push(b'"');
            } else {
                out.extend_from_slice(field);
            }
        }
        // A line of nothing would read back as no row at all.
        if out.len() == start {
            out.extend_from_slice(b"\"\"");
        }
        out.push(b'\n');
    }
}

/// Whether a field must be quoted to read back as itself.
fn needs_quotes(field: &[u8]) -> bool {
    // Most cells are short: one pass over their bytes costs less than setting up the vector
    // searches, which win on long text.
    if field.len() < 64 {
        return field
            .iter()
            .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'));
    }
    memchr::memchr3(b',', b'"', b'\n', field).is_some() || memchr::memchr(b'\r', field).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What the csv crate's default writer writes for these rows.
    fn by_csv(rows: &[Vec<&str>]) -> Vec<u8> {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .from_writer(Vec::new());
        for row in rows {
            w.write_record(row).unwrap();
        }
        w.into_inner().unwrap()
    }

    fn by_encoder(rows: &[Vec<&str>]) -> Vec<u8> {
        let e = LineEncoder;
        let mut out = Vec::new();
        for row in rows {
            e.encode(row, &mut out);
        }
        out
    }

    #[test]
    fn lines_are_byte_for_byte_what_the_csv_writer_writes() {
        let long = "x\"y,".repeat(5000);
        // Long fields go through the vector search, short ones through the byte loop.
        let (long_cr, long_plain) = (format!("{}\r", "a".repeat(100)), "b".repeat(100));
        let rows: Vec<Vec<&str>> = vec![
            vec!["Ann", "Lee", ""],
            vec![""],
            vec!["", ""],
            vec![
                "a,b",
                "say \"hi\"",
                "two\nlines",
                "cr\ronly",
                "\"",
                "'=SUM(A1)",
            ],
            vec!["Zoë", "日本", " lead ", "#"],
            vec![&long, "end"],
            vec![&long_cr, &long_plain, "c\r"],
            vec![],
        ];
        assert_eq!(
            String::from_utf8(by_encoder(&rows)).unwrap(),
            String::from_utf8(by_csv(&rows)).unwrap()
        );
    }

    proptest::proptest! {
        #[test]
        fn any_fields_encode_as_the_csv_writer_does(
            rows in proptest::collection::vec(proptest::collection::vec(".{0,12}", 0..6), 0..8)
        ) {
            let rows: Vec<Vec<&str>> =
                rows.iter().map(|r| r.iter().map(String::as_str).collect()).collect();
            proptest::prop_assert_eq!(by_encoder(&rows), by_csv(&rows));
        }
    }
}
