//! What a mapped field means for sameness, decided from its target, its column's name and its
//! values: only fields that identify a record count as agreement. A birthday, a national, tax or
//! company number and the parts of an address identify; counters, timestamps, owners, statuses,
//! flags and auto-numbers never do, however rare their values (two demo companies created in the
//! same second are not one company); anything else only corroborates.

/// The role of an extra field in a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Meaning {
    /// A date of birth: identifies with the name or other evidence, typo-tolerant.
    Birthday,
    /// A national, tax, social-security or company registration number: identifies alone.
    IdNumber,
    /// A part of a postal address (street, number, locality, postal code, region, country).
    AddressPart,
    /// Corroborates a match that rests on identity evidence; never makes one.
    Context,
    /// Bookkeeping (counters, timestamps, owners, statuses, flags, auto-numbers): ignored.
    Bookkeeping,
}

impl Meaning {
    /// Whether agreeing on it is identity evidence (a cluster needs some).
    pub fn identifies(self) -> bool {
        matches!(self, Meaning::Birthday | Meaning::IdNumber)
    }
}

/// Words in a column's or field's name, by meaning. Checked in this order, on the name folded
/// to lower case with `_`, `-` and `.` as spaces.
const BIRTHDAY: &[&str] = &[
    "birth",
    "dob",
    "geburts",
    "naissance",
    "nacimiento",
    "nascimento",
    "urodzenia",
];
const ID_NUMBER: &[&str] = &[
    "ssn",
    "soc sec",
    "social security",
    "national id",
    "national insurance",
    "tax id",
    "tax number",
    "taxpayer",
    "vat",
    "ein",
    "tin",
    "nif",
    "nie",
    "cif",
    "cpf",
    "cnpj",
    "rut",
    "passport",
    "driver",
    "licence number",
    "license number",
    "registration number",
    "company number",
    "company reg",
    "siren",
    "siret",
    "kvk",
    "abn",
    "acn",
    "orgnr",
    "organisationsnummer",
    "organization number",
    "personnummer",
    "pesel",
    "regon",
    "krs",
    "duns",
    "steuernummer",
    "ust",
    "id number",
    "id card",
    "identity",
];
const ADDRESS: &[&str] = &[
    "street",
    "address",
    "suburb",
    "city",
    "town",
    "locality",
    "postcode",
    "post code",
    "postal",
    "zip",
    "plz",
    "cep",
    "state",
    "region",
    "province",
    "county",
    "country",
    "house number",
    "building",
    "rue",
    "strasse",
    "straße",
    "ort",
    "stadt",
    "ciudad",
    "cidade",
    "postal address",
];
const BOOKKEEPING: &[&str] = &[
    "created",
    "updated",
    "modified",
    "time",
    "date",
    "last",
    "next",
    "count",
    "number of",
    "total",
    "owner",
    "assigned",
    "creator",
    "status",
    "stage",
    "flag",
    "visible",
    "active",
    "deleted",
    "archived",
    "source",
    "channel",
    "rating",
    "score",
    "probability",
    "won",
    "lost",
    "open",
    "closed",
    "done",
    "people",
    "deals",
    "activities",
    "notes",
    "followers",
    "participants",
    "picture",
    "criad",
    "atualiz",
    "erstellt",
    "geändert",
    "cré",
    "modifi",
    "pessoas",
    "negócios",
    "negocios",
    "atividades",
    "aberto",
    "propriet",
    "inhaber",
    "besitzer",
];

fn words_of(name: &str) -> String {
    let lower = name.to_lowercase();
    let spaced: String = lower
        .chars()
        .map(|c| {
            if matches!(c, '_' | '-' | '.' | ':' | '#') {
                ' '
            } else {
                c
            }
        })
        .collect();
    format!(
        " {} ",
        spaced.split_whitespace().collect::<Vec<_>>().join(" ")
    )
}

/// Whether `words` (spaced, lower case) holds `term` as whole words, or, for terms of five
/// letters or more, as the start of a word (`street` in `streetname`, `created` in
/// `createdate`) — except the few that start unrelated words (`state` → `statement`, `stage` →
/// `stagecoach`, `total` → `totally`).
fn has(words: &str, term: &str) -> bool {
    words.contains(&format!(" {term} "))
        || words.contains(&format!(" {term}"))
            && term.len() >= 5
            && !matches!(term, "state" | "stage" | "total")
}

/// What the values of a column look like, gathered in one pass in file order.
#[derive(Debug, Clone, Default)]
pub(crate) struct ValueProfile {
    filled: u32,
    timestamps: u32,
    dates: u32,
    flags: u32,
    integers: u32,
    /// Integers seen in file order, for the auto-number test.
    increasing: u32,
    last_integer: Option<i64>,
}

impl ValueProfile {
    /// Takes in one value (trimmed, not empty).
    pub fn add(&mut self, value: &str) {
        self.filled += 1;
        let v = value.trim();
        if is_timestamp(v) {
            self.timestamps += 1;
        } else if is_date(v) {
            self.dates += 1;
        }
        if matches!(
            v.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "y" | "n"
        ) {
            self.flags += 1;
        }
        if let Ok(n) = v.parse::<i64>() {
            self.integers += 1;
            if self.last_integer.is_some_and(|last| n > last) {
                self.increasing += 1;
            }
            self.last_integer = Some(n);
        }
    }

    fn share(&self, n: u32) -> f64 {
        if self.filled == 0 {
            0.0
        } else {
            f64::from(n) / f64::from(self.filled)
        }
    }
}

fn is_date(v: &str) -> bool {
    let digits: Vec<&str> = v.split(['-', '/', '.']).filter(|p| !p.is_empty()).collect();
    digits.len() == 3 && digits.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
}

fn is_timestamp(v: &str) -> bool {
    match v.split_once([' ', 'T']) {
        Some((date, time)) => is_date(date) && time.contains(':'),
        None => false,
    }
}

/// The meaning of an extra field: `field` is its target (`person.birthday`,
/// `person.custom:Tax ID`) and `column` its source column's name, `values` its profile.
pub(crate) fn meaning(field: &str, column: Option<&str>, values: &ValueProfile) -> Meaning {
    let key = field.rsplit(['.']).next().unwrap_or(field);
    let custom = field.split_once("custom:").map(|(_, name)| name);
    let names = [Some(key), custom, column];
    let by_name = |terms: &[&str]| {
        names
            .iter()
            .flatten()
            .any(|n| terms.iter().any(|t| has(&words_of(n), t)))
    };
    if key == "birthday" || by_name(BIRTHDAY) {
        return Meaning::Birthday;
    }
    // Values decide before the rest of the name: a timestamp, a flag or an auto-number never
    // identifies, whatever the column is called.
    if values.filled >= 5 {
        if values.share(values.timestamps) > 0.5 || values.share(values.flags) > 0.8 {
            return Meaning::Bookkeeping;
        }
        if values.share(values.integers) > 0.9
            && f64::from(values.increasing) > 0.95 * f64::from(values.integers.saturating_sub(1))
            && values.integers >= 20
        {
            return Meaning::Bookkeeping;
        }
    }
    if by_name(ID_NUMBER) {
        return Meaning::IdNumber;
    }
    if by_name(ADDRESS) || key == "postal_address" {
        return Meaning::AddressPart;
    }
    if by_name(BOOKKEEPING) || (values.filled >= 5 && values.share(values.dates) > 0.5) {
        return Meaning::Bookkeeping;
    }
    Meaning::Context
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(values: &[&str]) -> ValueProfile {
        let mut p = ValueProfile::default();
        for v in values {
            p.add(v);
        }
        p
    }

    #[test]
    fn identity_fields_are_told_by_name() {
        let none = ValueProfile::default();
        assert_eq!(meaning("person.birthday", None, &none), Meaning::Birthday);
        assert_eq!(
            meaning("person.custom:soc_sec_id", Some("soc_sec_id"), &none),
            Meaning::IdNumber
        );
        assert_eq!(
            meaning("organization.custom:VAT number", None, &none),
            Meaning::IdNumber
        );
        assert_eq!(
            meaning("person.custom:suburb", Some("suburb"), &none),
            Meaning::AddressPart
        );
        assert_eq!(
            meaning("person.custom:Zip code", None, &none),
            Meaning::AddressPart
        );
        assert_eq!(
            meaning("person.job_title", Some("Job title"), &none),
            Meaning::Context
        );
    }

    #[test]
    fn counters_timestamps_owners_and_flags_never_identify() {
        let none = ValueProfile::default();
        for (field, column) in [
            ("organization.custom:People", "Organização - Pessoas"),
            ("organization.custom:Open deals", "Open deals"),
            (
                "organization.custom:Organização criada",
                "Organização criada",
            ),
            ("person.custom:Owner", "Owner"),
            ("person.custom:Lead status", "Lead status"),
            ("person.custom:Number of activities", "Number of activities"),
        ] {
            assert_eq!(
                meaning(field, Some(column), &none),
                Meaning::Bookkeeping,
                "{column}"
            );
        }
        let times = profile(&["2024-01-02 10:00:00"; 6]);
        assert_eq!(
            meaning("person.custom:Registered", None, &times),
            Meaning::Bookkeeping
        );
        let flags = profile(&["true", "false", "true", "true", "false", "no"]);
        assert_eq!(
            meaning("person.custom:Hot", None, &flags),
            Meaning::Bookkeeping
        );
        let numbers: Vec<String> = (1000..1030).map(|n| n.to_string()).collect();
        let numbers: Vec<&str> = numbers.iter().map(String::as_str).collect();
        assert_eq!(
            meaning("person.custom:Record", None, &profile(&numbers)),
            Meaning::Bookkeeping
        );
    }
}
