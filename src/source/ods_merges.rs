//! The merged cells of an OpenDocument sheet. The workbook reader gives a merged range's value
//! in its top cell only and says nothing of the range, so the rows below would lose it (a
//! Company cell merged over its people). The ranges are read here from `content.xml`
//! (`table:number-rows-spanned` on a cell), with quick-xml's event reader, so they can be
//! carried down as in XLSX sheets.

use std::io::BufRead;

use calamine::Dimensions;
use quick_xml::events::{BytesStart, Event};

/// The merged ranges that span rows in the sheet named `sheet`, as 0-based sheet rows and
/// columns. A document the scan cannot read gives no ranges (the reader names the damage).
pub fn merged_regions(content: impl BufRead, sheet: &str) -> Vec<Dimensions> {
    let mut reader = quick_xml::Reader::from_reader(content);
    let mut buf = Vec::new();
    let mut regions = Vec::new();
    let mut in_sheet = false;
    let (mut row, mut col) = (0u32, 0u32);
    let mut row_repeat = 1u32;
    loop {
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(_) => return Vec::new(),
        };
        match event {
            Event::Start(e) | Event::Empty(e) if e.name().into_inner() == "table:table" => {
                in_sheet = attribute(&e, "table:name").as_deref() == Some(sheet);
                (row, col) = (0, 0);
            }
            Event::End(e) if in_sheet && e.name().into_inner() == "table:table" => break,
            Event::Start(e) if in_sheet && e.name().into_inner() == "table:table-row" => {
                col = 0;
                row_repeat = number(&e, "table:number-rows-repeated");
            }
            // A row written `<table:table-row/>` has no cells and no end tag of its own.
            Event::Empty(e) if in_sheet && e.name().into_inner() == "table:table-row" => {
                row = row.saturating_add(number(&e, "table:number-rows-repeated"));
            }
            Event::End(e) if in_sheet && e.name().into_inner() == "table:table-row" => {
                row = row.saturating_add(row_repeat);
                row_repeat = 1;
            }
            Event::Start(e) | Event::Empty(e)
                if in_sheet
                    && matches!(
                        e.name().into_inner(),
                        "table:table-cell" | "table:covered-table-cell"
                    ) =>
            {
                let spanned = number(&e, "table:number-rows-spanned");
                let across = number(&e, "table:number-columns-spanned");
                if spanned > 1 {
                    regions.push(Dimensions {
                        start: (row, col),
                        end: (
                            row.saturating_add(spanned - 1),
                            col.saturating_add(across - 1),
                        ),
                    });
                }
                col = col.saturating_add(number(&e, "table:number-columns-repeated"));
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    regions
}

fn attribute(e: &BytesStart, name: &str) -> Option<String> {
    let attr = e.try_get_attribute(name).ok()??;
    // Sheet names are compared as the reader gives them: with `&amp;` and the like unescaped.
    Some(quick_xml::escape::unescape(&attr.value).ok()?.into_owned())
}

/// A count attribute, 1 when missing or not a number.
fn number(e: &BytesStart, name: &str) -> u32 {
    attribute(e, name)
        .and_then(|v| v.trim().parse::<u32>().ok())
        .unwrap_or(1)
        .max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_found_past_repeated_rows_and_cells_in_their_own_sheet() {
        let xml = br#"<office:spreadsheet><table:table table:name="Other"><table:table-row><table:table-cell table:number-rows-spanned="9"/></table:table-row></table:table><table:table table:name="People"><table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row><table:table-row/><table:table-row><table:table-cell table:number-columns-repeated="3"/><table:table-cell table:number-rows-spanned="4" table:number-columns-spanned="2"><text:p>Acme</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell table:number-columns-repeated="3"/><table:covered-table-cell table:number-columns-repeated="2"/></table:table-row></table:table></office:spreadsheet>"#;
        let found = merged_regions(&xml[..], "People");
        assert_eq!(
            found,
            vec![Dimensions {
                start: (3, 3),
                end: (6, 4)
            }]
        );
        assert_eq!(merged_regions(&b"<not xml"[..], "People"), Vec::new());
    }
}
