//! An OpenDocument sheet says "this row 1,000,000 times" and "this cell 16,000 times" in a few
//! bytes, and the workbook reader expands both before pipemap sees a row. What the expansion
//! would cost is added up here from `content.xml`'s row and cell tags, streamed, and a sheet
//! past the limit is refused before the reader starts. Only the repeat counts and the size of
//! each cell's content are looked at; the reading itself is calamine's.

use std::io::{BufRead, BufReader, Read};

/// Bytes of expanded cells an ODS workbook may always cost, however small it is.
pub const FLOOR_BYTES: u64 = 512 << 20;
/// How many times its own size past the floor an ODS workbook may expand to.
pub const PER_BOOK_BYTE: u64 = 100;
/// What one expanded cell costs the reader besides its text.
const CELL_BYTES: u64 = 32;
/// The longest tag looked into (its attributes); longer ones are passed over.
const MAX_TAG: usize = 64 << 10;

/// The bytes a workbook's `content.xml` expands to, stopping as soon as it passes `limit`:
/// `Err(estimate)` then.
pub fn expansion(content: impl Read, limit: u64) -> std::io::Result<Result<u64, u64>> {
    let mut reader = BufReader::new(content);
    let mut total = 0u64;
    let (mut row_repeat, mut row_cost) = (1u64, 0u64);
    let mut cell: Option<(u64, u64)> = None; // (repeat, content start)
    let mut at = 0u64;
    let mut tag = Vec::new();
    loop {
        let skipped = reader.skip_until(b'<')?;
        at += skipped as u64;
        if skipped == 0 {
            break;
        }
        // Where this tag's `<` is.
        let tag_at = at - 1;
        tag.clear();
        let n = (&mut reader)
            .take(MAX_TAG as u64)
            .read_until(b'>', &mut tag)?;
        at += n as u64;
        if n == 0 {
            break;
        }
        let text = &tag[..];
        let self_closing = text.ends_with(b"/>");
        if text.starts_with(b"table:table-row ") || text.starts_with(b"table:table-row>") {
            row_repeat = repeat(text, b"table:number-rows-repeated=\"");
            row_cost = 0;
            if self_closing {
                row_repeat = 1;
            }
        } else if text.starts_with(b"/table:table-row>") {
            total = total.saturating_add(row_repeat.saturating_mul(row_cost));
            if total > limit {
                return Ok(Err(total));
            }
            row_repeat = 1;
            row_cost = 0;
        } else if text.starts_with(b"table:table-cell")
            || text.starts_with(b"table:covered-table-cell")
        {
            let columns = repeat(text, b"table:number-columns-repeated=\"");
            if self_closing {
                row_cost = row_cost.saturating_add(columns.saturating_mul(CELL_BYTES));
            } else {
                cell = Some((columns, at));
            }
        } else if (text.starts_with(b"/table:table-cell")
            || text.starts_with(b"/table:covered-table-cell"))
            && let Some((columns, start)) = cell.take()
        {
            let content = tag_at.saturating_sub(start);
            row_cost = row_cost.saturating_add(columns.saturating_mul(content + CELL_BYTES));
        }
    }
    Ok(Ok(total))
}

/// The number in `name"…"` within a tag, 1 when it is missing or not a number.
fn repeat(tag: &[u8], name: &[u8]) -> u64 {
    let Some(start) = tag.windows(name.len()).position(|w| w == name) else {
        return 1;
    };
    let digits: Vec<u8> = tag[start + name.len()..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .copied()
        .collect();
    std::str::from_utf8(&digits)
        .ok()
        .and_then(|d| d.parse().ok())
        .unwrap_or(1)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_multiply_and_the_limit_stops_the_count() {
        let xml = br#"<table:table><table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>abcd</text:p></table:table-cell></table:table-row></table:table>"#;
        // The cell's content is `<text:p>abcd</text:p>` (21 bytes) plus the per-cell cost.
        let per_cell = 21 + CELL_BYTES;
        assert_eq!(
            expansion(&xml[..], u64::MAX).unwrap(),
            Ok(1000 * 100 * per_cell)
        );
        assert_eq!(
            expansion(&xml[..], 1000).unwrap(),
            Err(1000 * 100 * per_cell)
        );
        let plain = br#"<table:table-row><table:table-cell/><table:table-cell><text:p>x</text:p></table:table-cell></table:table-row>"#;
        assert_eq!(
            expansion(&plain[..], u64::MAX).unwrap(),
            Ok(CELL_BYTES + 18 + CELL_BYTES)
        );
    }
}
