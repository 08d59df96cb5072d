//! The name knowledge of the duplicate finder (nicknames, spellings, legal forms, stop words,
//! free-mail providers), read once from `assets/dedupe/names.yaml` so that users can extend it
//! without touching code.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

const NAMES_YAML: &str = include_str!("../../assets/dedupe/names.yaml");

/// The word lists, as `assets/dedupe/names.yaml` writes them.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    pub version: u32,
    /// Short form → full given name.
    pub nicknames: HashMap<String, String>,
    /// Variant spelling → the spelling compared.
    pub spellings: HashMap<String, String>,
    /// Legal forms dropped from the end of organisation names.
    pub legal_suffixes: HashSet<String>,
    /// Legal forms dropped from the start of organisation names.
    pub leading_forms: HashSet<String>,
    /// Words of no identity in organisation names.
    pub name_stopwords: HashSet<String>,
    /// E-mail domains that say nothing about a person's company.
    pub free_mail: HashSet<String>,
}

/// The lexicon bundled with pipemap.
pub fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        serde_yaml::from_str(NAMES_YAML)
            .expect("assets/dedupe/names.yaml is checked by the test suite")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lexicon_loads_and_is_folded() {
        let l = lexicon();
        assert_eq!(l.version, 1);
        assert!(l.nicknames.len() > 100);
        assert_eq!(l.nicknames["bob"], "robert");
        assert!(l.legal_suffixes.contains("gmbh") && l.legal_suffixes.contains("inc"));
        assert!(l.free_mail.contains("gmail.com"));
        // Every word must be written as `keys::fold` writes it, or it never matches.
        let words = l
            .legal_suffixes
            .iter()
            .chain(&l.leading_forms)
            .chain(&l.name_stopwords)
            .chain(l.nicknames.keys())
            .chain(l.nicknames.values())
            .chain(l.spellings.keys())
            .chain(l.spellings.values());
        for w in words {
            assert_eq!(&super::super::keys::fold(w), w, "{w} is not folded");
        }
        // No full name is itself listed as a short form of another name.
        for full in l.nicknames.values() {
            assert!(
                !l.nicknames.contains_key(full),
                "{full} is both short and full"
            );
        }
    }
}
