//! Given names and their common short forms (Bob and Robert, Liz and Elizabeth), so that a
//! record written with one and a copy written with the other still compare as one name.
//! Only unambiguous forms are listed: "Pat" (Patrick or Patricia) and "Alex" are left out.

/// (short form, full name), folded; sorted by short form for binary search.
const NICKNAMES: &[(&str, &str)] = &[
    ("abby", "abigail"),
    ("andy", "andrew"),
    ("art", "arthur"),
    ("barb", "barbara"),
    ("becky", "rebecca"),
    ("ben", "benjamin"),
    ("benny", "benjamin"),
    ("bernie", "bernard"),
    ("bert", "albert"),
    ("beth", "elizabeth"),
    ("betsy", "elizabeth"),
    ("betty", "elizabeth"),
    ("bill", "william"),
    ("billy", "william"),
    ("bob", "robert"),
    ("bobby", "robert"),
    ("cathy", "katherine"),
    ("charlie", "charles"),
    ("chas", "charles"),
    ("chris", "christopher"),
    ("chuck", "charles"),
    ("cindy", "cynthia"),
    ("dan", "daniel"),
    ("danny", "daniel"),
    ("dave", "david"),
    ("davey", "david"),
    ("deb", "deborah"),
    ("debbie", "deborah"),
    ("dick", "richard"),
    ("don", "donald"),
    ("donny", "donald"),
    ("doug", "douglas"),
    ("drew", "andrew"),
    ("ed", "edward"),
    ("eddie", "edward"),
    ("ellie", "eleanor"),
    ("fred", "frederick"),
    ("freddie", "frederick"),
    ("greg", "gregory"),
    ("hal", "harold"),
    ("hank", "henry"),
    ("harry", "henry"),
    ("jack", "john"),
    ("jake", "jacob"),
    ("jamie", "james"),
    ("jeff", "jeffrey"),
    ("jen", "jennifer"),
    ("jenny", "jennifer"),
    ("jerry", "gerald"),
    ("jess", "jessica"),
    ("jessie", "jessica"),
    ("jim", "james"),
    ("jimmy", "james"),
    ("joe", "joseph"),
    ("joey", "joseph"),
    ("johnny", "john"),
    ("jon", "jonathan"),
    ("josh", "joshua"),
    ("kat", "katherine"),
    ("kate", "katherine"),
    ("kathy", "katherine"),
    ("katie", "katherine"),
    ("ken", "kenneth"),
    ("kenny", "kenneth"),
    ("larry", "lawrence"),
    ("liz", "elizabeth"),
    ("lizzie", "elizabeth"),
    ("maggie", "margaret"),
    ("mandy", "amanda"),
    ("matt", "matthew"),
    ("meg", "margaret"),
    ("mick", "michael"),
    ("mike", "michael"),
    ("mikey", "michael"),
    ("nate", "nathan"),
    ("ned", "edward"),
    ("nick", "nicholas"),
    ("nicky", "nicholas"),
    ("pam", "pamela"),
    ("peggy", "margaret"),
    ("pete", "peter"),
    ("phil", "philip"),
    ("ray", "raymond"),
    ("rich", "richard"),
    ("richie", "richard"),
    ("rick", "richard"),
    ("rob", "robert"),
    ("robbie", "robert"),
    ("ron", "ronald"),
    ("ronnie", "ronald"),
    ("russ", "russell"),
    ("sandy", "sandra"),
    ("stan", "stanley"),
    ("steve", "steven"),
    ("sue", "susan"),
    ("susie", "susan"),
    ("ted", "edward"),
    ("teddy", "edward"),
    ("tim", "timothy"),
    ("timmy", "timothy"),
    ("tom", "thomas"),
    ("tommy", "thomas"),
    ("tony", "anthony"),
    ("vicky", "victoria"),
    ("vince", "vincent"),
    ("walt", "walter"),
    ("will", "william"),
    ("willy", "william"),
    ("zach", "zachary"),
    ("zack", "zachary"),
];

/// Spellings of one full name that are the same name ("Catherine" and "Katherine").
const SPELLINGS: &[(&str, &str)] = &[
    ("catherine", "katherine"),
    ("kathryn", "katherine"),
    ("debra", "deborah"),
    ("stephen", "steven"),
    ("phillip", "philip"),
    ("jeffery", "jeffrey"),
    ("geoffrey", "jeffrey"),
];

/// The full form of a folded given name: `bob` → `robert`, `robert` → `robert`.
pub(crate) fn canonical(name: &str) -> &str {
    let full = NICKNAMES
        .binary_search_by(|(short, _)| short.cmp(&name))
        .map_or(name, |i| NICKNAMES[i].1);
    SPELLINGS
        .iter()
        .find(|(variant, _)| *variant == full)
        .map_or(full, |(_, standard)| standard)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_forms_meet_their_full_names() {
        assert!(NICKNAMES.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        assert_eq!(canonical("bob"), "robert");
        assert_eq!(canonical("robert"), "robert");
        assert_eq!(canonical("kathy"), canonical("catherine"));
        assert_eq!(canonical("steve"), canonical("stephen"));
        assert_eq!(canonical("zoe"), "zoe");
    }
}
