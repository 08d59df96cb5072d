//! Pipedrive's address fields and their parts.
//!
//! An address field (an organization's Address, a person's Postal address, an activity's
//! Location, any address-type custom field) holds one address that Pipedrive splits into the
//! parts Google Maps uses. Pipedrive's API names them `address_field_components` — subpremise,
//! street_number, route, sublocality, locality, admin_area_level_1, admin_area_level_2, country,
//! postal_code, formatted_address — and its field lists and exports label them "House number of
//! Address", "City/town/village/locality of Address", … (Pipedrive API v1 `GET /filters/helpers`,
//! in ../shared/pipedrive-openapi; the organization object's `address_*` properties in
//! pipedrive/client-nodejs `docs/OrganizationAddressInfo.md`). The import wizard maps a column
//! to each part the same way.
//!
//! A mapping targets a part with the field's label slot: `organization.address:city`,
//! `person.postal_address:postal_code`, `organization.custom:Shipping address:country`.

use std::fmt;
use std::str::FromStr;

/// One part of an address, in the order a written address reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AddressPart {
    /// The street or road, as the source writes it (often with its house number).
    Street,
    HouseNumber,
    /// Apartment, suite, unit — and a source's second street line.
    Apartment,
    /// District, neighbourhood, sublocality.
    District,
    City,
    /// State, province, county (Pipedrive's level-1 administrative area).
    State,
    /// A region below the state (Pipedrive's level-2 administrative area, a US county).
    Region,
    PostalCode,
    Country,
    /// The full address in one line, as Google formats it.
    Full,
}

impl AddressPart {
    /// Every part, in reading order.
    pub const ALL: [AddressPart; 10] = [
        AddressPart::Street,
        AddressPart::HouseNumber,
        AddressPart::Apartment,
        AddressPart::District,
        AddressPart::City,
        AddressPart::State,
        AddressPart::Region,
        AddressPart::PostalCode,
        AddressPart::Country,
        AddressPart::Full,
    ];

    /// The id used in target ids (`organization.address:city`).
    pub fn as_str(self) -> &'static str {
        match self {
            AddressPart::Street => "street",
            AddressPart::HouseNumber => "house_number",
            AddressPart::Apartment => "apartment",
            AddressPart::District => "district",
            AddressPart::City => "city",
            AddressPart::State => "state",
            AddressPart::Region => "region",
            AddressPart::PostalCode => "postal_code",
            AddressPart::Country => "country",
            AddressPart::Full => "full",
        }
    }

    /// Pipedrive's component key (`locality`), the suffix of the part's API field
    /// (`address_locality`).
    pub fn component(self) -> &'static str {
        match self {
            AddressPart::Street => "route",
            AddressPart::HouseNumber => "street_number",
            AddressPart::Apartment => "subpremise",
            AddressPart::District => "sublocality",
            AddressPart::City => "locality",
            AddressPart::State => "admin_area_level_1",
            AddressPart::Region => "admin_area_level_2",
            AddressPart::PostalCode => "postal_code",
            AddressPart::Country => "country",
            AddressPart::Full => "formatted_address",
        }
    }

    /// The part's name in Pipedrive's field lists, exports and import wizard.
    pub fn label(self) -> &'static str {
        match self {
            AddressPart::Street => "Street/road name",
            AddressPart::HouseNumber => "House number",
            AddressPart::Apartment => "Apartment/suite no",
            AddressPart::District => "District/sublocality",
            AddressPart::City => "City/town/village/locality",
            AddressPart::State => "State/county",
            AddressPart::Region => "Region",
            AddressPart::PostalCode => "ZIP/Postal code",
            AddressPart::Country => "Country",
            AddressPart::Full => "Full/combined address",
        }
    }

    /// A short name for screens (`City`).
    pub fn short(self) -> &'static str {
        match self {
            AddressPart::Street => "Street",
            AddressPart::HouseNumber => "House number",
            AddressPart::Apartment => "Apartment/suite",
            AddressPart::District => "District",
            AddressPart::City => "City",
            AddressPart::State => "State",
            AddressPart::Region => "Region",
            AddressPart::PostalCode => "Postal code",
            AddressPart::Country => "Country",
            AddressPart::Full => "Full address",
        }
    }

    /// The column header the import wizard maps to this part of `field` ("City/town/village/
    /// locality of Address"), as Pipedrive's own exports write it.
    pub fn header(self, field: &str) -> String {
        format!("{} of {field}", self.label())
    }

    /// Whether a value can be this part; the reason when it cannot (an e-mail address in a
    /// postal-code column). Blank values are not asked about.
    pub fn check(self, value: &str) -> Result<(), String> {
        let v = value.trim();
        if looks_like_email(v) {
            return Err(format!("an e-mail address is not a {}", self.noun()));
        }
        if looks_like_url(v) {
            return Err(format!("a web address is not a {}", self.noun()));
        }
        match self {
            AddressPart::PostalCode if !is_postal_code(v) => Err(format!(
                "{v:?} is not shaped like a postal code (letters, digits, spaces and hyphens, at most 12, with a digit)"
            )),
            AddressPart::Country if v.chars().any(|c| c.is_ascii_digit()) => {
                Err(format!("{v:?} is not a country (it holds digits)"))
            }
            _ => Ok(()),
        }
    }

    fn noun(self) -> &'static str {
        match self {
            AddressPart::PostalCode => "postal code",
            AddressPart::HouseNumber => "house number",
            AddressPart::Full => "address",
            other => other.as_str(),
        }
    }
}

impl fmt::Display for AddressPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A part name pipemap does not know.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown address part {0:?} (expected street, house_number, apartment, district, city, state, region, postal_code, country or full)"
)]
pub struct UnknownPart(pub String);

impl FromStr for AddressPart {
    type Err = UnknownPart;

    /// The part's own id, or Pipedrive's component key (`locality`, `admin_area_level_1`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AddressPart::ALL
            .into_iter()
            .find(|p| p.as_str() == s || p.component() == s)
            .ok_or_else(|| UnknownPart(s.to_string()))
    }
}

/// The whole address in one line, from its parts in reading order: the street line (street
/// and house number as the source wrote them), apartment, district, city, state, region,
/// postal code and country, joined by commas.
pub fn compose<'a>(parts: impl IntoIterator<Item = (AddressPart, &'a str)>) -> String {
    let mut by_part: Vec<(AddressPart, &str)> = parts
        .into_iter()
        .map(|(p, v)| (p, v.trim()))
        .filter(|(p, v)| !v.is_empty() && *p != AddressPart::Full)
        .collect();
    by_part.sort_by_key(|(p, _)| *p);
    let mut pieces: Vec<String> = Vec::new();
    let mut iter = by_part.into_iter().peekable();
    while let Some((part, value)) = iter.next() {
        // A house number joins its street on one line ("Main Street 12").
        if part == AddressPart::Street
            && let Some(&(AddressPart::HouseNumber, number)) = iter.peek()
        {
            iter.next();
            if !value.contains(number) {
                pieces.push(format!("{value} {number}"));
                continue;
            }
        }
        if !pieces.iter().any(|p| p == value) {
            pieces.push(value.to_string());
        }
    }
    pieces.join(", ")
}

/// Postal codes the world writes: `02139`, `02139-4307`, `T1R 0W3`, `SW1A 1AA`, `10616`,
/// `D-80331`, `1234 AB` — letters, digits, spaces and hyphens, at most 12, with a digit.
pub fn is_postal_code(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty()
        && v.chars().count() <= 12
        && v.chars().any(|c| c.is_ascii_digit())
        && v.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == ' ' || c == '-')
}

/// A country's name in English or its ISO 3166 code (`DE`, `DEU`, `Germany`), any case.
pub fn is_country(value: &str) -> bool {
    static KNOWN: std::sync::OnceLock<std::collections::HashSet<String>> =
        std::sync::OnceLock::new();
    let known = KNOWN.get_or_init(|| {
        iso_country::data::all()
            .into_iter()
            .flat_map(|c| [c.alpha2, c.alpha3, c.name])
            .chain(COMMON_COUNTRY_NAMES.iter().copied())
            .map(str::to_lowercase)
            .collect()
    });
    known.contains(&value.trim().to_lowercase())
}

/// Everyday spellings that ISO's official names do not cover.
const COMMON_COUNTRY_NAMES: &[&str] = &[
    "USA",
    "U.S.A.",
    "US",
    "United States",
    "UK",
    "U.K.",
    "Great Britain",
    "England",
    "Scotland",
    "Wales",
    "Northern Ireland",
    "Russia",
    "South Korea",
    "Korea",
    "Vietnam",
    "Iran",
    "Syria",
    "Bolivia",
    "Venezuela",
    "Tanzania",
    "Taiwan",
    "Czech Republic",
    "Czechia",
    "Holland",
    "Deutschland",
    "España",
    "France",
    "Italia",
    "Brasil",
    "México",
    "Polska",
    "Nederland",
    "Sverige",
    "Norge",
    "Danmark",
    "Suomi",
    "Österreich",
    "Schweiz",
    "Suisse",
    "Belgique",
    "België",
    "日本",
    "中国",
];

fn looks_like_email(v: &str) -> bool {
    v.split_once('@')
        .is_some_and(|(user, host)| !user.is_empty() && host.contains('.') && !host.contains(' '))
}

fn looks_like_url(v: &str) -> bool {
    let starts = |prefix: &str| {
        v.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    };
    starts("http://") || starts("https://") || starts("www.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_read_their_own_ids_and_pipedrive_component_keys() {
        for part in AddressPart::ALL {
            assert_eq!(part.as_str().parse::<AddressPart>(), Ok(part));
            assert_eq!(part.component().parse::<AddressPart>(), Ok(part));
        }
        assert!("zip".parse::<AddressPart>().is_err());
    }

    #[test]
    fn headers_are_named_as_pipedrive_exports_them() {
        assert_eq!(
            AddressPart::City.header("Address"),
            "City/town/village/locality of Address"
        );
        assert_eq!(
            AddressPart::PostalCode.header("Shipping address"),
            "ZIP/Postal code of Shipping address"
        );
    }

    #[test]
    fn compose_reads_in_order_and_keeps_what_the_source_wrote() {
        let full = compose([
            (AddressPart::Country, "Estonia"),
            (AddressPart::City, "Tallinn"),
            (AddressPart::Street, "Mustamäe tee"),
            (AddressPart::HouseNumber, "3"),
            (AddressPart::PostalCode, "10616"),
        ]);
        assert_eq!(full, "Mustamäe tee 3, Tallinn, 10616, Estonia");
        // A street line that already holds its number is not given it twice; blanks vanish.
        let full = compose([
            (AddressPart::Street, "12 Main St"),
            (AddressPart::HouseNumber, "12"),
            (AddressPart::City, " "),
            (AddressPart::PostalCode, "02139"),
        ]);
        assert_eq!(full, "12 Main St, 02139");
        assert_eq!(compose([]), "");
    }

    #[test]
    fn postal_codes_of_many_countries_pass_and_other_things_do_not() {
        for code in [
            "02139",
            "02139-4307",
            "T1R 0W3",
            "SW1A 1AA",
            "D-80331",
            "1234 AB",
        ] {
            assert!(is_postal_code(code), "{code}");
            assert_eq!(AddressPart::PostalCode.check(code), Ok(()));
        }
        for bad in ["ann@example.com", "Boston", "", "123456789012345", "12/34"] {
            assert!(!is_postal_code(bad), "{bad}");
        }
        assert!(AddressPart::PostalCode.check("ann@example.com").is_err());
        assert!(AddressPart::City.check("https://example.com").is_err());
        assert!(AddressPart::City.check("Boston").is_ok());
    }

    #[test]
    fn countries_pass_by_name_and_code() {
        for c in ["DE", "deu", "Germany", "United States", "USA", "Brasil"] {
            assert!(is_country(c), "{c}");
        }
        for c in ["Boston", "12345", "XX"] {
            assert!(!is_country(c), "{c}");
        }
        assert!(AddressPart::Country.check("10115").is_err());
    }
}
