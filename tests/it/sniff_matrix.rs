//! Every delimiter × encoding × line ending, in files the test writes: the table opens with the
//! right dialect, decodes every character and keeps quoted delimiters and line breaks in place.

use pipemap::source::{LineEnding, Table};

fn encode(text: &str, encoding: &str) -> Vec<u8> {
    match encoding {
        "utf-8" => text.as_bytes().to_vec(),
        "utf-8-bom" => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
        "utf-16le" => [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect(),
        "utf-16be" => [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect(),
        "windows-1252" => {
            let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
            assert!(!unmappable);
            bytes.into_owned()
        }
        other => panic!("{other}"),
    }
}

#[test]
fn every_dialect_and_encoding_reads_back_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let mut checked = 0;
    for delimiter in [',', ';', '\t', '|'] {
        for (ending, expect) in [
            ("\n", LineEnding::Lf),
            ("\r\n", LineEnding::Crlf),
            ("\r", LineEnding::Cr),
        ] {
            for encoding in ["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "windows-1252"] {
                let d = delimiter;
                let rows = [
                    format!("Name{d}Société{d}Notes"),
                    format!("Zoë Müller{d}Crème Brûlée SARL{d}\"plain\""),
                    format!("Ñandú{d}Café{d}\"says \"\"hi\"\"{d} then{ending}leaves\""),
                ];
                let text = rows.join(ending) + ending;
                let path = dir.path().join(format!("t{checked}.csv"));
                std::fs::write(&path, encode(&text, encoding)).unwrap();
                let label = format!("{encoding} {:?} {:?}", delimiter, ending);
                let mut table = Table::open(&path).unwrap_or_else(|e| panic!("{label}: {e}"));
                assert_eq!(table.headers, ["Name", "Société", "Notes"], "{label}");
                assert_eq!(table.format.delimiter_byte(), delimiter as u8, "{label}");
                assert_eq!(table.format.line_ending, expect, "{label}");
                let first = table.next_record().unwrap().unwrap();
                assert_eq!(first.fields.get(1), Some("Crème Brûlée SARL"), "{label}");
                let second = table.next_record().unwrap().unwrap();
                assert_eq!(second.fields.get(0), Some("Ñandú"), "{label}");
                assert_eq!(
                    second.fields.get(2),
                    Some(format!("says \"hi\"{d} then{ending}leaves").as_str()),
                    "{label}"
                );
                assert!(
                    table.next_record().unwrap().is_none(),
                    "{label}: a third row"
                );
                let name = table.format.encoding.to_lowercase();
                let want = encoding.trim_end_matches("-bom");
                assert_eq!(name, want, "{label}");
                assert_eq!(
                    table.format.bom,
                    encoding.ends_with("bom") || encoding.starts_with("utf-16"),
                    "{label}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 60);
}

#[test]
fn blank_and_repeated_headers_are_renamed_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("h.csv");
    std::fs::write(&path, "Email,,Email\na@x.example,1,b@x.example\n").unwrap();
    let table = Table::open(&path).unwrap();
    assert_eq!(table.headers, ["Email", "Column 2", "Email (2)"]);
    assert_eq!(table.warnings.len(), 2);
}
