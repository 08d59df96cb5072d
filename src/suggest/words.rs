//! Words of other languages read as English: a header pipemap has no synonym for is matched
//! word by word (`assets/suggest/words.yaml`), so a localised export of any CRM finds the
//! fields its words name. Such a match is a hint, never certain.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use super::normalize::normalize;

const WORDS: &str = include_str!("../../assets/suggest/words.yaml");

#[derive(Deserialize)]
struct WordsFile {
    #[allow(dead_code)]
    version: u32,
    words: HashMap<String, Vec<String>>,
}

/// Normalized word → the English words it is read as (none for a word without meaning).
fn lexicon() -> &'static HashMap<String, Vec<String>> {
    static LEXICON: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let file: WordsFile = serde_yaml::from_str(WORDS)
            .expect("assets/suggest/words.yaml is checked by the test suite");
        file.words
            .into_iter()
            .map(|(word, english)| (normalize(&word), english))
            .collect()
    })
}

/// A normalized name read word by word in English ("negocio moeda de valor" → "deal currency
/// value"), or None when no word was read differently or nothing is left.
pub fn in_english(normalized: &str) -> Option<String> {
    let lexicon = lexicon();
    let mut changed = false;
    let mut out: Vec<&str> = Vec::new();
    for word in normalized.split(' ') {
        match lexicon.get(word) {
            Some(english) => {
                changed |= english.len() != 1 || english[0] != word;
                out.extend(english.iter().map(String::as_str));
            }
            None => out.push(word),
        }
    }
    (changed && !out.is_empty()).then(|| out.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localised_words_read_as_english() {
        assert_eq!(
            in_english(&normalize("Negócio - Moeda de Valor")).as_deref(),
            Some("deal currency value")
        );
        assert_eq!(
            in_english(&normalize("Data de fechamento esperada")).as_deref(),
            Some("date close expected")
        );
        assert_eq!(in_english("email"), None);
        assert_eq!(in_english("de"), None);
    }

    #[test]
    fn every_word_is_one_word_and_reads_as_plain_words() {
        for (word, english) in lexicon() {
            assert!(!word.is_empty() && !word.contains(' '), "{word:?}");
            for e in english {
                assert_eq!(&normalize(e), e, "{word}: {e} is not a normalized word");
            }
        }
    }
}
