//! A record's dedupe keys, step by step, on records written by hand.

use super::*;

#[test]
fn persons_are_keyed_by_folded_names() {
    let r = DedupeRecord {
        first_name: "Dr. Zoë Anne".into(),
        last_name: "Müller Jr.".into(),
        emails: vec![" Zoe@ACME.com".into(), "zoe@gmail.com".into()],
        phones: vec!["+49 30 1234567".into()],
        organization: Some("ACME GmbH".into()),
        ..DedupeRecord::default()
    };
    let p = prepare(Entity::Person, &r, &HashMap::new());
    assert_eq!(&*p.first, "zoe");
    assert_eq!(&*p.last, "muller");
    assert_eq!(&*p.name, "anne muller zoe");
    assert_eq!(&*p.org, "acme");
    assert_eq!(p.emails.len(), 2);
    assert_eq!(p.mail_domains.len(), 1);
    assert_eq!(p.phones.len(), 1);
}

fn person(first: &str, last: &str) -> DedupeRecord {
    DedupeRecord {
        first_name: first.into(),
        last_name: last.into(),
        ..DedupeRecord::default()
    }
}

#[test]
fn a_persons_name_loses_its_titles_and_suffixes_but_keeps_one_word() {
    let n = name_keys(Entity::Person, &person("Mrs Dr Ann Marie", "Lee PhD Jr"));
    assert_eq!((n.first.as_str(), n.last.as_str()), ("ann", "lee"));
    assert_eq!(n.name, "ann lee marie");
    assert!(n.words.is_empty());
    // A title alone is the only word there is: it stays.
    let n = name_keys(Entity::Person, &person("Dr", "Jr"));
    assert_eq!((n.first.as_str(), n.last.as_str()), ("dr", "jr"));
}

#[test]
fn an_organizations_name_is_its_sorted_words_once_each() {
    let r = DedupeRecord {
        name: "Zeta Alpha Zeta".into(),
        ..DedupeRecord::default()
    };
    let n = name_keys(Entity::Organization, &r);
    assert_eq!(n.name, "alpha zeta");
    assert_eq!(n.words, "zeta alpha zeta");
    assert!(n.first.is_empty() && n.last.is_empty());
}

#[test]
fn contacts_are_hashed_once_each_and_free_mail_is_personal() {
    let r = DedupeRecord {
        emails: vec!["ann@acme.com".into(), "ANN@acme.com ".into()],
        phones: vec!["+49 30 1234567".into(), "+49 (30) 123-4567".into()],
        ..DedupeRecord::default()
    };
    let c = contact_keys(&r);
    assert_eq!((c.emails.len(), c.phones.len()), (1, 1));
    // The same company address twice is no personal address.
    assert!(!c.personal_mail);
    let company = DedupeRecord {
        emails: vec!["ann@acme.com".into()],
        ..DedupeRecord::default()
    };
    let c = contact_keys(&company);
    assert_eq!(c.mail_domains.len(), 1);
    assert!(!c.personal_mail);
    let r = DedupeRecord {
        emails: vec!["ann@acme.com".into(), "ann@gmail.com".into()],
        ..DedupeRecord::default()
    };
    let c = contact_keys(&r);
    assert_eq!((c.emails.len(), c.mail_domains.len()), (2, 1));
    assert!(c.personal_mail);
    // Two addresses at one company: one company domain, and no personal mail.
    let two_at_work = DedupeRecord {
        emails: vec!["ann@acme.com".into(), "a.smith@acme.com".into()],
        ..DedupeRecord::default()
    };
    let c = contact_keys(&two_at_work);
    assert_eq!((c.emails.len(), c.mail_domains.len()), (2, 1));
    assert!(!c.personal_mail);
}

#[test]
fn extra_fields_leave_out_bookkeeping_and_keep_codes_of_identities() {
    let index: HashMap<Arc<str>, (u16, Meaning)> = [
        ("dob", (0, Meaning::Birthday)),
        ("owner", (1, Meaning::Bookkeeping)),
        ("title", (2, Meaning::Context)),
    ]
    .into_iter()
    .map(|(k, v)| (Arc::from(k), v))
    .collect();
    let extra = |k: &str, v: &str| (Arc::from(k), v.to_string());
    let r = DedupeRecord {
        extras: vec![
            extra("dob", "1990-01-01"),
            extra("owner", "Ann"),
            extra("title", "CEO"),
            extra("dob", "1981-04-06"),
            extra("unknown", "x"),
        ],
        ..DedupeRecord::default()
    };
    let keys = extra_keys(&r, &index);
    let fields: Vec<u16> = keys.extras.iter().map(|(f, _)| *f).collect();
    assert_eq!(fields, [0, 2]);
    assert_eq!(keys.codes, [(0, Box::from("19810406"))]);
}
