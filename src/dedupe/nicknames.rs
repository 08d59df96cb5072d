//! Given names and their common short forms (Bob and Robert, Liz and Elizabeth), so that a
//! record written with one and a copy written with the other still compare as one name.
//! The lists are in `assets/dedupe/names.yaml` (see [`super::lexicon`]).

/// The full form of a folded given name: `bob` → `robert`, `robert` → `robert`.
pub(crate) fn canonical(name: &str) -> &str {
    let lexicon = super::lexicon::lexicon();
    let full = lexicon.nicknames.get(name).map_or(name, String::as_str);
    lexicon.spellings.get(full).map_or(full, String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_meet_their_full_names() {
        assert_eq!(canonical("bob"), "robert");
        assert_eq!(canonical("robert"), "robert");
        assert_eq!(canonical("kathy"), canonical("catherine"));
        assert_eq!(canonical("steve"), canonical("stephen"));
        assert_eq!(canonical("zoe"), "zoe");
    }
}
