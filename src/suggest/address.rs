//! Address columns, read together: a CRM writes one address as several columns (Salesforce
//! `BillingStreet`/`BillingCity`, Dynamics `Address 1: City`, HubSpot `State/Region`, Zoho
//! `Billing Code`, SugarCRM `Primary Address City`, Highrise `Address - Work City`, Pipedrive's
//! own `City/town/village/locality of Address`), and Pipedrive takes them as the parts of one
//! address field. A header is read as a qualifier (billing, mailing, shipping, `1`, `2` …) and a
//! part; the columns of one qualifier are one address; the first primary one goes to the
//! record's own address field, the others to address custom fields. The values have a say: a
//! "postal code" column of e-mail addresses is no postal code.

use crate::address::{AddressPart, is_country, is_postal_code};
use crate::entity::{Entity, Target};
use crate::source::kinds::ColumnKind;
use crate::source::stats::ColumnProfile;

use super::normalize::{entity_words, normalize};
use super::{ColumnSuggestion, Tier};

/// What a header says about an address.
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    /// The words that tell this address from the row's others ("billing", "2"), joined.
    qualifier: String,
    /// The part, or None for a column holding the whole address.
    part: Option<AddressPart>,
    /// A whole-address column numbered like a street line ("Address 1", FEBRL's `address_2`).
    line: Option<u32>,
    /// Read from "region" or "county", which a file may also use below its state.
    weak_state: bool,
}

/// Header words naming a part, longest first where one contains another.
const PARTS: &[(&[&str], AddressPart)] = &[
    (&["full", "combined", "address"], AddressPart::Full),
    (&["endereco", "completo", "combinado"], AddressPart::Full),
    (&["city", "town", "village", "locality"], AddressPart::City),
    (
        &["cidade", "municipio", "vila", "localidade"],
        AddressPart::City,
    ),
    (&["zip", "postal", "code"], AddressPart::PostalCode),
    (&["cep", "codigo", "postal"], AddressPart::PostalCode),
    (&["state", "province", "code"], AddressPart::State),
    (&["apartment", "suite", "no"], AddressPart::Apartment),
    (&["street", "road", "name"], AddressPart::Street),
    (&["district", "sublocality"], AddressPart::District),
    (&["nome", "da", "rua"], AddressPart::Street),
    (&["numero", "da", "casa"], AddressPart::HouseNumber),
    (&["address", "line", "1"], AddressPart::Street),
    (&["address", "line", "2"], AddressPart::Apartment),
    (&["address", "line", "3"], AddressPart::Apartment),
    (&["street", "address"], AddressPart::Street),
    (&["street", "1"], AddressPart::Street),
    (&["street", "2"], AddressPart::Apartment),
    (&["street", "3"], AddressPart::Apartment),
    (&["line", "1"], AddressPart::Street),
    (&["line", "2"], AddressPart::Apartment),
    (&["line", "3"], AddressPart::Apartment),
    (&["house", "number"], AddressPart::HouseNumber),
    (&["house", "no"], AddressPart::HouseNumber),
    (&["street", "number"], AddressPart::HouseNumber),
    (&["building", "number"], AddressPart::HouseNumber),
    (&["zip", "code"], AddressPart::PostalCode),
    (&["postal", "code"], AddressPart::PostalCode),
    (&["post", "code"], AddressPart::PostalCode),
    (&["code", "postal"], AddressPart::PostalCode),
    (&["codigo", "postal"], AddressPart::PostalCode),
    (&["kod", "pocztowy"], AddressPart::PostalCode),
    (&["pin", "code"], AddressPart::PostalCode),
    (&["country", "code"], AddressPart::Country),
    (&["country", "region"], AddressPart::Country),
    (&["country", "name"], AddressPart::Country),
    (&["state", "province"], AddressPart::State),
    (&["state", "county"], AddressPart::State),
    (&["state", "region"], AddressPart::State),
    (&["state", "code"], AddressPart::State),
    (&["street"], AddressPart::Street),
    (&["route"], AddressPart::Street),
    (&["strasse"], AddressPart::Street),
    (&["rue"], AddressPart::Street),
    (&["calle"], AddressPart::Street),
    (&["rua"], AddressPart::Street),
    (&["ulica"], AddressPart::Street),
    (&["straat"], AddressPart::Street),
    (&["apartment"], AddressPart::Apartment),
    (&["apt"], AddressPart::Apartment),
    (&["suite"], AddressPart::Apartment),
    (&["subpremise"], AddressPart::Apartment),
    (&["hausnummer"], AddressPart::HouseNumber),
    (&["huisnummer"], AddressPart::HouseNumber),
    (&["district"], AddressPart::District),
    (&["sublocality"], AddressPart::District),
    (&["neighborhood"], AddressPart::District),
    (&["neighbourhood"], AddressPart::District),
    (&["bairro"], AddressPart::District),
    (&["barrio"], AddressPart::District),
    (&["quartier"], AddressPart::District),
    (&["stadtteil"], AddressPart::District),
    (&["city"], AddressPart::City),
    (&["town"], AddressPart::City),
    (&["locality"], AddressPart::City),
    (&["suburb"], AddressPart::City),
    (&["ort"], AddressPart::City),
    (&["stadt"], AddressPart::City),
    (&["ville"], AddressPart::City),
    (&["ciudad"], AddressPart::City),
    (&["cidade"], AddressPart::City),
    (&["localidade"], AddressPart::City),
    (&["municipio"], AddressPart::City),
    (&["miasto"], AddressPart::City),
    (&["plaats"], AddressPart::City),
    (&["woonplaats"], AddressPart::City),
    (&["citta"], AddressPart::City),
    (&["state"], AddressPart::State),
    (&["province"], AddressPart::State),
    (&["region"], AddressPart::State),
    (&["county"], AddressPart::State),
    (&["bundesland"], AddressPart::State),
    (&["estado"], AddressPart::State),
    (&["provincia"], AddressPart::State),
    (&["provincie"], AddressPart::State),
    (&["wojewodztwo"], AddressPart::State),
    (&["prefecture"], AddressPart::State),
    (&["canton"], AddressPart::State),
    (&["kanton"], AddressPart::State),
    (&["zip"], AddressPart::PostalCode),
    (&["zipcode"], AddressPart::PostalCode),
    (&["postalcode"], AddressPart::PostalCode),
    (&["postcode"], AddressPart::PostalCode),
    (&["plz"], AddressPart::PostalCode),
    (&["postleitzahl"], AddressPart::PostalCode),
    (&["cep"], AddressPart::PostalCode),
    (&["postnummer"], AddressPart::PostalCode),
    (&["postnr"], AddressPart::PostalCode),
    (&["pincode"], AddressPart::PostalCode),
    (&["country"], AddressPart::Country),
    (&["pays"], AddressPart::Country),
    (&["pais"], AddressPart::Country),
    (&["land"], AddressPart::Country),
    (&["kraj"], AddressPart::Country),
    (&["paese"], AddressPart::Country),
    (&["negara"], AddressPart::Country),
];

/// Words naming an address as a whole.
const WHOLE: &[&str] = &[
    "address",
    "addr",
    "adresse",
    "anschrift",
    "direccion",
    "endereco",
    "adres",
    "adress",
    "indirizzo",
    "alamat",
];

/// Words that qualify an address without changing what it is.
const QUALIFIERS: &[&str] = &[
    "billing",
    "mailing",
    "shipping",
    "other",
    "primary",
    "secondary",
    "alt",
    "alternate",
    "alternative",
    "home",
    "work",
    "business",
    "office",
    "postal",
    "physical",
    "delivery",
    "main",
    "registered",
    "visiting",
    "invoice",
    "invoicing",
    "legal",
    "head",
    "hq",
    "residential",
    "permanent",
    "current",
    "mail",
    "private",
];

/// Qualifiers of the address a record is known by; others are its second addresses.
const PRIMARY: &[&str] = &[
    "",
    "billing",
    "mailing",
    "primary",
    "main",
    "1",
    "work",
    "business",
    "office",
    "postal",
    "registered",
    "head",
    "hq",
    "legal",
    "invoice",
    "invoicing",
    "mail",
];

/// Words that carry nothing here ("of Address", Portuguese "de Endereço").
const FILLER: &[&str] = &["of", "de", "da", "do", "des", "du", "del", "the"];

/// Whether a word names the file's own item, in any language Pipedrive's exports use
/// (`Organization - City/town/village/locality of Address`, `Contact Mailing City`): a deal's or
/// lead's address is its organization's, so their words count too.
fn is_own_word(entity: Entity, word: &str) -> bool {
    let words = |e: Entity| entity_words(e).contains(&word);
    match entity {
        Entity::Deal | Entity::Lead => {
            words(Entity::Deal) || words(Entity::Lead) || words(Entity::Organization)
        }
        Entity::Activity => words(Entity::Activity) || word == "meeting",
        other => words(other),
    }
}

/// The address field a file's rows keep their own address in; a deal's or lead's address is
/// its organization's.
fn home(entity: Entity) -> Option<(Entity, &'static str)> {
    let owner = match entity {
        Entity::Deal | Entity::Lead => Entity::Organization,
        other => other,
    };
    owner.home_address_field().map(|key| (owner, key))
}

fn find(tokens: &[&str], phrase: &[&str]) -> Option<usize> {
    tokens.windows(phrase.len()).position(|w| w == phrase)
}

/// Reads one header.
fn read(header: &str, entity: Entity) -> Option<Reading> {
    // A Salesforce custom field (`City__c`) is one its users defined beside the standard
    // address: it stays a field of its own.
    if header.trim().ends_with("__c") {
        return None;
    }
    // `accounts.city` in an accounts file is its `city`.
    let header = super::normalize::own_table_field(header, entity).unwrap_or(header);
    let normalized = normalize(header);
    let mut tokens: Vec<&str> = normalized.split(' ').filter(|t| !t.is_empty()).collect();
    // Drop the file's own entity words where they open the header.
    while tokens.len() > 1 && is_own_word(entity, tokens[0]) {
        tokens.remove(0);
    }
    let mut part = None;
    let mut weak_state = false;
    // The longest phrase wins ("address 1 street 2" is a second street line).
    let best = PARTS
        .iter()
        .filter_map(|(phrase, p)| find(&tokens, phrase).map(|at| (phrase.len(), at, *p, phrase)))
        .max_by_key(|(len, at, ..)| (*len, *at));
    if let Some((len, at, p, phrase)) = best {
        // "Billing Code" is a postal code only beside an address qualifier.
        part = Some(p);
        weak_state = matches!(phrase, [w] if *w == "region" || *w == "county");
        tokens.drain(at..at + len);
    }
    let mut line = None;
    let mut saw_whole = false;
    let mut qualifier: Vec<&str> = Vec::new();
    for t in &tokens {
        if WHOLE.contains(t) {
            saw_whole = true;
        } else if FILLER.contains(t) || is_own_word(entity, t) {
        } else if QUALIFIERS.contains(t) {
            qualifier.push(t);
        } else if let Ok(n) = t.parse::<u32>() {
            if n > 9 {
                return None;
            }
            qualifier.push(t);
        } else if *t == "code" && part.is_none() {
            // Zoho's `Billing Code` / `Mailing Zip`.
            part = Some(AddressPart::PostalCode);
        } else {
            // Another word ("Country of birth", "Sales region", "City tax"): not an address.
            return None;
        }
    }
    if part.is_none() && !saw_whole {
        return None;
    }
    // "Code" alone is no postal code; "Billing Code" is.
    if part == Some(AddressPart::PostalCode)
        && normalized.split(' ').any(|t| t == "code")
        && !normalized.contains("zip")
        && !normalized.contains("postal")
        && !normalized.contains("post")
        && !normalized.contains("pin")
        && qualifier.is_empty()
        && !saw_whole
    {
        return None;
    }
    // A whole-address column with a number is a numbered line unless the file numbers its
    // addresses (decided with the other columns in `assign`).
    if part.is_none()
        && let [n] = qualifier.as_slice()
        && let Ok(n) = n.parse::<u32>()
    {
        line = Some(n);
    }
    Some(Reading {
        qualifier: qualifier.join(" "),
        part,
        line,
        weak_state,
    })
}

/// How well a column's values fit a part: Some(true) they do, Some(false) they cannot, None
/// when there is nothing to tell (no rows, or the part takes any text).
fn values_fit(part: Option<AddressPart>, column: &ColumnProfile) -> Option<bool> {
    if column.filled == 0 {
        return None;
    }
    if matches!(
        column.kind,
        ColumnKind::Email
            | ColumnKind::Url
            | ColumnKind::Date { .. }
            | ColumnKind::DateTime { .. }
            | ColumnKind::Money { .. }
    ) {
        return Some(false);
    }
    let values: Vec<&str> = column
        .top_values
        .iter()
        .map(|(v, _)| v.as_str())
        .chain(column.examples.iter().map(String::as_str))
        .collect();
    if values.is_empty() {
        return None;
    }
    let share = |f: &dyn Fn(&str) -> bool| {
        values.iter().filter(|v| f(v)).count() as f64 / values.len() as f64
    };
    let part = part?;
    if values
        .iter()
        .any(|v| part.check(v).is_err() && !matches!(part, AddressPart::Country))
        && share(&|v| part.check(v).is_ok()) < 0.5
    {
        return Some(false);
    }
    match part {
        AddressPart::PostalCode => match share(&|v| is_postal_code(v)) {
            s if s >= 0.8 => Some(true),
            s if s >= 0.5 => None,
            _ => Some(false),
        },
        AddressPart::Country => {
            let known = share(&|v| is_country(v));
            if known >= 0.5 {
                Some(true)
            } else if share(&|v| v.chars().any(|c| c.is_ascii_digit())) > 0.5 {
                Some(false)
            } else {
                None
            }
        }
        AddressPart::City | AddressPart::State | AddressPart::Region | AddressPart::District => {
            if matches!(column.kind, ColumnKind::Integer | ColumnKind::Decimal) {
                Some(false)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// The name of the address custom field for a second address ("Shipping address").
fn custom_name(qualifier: &str) -> String {
    if qualifier.is_empty() {
        return "Other address".to_string();
    }
    if qualifier.chars().all(|c| c.is_ascii_digit()) {
        return format!("Address {qualifier}");
    }
    let mut chars = qualifier.chars();
    let first = chars.next().map(|c| c.to_ascii_uppercase()).unwrap_or(' ');
    format!("{first}{} address", chars.as_str())
}

/// Overrides the suggestions of a file's address columns: each address's parts go to the parts
/// of one address field.
pub fn assign(entity: Entity, columns: &[ColumnProfile], suggestions: &mut [ColumnSuggestion]) {
    let Some((home_entity, home_key)) = home(entity) else {
        return;
    };
    let mut readings: Vec<Option<Reading>> =
        columns.iter().map(|c| read(&c.name, entity)).collect();
    let numbered_groups: Vec<String> = readings
        .iter()
        .flatten()
        .filter(|r| r.part.is_some())
        .map(|r| r.qualifier.clone())
        .collect();
    // "Address 2" is the second street line, unless other columns say "Address 2: City".
    for r in readings.iter_mut().flatten() {
        if let Some(n) = r.line
            && !numbered_groups.contains(&r.qualifier)
        {
            r.qualifier.clear();
            r.part = Some(if n <= 1 {
                AddressPart::Street
            } else {
                AddressPart::Apartment
            });
        }
    }
    // Values that cannot be the part leave the column to the rest of the suggester.
    let fits: Vec<Option<bool>> = readings
        .iter()
        .zip(columns)
        .map(|(r, c)| r.as_ref().and_then(|r| values_fit(r.part, c)))
        .collect();
    for (r, fit) in readings.iter_mut().zip(&fits) {
        if *fit == Some(false) {
            *r = None;
        }
    }
    // Group the columns by qualifier, in the order the file first names each.
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, r) in readings.iter().enumerate() {
        let Some(r) = r else { continue };
        match groups.iter_mut().find(|(q, _)| *q == r.qualifier) {
            Some((_, cols)) => cols.push(i),
            None => groups.push((r.qualifier.clone(), vec![i])),
        }
    }
    // A lone region column is a sales region as often as a state; a deal file's lone "City"
    // may be anything. An address needs its parts to agree.
    groups.retain(|(_, cols)| {
        let parts = cols.len();
        let only = &readings[cols[0]];
        let lone_region = parts == 1 && only.as_ref().is_some_and(|r| r.weak_state);
        let lone_in_deal = parts == 1 && matches!(entity, Entity::Deal | Entity::Lead);
        !lone_region && !lone_in_deal
    });
    let primary = groups
        .iter()
        .enumerate()
        .filter(|(_, (q, _))| PRIMARY.contains(&q.as_str()))
        .max_by_key(|(i, (_, cols))| (cols.len(), usize::MAX - i))
        .map(|(i, _)| i);
    for (g, (qualifier, cols)) in groups.iter().enumerate() {
        let has_street = cols.iter().any(|&i| {
            readings[i]
                .as_ref()
                .is_some_and(|r| r.part == Some(AddressPart::Street))
        });
        let has_parts = cols
            .iter()
            .any(|&i| readings[i].as_ref().is_some_and(|r| r.part.is_some()));
        let mut seen: Vec<AddressPart> = Vec::new();
        let state_count = cols
            .iter()
            .filter(|&&i| {
                readings[i]
                    .as_ref()
                    .is_some_and(|r| r.part == Some(AddressPart::State))
            })
            .count();
        for &i in cols {
            let Some(r) = &readings[i] else { continue };
            let mut part = r.part;
            if part == Some(AddressPart::State) && r.weak_state && state_count > 1 {
                part = Some(AddressPart::Region);
            }
            // A whole-address column beside the parts but without a street is the street line
            // (Sell's `address`, HubSpot's `Address`).
            if part.is_none() && has_parts && !has_street && r.line.is_none() {
                part = Some(AddressPart::Street);
            }
            let duplicate = part.is_some_and(|p| seen.contains(&p));
            if let Some(p) = part {
                seen.push(p);
            }
            let target = if duplicate {
                Target::Note
            } else if Some(g) == primary {
                Target::Field {
                    entity: home_entity,
                    key: home_key.to_string(),
                    label: part.map(|p| p.as_str().to_string()),
                }
            } else {
                Target::Custom {
                    entity: home_entity,
                    name: custom_name(qualifier),
                    part,
                }
            };
            let column = &columns[i];
            let confidence = match fits[i] {
                Some(true) => 0.95,
                None if column.sampled == 0 => 0.92,
                None => 0.9,
                Some(false) => unreachable!("left out above"),
            };
            let what = match part {
                Some(p) => p.short().to_string(),
                None => "whole address".to_string(),
            };
            let reason = if duplicate {
                format!("a second column for the {what} of one address: kept in the note")
            } else {
                match &target {
                    Target::Custom { name, .. } => {
                        format!("address part ({what}) of an address custom field “{name}”")
                    }
                    _ => format!("address part ({what}) of the {home_entity}'s address"),
                }
            };
            let s = &mut suggestions[i];
            let mut alternatives: Vec<Target> = s
                .target
                .iter()
                .chain(&s.alternatives)
                .filter(|t| **t != target && !matches!(t, Target::Skip | Target::Note))
                .cloned()
                .collect();
            alternatives.truncate(3);
            let confidence = if duplicate { 0.7 } else { confidence };
            *s = ColumnSuggestion {
                column: s.column.clone(),
                field_type: matches!(target, Target::Custom { .. }).then_some("address"),
                link: None,
                target: Some(target),
                confidence,
                tier: Tier::of(confidence),
                alternatives,
                reason,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(header: &str, entity: Entity) -> Option<(String, Option<AddressPart>)> {
        read(header, entity).map(|r| (r.qualifier, r.part))
    }

    #[test]
    fn headers_of_many_crms_read_as_qualifier_and_part() {
        use AddressPart::*;
        let org = Entity::Organization;
        let cases: &[(&str, &str, Option<AddressPart>)] = &[
            ("BillingStreet", "billing", Some(Street)),
            ("BillingPostalCode", "billing", Some(PostalCode)),
            ("ShippingCountryCode", "shipping", Some(Country)),
            ("Address 1: City", "1", Some(City)),
            ("Address 1: Street 2", "1", Some(Apartment)),
            ("Address 1: ZIP/Postal Code", "1", Some(PostalCode)),
            ("Address 2: Country/Region", "2", Some(Country)),
            ("State/Region", "", Some(State)),
            ("Billing Code", "billing", Some(PostalCode)),
            ("Primary Address City", "primary", Some(City)),
            ("Address - Work City", "work", Some(City)),
            ("address.city", "", Some(City)),
            (
                "Organization - City/town/village/locality of Address",
                "",
                Some(City),
            ),
            ("Organization - State/county of Address", "", Some(State)),
            (
                "Organization - ZIP/Postal code of Shipping address",
                "shipping",
                Some(PostalCode),
            ),
            (
                "Cidade/município/vila/localidade de Endereço",
                "",
                Some(City),
            ),
            ("CEP/Código postal de Endereço", "", Some(PostalCode)),
            ("postcode", "", Some(PostalCode)),
            ("Address", "", None),
            ("Shipping Address", "shipping", None),
        ];
        for (header, qualifier, want) in cases {
            assert_eq!(
                part(header, org),
                Some((qualifier.to_string(), *want)),
                "{header}"
            );
        }
        for header in [
            "Country of birth",
            "Sales region owner",
            "Code",
            "Email",
            "Account Name",
        ] {
            assert_eq!(part(header, org), None, "{header}");
        }
    }

    fn column(name: &str, values: &[&str]) -> ColumnProfile {
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        crate::source::stats::profile_column(name, 0, &values)
    }

    fn suggest(entity: Entity, columns: &[ColumnProfile]) -> Vec<(Option<Target>, Tier)> {
        let mut s: Vec<ColumnSuggestion> = columns
            .iter()
            .map(|c| ColumnSuggestion {
                column: c.name.clone(),
                target: Some(Target::custom(entity, &c.name)),
                confidence: 0.7,
                tier: Tier::Medium,
                alternatives: Vec::new(),
                reason: String::new(),
                field_type: Some("varchar"),
                link: None,
            })
            .collect();
        assign(entity, columns, &mut s);
        s.into_iter().map(|s| (s.target, s.tier)).collect()
    }

    fn t(s: &str) -> Option<Target> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn billing_is_the_address_and_shipping_an_address_custom_field() {
        let cols = [
            column("BillingStreet", &["1 Main St", "2 High St"]),
            column("BillingCity", &["Boston", "Leeds"]),
            column("BillingPostalCode", &["02139", "LS1 4AP"]),
            column("BillingCountry", &["USA", "United Kingdom"]),
            column("ShippingCity", &["Boston", "Leeds"]),
        ];
        let got = suggest(Entity::Organization, &cols);
        assert_eq!(got[0], (t("organization.address:street"), Tier::High));
        assert_eq!(got[1].0, t("organization.address:city"));
        assert_eq!(got[2], (t("organization.address:postal_code"), Tier::High));
        assert_eq!(got[3], (t("organization.address:country"), Tier::High));
        // A lone shipping city is one part of a second address.
        assert_eq!(got[4].0, t("organization.custom:Shipping address:city"));
    }

    #[test]
    fn a_postcode_column_of_e_mails_is_no_postcode() {
        let cols = [
            column("City", &["Boston"]),
            column("Zip", &["ann@example.com", "bob@example.com"]),
        ];
        let got = suggest(Entity::Person, &cols);
        assert_eq!(got[0].0, t("person.postal_address:city"));
        assert_eq!(got[1].0, t("person.custom:Zip"), "left as it was");
    }

    #[test]
    fn a_numbered_address_is_a_line_unless_the_file_numbers_its_addresses() {
        // FEBRL: address_1, address_2 are the street lines of one address.
        let febrl = [
            column("street_number", &["12"]),
            column("address_1", &["main street"]),
            column("address_2", &["kimberley lodge"]),
            column("suburb", &["sydney"]),
            column("postcode", &["2000"]),
            column("state", &["nsw"]),
        ];
        let got = suggest(Entity::Person, &febrl);
        let targets: Vec<String> = got
            .iter()
            .map(|(t, _)| t.as_ref().unwrap().to_string())
            .collect();
        assert_eq!(
            targets,
            [
                "person.postal_address:house_number",
                "person.postal_address:street",
                "person.postal_address:apartment",
                "person.postal_address:city",
                "person.postal_address:postal_code",
                "person.postal_address:state",
            ]
        );
        // Dynamics 365: "Address 1" is the whole first address, its parts beside it.
        let dynamics = [
            column("Address 1", &[]),
            column("Address 1: Street 1", &[]),
            column("Address 1: City", &[]),
            column("Address 2: City", &[]),
        ];
        let got = suggest(Entity::Organization, &dynamics);
        assert_eq!(got[0].0, t("organization.address"));
        assert_eq!(got[1].0, t("organization.address:street"));
        assert_eq!(got[2].0, t("organization.address:city"));
        assert_eq!(got[3].0, t("organization.custom:Address 2:city"));
    }

    #[test]
    fn a_second_column_for_one_part_goes_to_the_note_and_region_sits_below_state() {
        let cols = [
            column("Country", &["Germany"]),
            column("Country Code", &["DE"]),
            column("State/county of Address", &["Bayern"]),
            column("Region of Address", &["Oberbayern"]),
        ];
        let got = suggest(Entity::Organization, &cols);
        assert_eq!(got[0].0, t("organization.address:country"));
        assert_eq!(got[1].0, Some(Target::Note));
        assert_eq!(got[2].0, t("organization.address:state"));
        assert_eq!(got[3].0, t("organization.address:region"));
    }

    #[test]
    fn a_lone_sales_region_is_not_an_address() {
        let cols = [column("Region", &["EMEA", "APAC"])];
        let got = suggest(Entity::Organization, &cols);
        assert_eq!(got[0].0, t("organization.custom:Region"));
    }
}
