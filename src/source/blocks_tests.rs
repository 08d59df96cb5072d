use proptest::prelude::*;

use super::*;

/// A row as a read hands it out: where it starts (as a position to read it again from), its
/// line and its fields.
type Row = (u64, Vec<String>, Option<usize>);

fn fields(record: &Record) -> Row {
    (
        record.line,
        record.fields.iter().map(str::to_string).collect(),
        record.invalid_text,
    )
}

fn file_of(bytes: &[u8]) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rows.csv");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

/// The rows of `bytes` read one by one, with the error that ended the read, if any.
fn read_by_rows(bytes: &[u8], wanted: Option<&[bool]>) -> (Vec<Row>, Option<String>) {
    let (_dir, path) = file_of(bytes);
    rows_in(&path, wanted)
}

fn rows_in(path: &std::path::Path, wanted: Option<&[bool]>) -> (Vec<Row>, Option<String>) {
    let mut table = match Table::open(path) {
        Ok(table) => table,
        Err(e) => return (Vec::new(), Some(e.to_string())),
    };
    let mut rows = Vec::new();
    loop {
        let next = match wanted {
            Some(wanted) => table.next_record_with(wanted, None),
            None => table.next_record(),
        };
        match next {
            Ok(Some(record)) => rows.push(fields(&record)),
            Ok(None) => return (rows, None),
            Err(e) => return (rows, Some(e.to_string())),
        }
    }
}

/// The rows of `bytes` read as blocks of about `block_bytes`, in order, with the error that
/// ended the read; each row read again from the start the block gave for it.
fn blocks_in(
    path: &std::path::Path,
    wanted: Option<&[bool]>,
    block_bytes: usize,
) -> (Vec<Row>, Option<String>, Vec<Row>) {
    let mut table = match Table::open(path) {
        Ok(table) => table,
        Err(e) => return (Vec::new(), Some(e.to_string()), Vec::new()),
    };
    let mut again = table
        .rows_at()
        .unwrap()
        .expect("a plain file is read again by position");
    let mut blocks = table
        .row_blocks()
        .unwrap()
        .expect("a plain file is read as blocks");
    blocks.block_bytes = block_bytes;
    let mut end = blocks.text_end();
    let (mut rows, mut reread) = (Vec::new(), Vec::new());
    let mut spare = None;
    let error = loop {
        let block = match blocks.next_block(spare.take()) {
            Ok(Some(block)) => block,
            Ok(None) => break None,
            Err(e) => break Some(e.to_string()),
        };
        let mut read = Vec::new();
        let result = block.read(wanted, |start, record| read.push((start, fields(record))));
        spare = Some(block.into_bytes());
        for (start, row) in read {
            let whole = again.read(start, row.0).ok().flatten().map(|r| fields(&r));
            reread.push(whole.unwrap_or_default());
            rows.push(row);
        }
        if let Err(e) = result.and_then(|b| end.take(&b)) {
            break Some(e.to_string());
        }
    };
    (rows, error, reread)
}

/// The rows and error of `bytes` read one by one, and as blocks of about `block_bytes`.
type Both = (
    (Vec<Row>, Option<String>),
    (Vec<Row>, Option<String>, Vec<Row>),
);

fn read_both(bytes: &[u8], wanted: Option<&[bool]>, block_bytes: usize) -> Both {
    let (_dir, path) = file_of(bytes);
    (
        rows_in(&path, wanted),
        blocks_in(&path, wanted, block_bytes),
    )
}

fn rows_of(bytes: &[u8]) -> Vec<Row> {
    read_by_rows(bytes, None).0
}

#[test]
fn rows_read_as_blocks_are_the_rows_read_one_by_one() {
    let text: &[u8] = b"Name,Note,City\r\n\
        Ada,\"two\r\nlines\",Paris\r\n\
        \r\n\
        \"Bob \"\"B\"\"\",plain,\"\"\r\n\
        Cy,say \"hi\" there,Rome\r\n\
        \"Dee,E,F\"\r\n\
        Eve,caf\xc3\xa9,\r\n\
        Fay,short\r\n\
        Gus,\"x\ny\nz\",Oslo";
    for block_bytes in [1, 2, 3, 7, 16, 64, 4096] {
        let ((by_rows, _), (rows, error, reread)) = read_both(text, None, block_bytes);
        assert_eq!(error, None, "blocks of {block_bytes}");
        assert_eq!(rows, by_rows, "blocks of {block_bytes}");
        assert_eq!(reread, rows, "read again, blocks of {block_bytes}");
    }
    let lines: Vec<u64> = rows_of(text).iter().map(|r| r.0).collect();
    assert_eq!(lines, [2, 5, 6, 7, 8, 9, 10]);
}

#[test]
fn a_row_ends_at_a_line_break_outside_quoted_cells() {
    assert_eq!(last_row_end(b"a,b\nc,d\ne", b','), Some(8));
    assert_eq!(last_row_end(b"a,\"b\nc\"\nd", b','), Some(8));
    // A quote inside a cell opens nothing: the line break after it ends the row.
    assert_eq!(last_row_end(b"a,b\"c\nd", b','), Some(6));
    // A doubled quote stays inside the quoted cell.
    assert_eq!(last_row_end(b"\"a\"\"\nb\"\nc", b','), Some(8));
    assert_eq!(last_row_end(b"\"a\nb", b','), None);
    assert_eq!(last_row_end(b"a;\"b\nc\";d\n", b';'), Some(10));
    assert_eq!(last_row_end(b"a,\"b\nc\"d", b';'), Some(5));
    assert_eq!(last_row_end(b"a,\"b\nc\"d", b','), None);
    assert_eq!(last_row_end(b"", b','), None);
}

#[test]
fn the_end_of_the_text_is_checked_as_the_row_reader_checks_it() {
    let open_quote: &[u8] = b"Name,Note\nAda,\"never closed\nBob,x\n";
    let cut_short: &[u8] = b"Name,Note,City\nAda,a,b\nBob,b";
    for text in [open_quote, cut_short] {
        for block_bytes in [1, 5, 4096] {
            let ((rows, error), (blocked, blocked_error, _)) = read_both(text, None, block_bytes);
            assert!(error.is_some(), "{}", String::from_utf8_lossy(text));
            assert_eq!((&blocked, &blocked_error), (&rows, &error));
        }
    }
}

#[test]
fn a_row_past_the_size_limit_is_refused_as_the_row_reader_refuses_it() {
    let mut text = b"Name,Note\nAda,a\n".to_vec();
    text.extend(std::iter::repeat_n(
        b'x',
        (MAX_RECORD_BYTES + (2 << 20)) as usize,
    ));
    let ((_, error), (_, blocked_error, _)) = read_both(&text, None, BLOCK_BYTES);
    assert!(
        error.as_deref().is_some_and(|e| e.contains(":3: refused")),
        "{error:?}"
    );
    assert_eq!(blocked_error, error);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_text_reads_the_same_as_blocks_and_row_by_row(
        body in "[a,\"\r\n é]{0,60}",
        block_bytes in 1usize..24,
        wanted in proptest::collection::vec(any::<bool>(), 3),
        some_columns in any::<bool>(),
    ) {
        let text = format!("h1,h2,h3\n{body}");
        let wanted = some_columns.then_some(&wanted[..]);
        let ((rows, error), (blocked, blocked_error, reread)) =
            read_both(text.as_bytes(), wanted, block_bytes);
        prop_assert_eq!(&blocked, &rows);
        prop_assert_eq!(&blocked_error, &error);
        // Read again from where the block said they start, rows are whole.
        let whole = read_by_rows(text.as_bytes(), None).0;
        prop_assert_eq!(&reread[..], &whole[..reread.len()]);
    }
}
