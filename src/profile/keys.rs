//! Finds a key written twice in one YAML mapping, with the line and column where it repeats.
//!
//! serde_yaml reports a repeated field at the start of the mapping that holds it (often line 1,
//! column 1), and a map of columns or values takes the last of two equal keys without a word.
//! An event parser that gives each event its position (yaml-rust2) lets the message point at
//! the repeated key itself.

use std::collections::HashMap;

use yaml_rust2::parser::{Event, Parser};

/// A key that appears a second time in the same mapping.
#[derive(Debug, PartialEq, Eq)]
pub struct RepeatedKey {
    /// Where the mapping sits in the document (`files[0].columns`); empty at the top level.
    pub path: String,
    /// The key as written (its text, without quotes).
    pub key: String,
    /// The 1-based line of the second occurrence.
    pub line: usize,
    /// The 1-based column of the second occurrence.
    pub column: usize,
    /// The 1-based line of the first occurrence.
    pub first_line: usize,
}

/// One open mapping or sequence while the events are walked.
enum Frame {
    Mapping {
        path: String,
        /// Each key seen so far and its line.
        keys: HashMap<String, usize>,
        /// Whether the next node is a key (mappings alternate key, value).
        at_key: bool,
        /// The key whose value is being read, for the path of nested nodes.
        current: String,
    },
    Sequence {
        path: String,
        index: usize,
    },
}

impl Frame {
    /// The path of the node that starts now inside this frame.
    fn child_path(&self) -> String {
        match self {
            Frame::Mapping { path, current, .. } if path.is_empty() => current.clone(),
            Frame::Mapping { path, current, .. } => format!("{path}.{current}"),
            Frame::Sequence { path, index } => format!("{path}[{index}]"),
        }
    }

    /// Moves past one finished node (a scalar, alias, mapping or sequence).
    fn advance(&mut self) {
        match self {
            Frame::Mapping { at_key, .. } => *at_key = !*at_key,
            Frame::Sequence { index, .. } => *index += 1,
        }
    }
}

/// The first key written twice in one mapping, or `None` when every mapping's keys differ or
/// the text is not YAML this parser reads (serde_yaml then reports what is wrong).
pub fn first_repeated_key(text: &str) -> Option<RepeatedKey> {
    let mut stack: Vec<Frame> = Vec::new();
    let mut parser = Parser::new_from_str(text);
    loop {
        let (event, mark) = parser.next_token().ok()?;
        match event {
            Event::StreamEnd => return None,
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                let path = stack.last().map(Frame::child_path).unwrap_or_default();
                // A mapping or sequence used as a key is no text key; it is walked but not named.
                if let Some(Frame::Mapping {
                    current, at_key, ..
                }) = stack.last_mut()
                    && *at_key
                {
                    current.clear();
                }
                stack.push(if matches!(event, Event::MappingStart(..)) {
                    Frame::Mapping {
                        path,
                        keys: HashMap::new(),
                        at_key: true,
                        current: String::new(),
                    }
                } else {
                    Frame::Sequence { path, index: 0 }
                });
            }
            Event::MappingEnd | Event::SequenceEnd => {
                stack.pop();
                if let Some(frame) = stack.last_mut() {
                    frame.advance();
                }
            }
            Event::Scalar(value, ..) => {
                if let Some(Frame::Mapping {
                    path,
                    keys,
                    at_key: true,
                    current,
                }) = stack.last_mut()
                {
                    if let Some(&first_line) = keys.get(&value) {
                        return Some(RepeatedKey {
                            path: path.clone(),
                            key: value,
                            line: mark.line(),
                            // The parser counts columns from 0.
                            column: mark.col() + 1,
                            first_line,
                        });
                    }
                    keys.insert(value.clone(), mark.line());
                    *current = value;
                }
                if let Some(frame) = stack.last_mut() {
                    frame.advance();
                }
            }
            Event::Alias(_) => {
                if let Some(frame) = stack.last_mut() {
                    frame.advance();
                }
            }
            // Each document has its own keys.
            Event::DocumentStart => stack.clear(),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_top_level_key_repeated_is_found_where_it_repeats() {
        let found = first_repeated_key("version: 1\nname: a\nfiles: []\nname: b\n").unwrap();
        assert_eq!(
            found,
            RepeatedKey {
                path: String::new(),
                key: "name".into(),
                line: 4,
                column: 1,
                first_line: 2,
            }
        );
    }

    #[test]
    fn a_nested_key_names_its_path_and_column() {
        let text = "files:\n  - entity: person\n    columns:\n      Email: skip\n      Name: skip\n      \"Email\": person.name\n";
        let found = first_repeated_key(text).unwrap();
        assert_eq!(found.path, "files[0].columns");
        assert_eq!(found.key, "Email");
        assert_eq!((found.line, found.column, found.first_line), (6, 7, 4));
    }

    #[test]
    fn equal_keys_in_different_mappings_are_no_repeat() {
        let text = "files:\n  - columns: {Email: skip}\n  - columns: {Email: skip}\na: {b: 1}\nc: {b: 1}\n";
        assert_eq!(first_repeated_key(text), None);
    }

    #[test]
    fn a_flow_mapping_repeat_is_found_on_its_line() {
        let text = "values:\n  person.label: {a: b, c: d, a: e}\n";
        let found = first_repeated_key(text).unwrap();
        assert_eq!(found.path, "values.person.label");
        assert_eq!((found.key.as_str(), found.line, found.column), ("a", 2, 30));
    }
}
