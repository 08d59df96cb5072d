//! Addresses as CRMs write them — several columns per address, in each CRM's and language's
//! naming — land in Pipedrive's address fields in parts, with no City/Zip/Country custom fields,
//! through `apply` without a profile.

use crate::common;

use std::collections::HashMap;

use common::{assert_reconciles, pipemap, rows};
use pipemap::export::SummaryFile;

struct Export {
    summary: SummaryFile,
    /// The output file's rows, header → value.
    rows: Vec<HashMap<String, String>>,
    headers: Vec<String>,
    report: String,
    warnings: String,
}

/// Exports one file (`name`, `text`) as `entity` with no profile and reads `output`.
fn export(name: &str, text: &str, entity: &str, output: &str) -> Export {
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join(name);
    std::fs::write(&src, text).unwrap();
    let out = dir.path().join("out");
    let run = pipemap()
        .arg("apply")
        .arg(&src)
        .args(["--entity", entity, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(matches!(run.status.code(), Some(0 | 3)), "{name}: {stderr}");
    let summary = assert_reconciles(&out);
    let path = out.join(output);
    assert!(path.exists(), "{name}: no {output}; {stderr}");
    let headers = csv::Reader::from_path(&path)
        .unwrap()
        .headers()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    let rows = rows(&path);
    Export {
        summary,
        rows,
        headers,
        report: std::fs::read_to_string(out.join("report.md")).unwrap(),
        warnings: std::fs::read_to_string(out.join("warnings.csv")).unwrap_or_default(),
    }
}

/// The names of the custom fields summary.json asks the user to create.
fn custom_fields(summary: &SummaryFile) -> Vec<String> {
    summary
        .custom_fields_to_create
        .iter()
        .map(|f| format!("{} ({})", f.name, f.field_type))
        .collect()
}

fn assert_no_part_custom_fields(name: &str, e: &Export) {
    for field in custom_fields(&e.summary) {
        let lower = field.to_lowercase();
        for word in [
            "city", "zip", "postal", "country", "state", "street", "region",
        ] {
            assert!(
                !lower.contains(word) || lower.ends_with("(address)"),
                "{name}: custom field {field} for an address part"
            );
        }
    }
}

const ORG: &str = "01-organizations.csv";
const PERSONS: &str = "02-persons.csv";

#[test]
fn every_crms_address_columns_fill_the_organizations_address() {
    let cases = [
        (
            "Account.csv",
            "Name,BillingStreet,BillingCity,BillingState,BillingPostalCode,BillingCountry\n\
             Acme,1 Main St,Cambridge,MA,02139,United States\n",
        ),
        (
            "accounts.csv",
            "Account Name,Billing Street,Billing City,Billing State,Billing Code,Billing Country\n\
             Acme,1 Main St,Cambridge,MA,02139,United States\n",
        ),
        (
            "account.csv",
            "Account Name,Address 1: Street 1,Address 1: City,Address 1: State/Province,Address 1: ZIP/Postal Code,Address 1: Country/Region\n\
             Acme,1 Main St,Cambridge,MA,02139,United States\n",
        ),
        (
            "companies.csv",
            "Company name,Street Address,City,State/Region,Postal Code,Country/Region\n\
             Acme,1 Main St,Cambridge,MA,02139,United States\n",
        ),
        (
            "organizations.csv",
            "Organization - Name,Organization - Street/road name of Address,Organization - City/town/village/locality of Address,Organization - State/county of Address,Organization - ZIP/Postal code of Address,Organization - Country of Address\n\
             Acme,1 Main St,Cambridge,MA,02139,United States\n",
        ),
        (
            "copper-companies.csv",
            "name,address.street,address.city,address.state,address.postal_code,address.country\n\
             Acme,1 Main St,Cambridge,MA,02139,United States\n",
        ),
        (
            "highrise-companies.csv",
            "Name,Address - Work Street,Address - Work City,Address - Work State,Address - Work Zip,Address - Work Country\n\
             Acme,1 Main St,Cambridge,MA,02139,United States\n",
        ),
        (
            "suitecrm-accounts.csv",
            "Name,Billing Street,Billing City,Billing State,Billing Postal Code,Billing Country\n\
             Acme,1 Main St,Cambridge,MA,02139,United States\n",
        ),
        (
            "sell-companies.csv",
            "name,address,city,region,zip,country\n\
             Acme,1 Main St,Cambridge,MA,02139,United States\n",
        ),
        (
            "organizacoes.csv",
            "Organização - Nome,Organização - Nome da rua de Endereço,Organização - Cidade/município/vila/localidade de Endereço,Organização - Estado de Endereço,Organização - CEP/Código postal de Endereço,Organização - País de Endereço\n\
             Acme,1 Main St,Cambridge,MA,02139,United States\n",
        ),
    ];
    for (name, text) in cases {
        let e = export(name, text, "organization", ORG);
        assert_no_part_custom_fields(name, &e);
        let row = &e.rows[0];
        let get = |h: &str| row.get(h).map(String::as_str);
        assert_eq!(
            get("Organization - Street/road name of Address"),
            Some("1 Main St"),
            "{name}: {:?}",
            e.headers
        );
        assert_eq!(
            get("Organization - City/town/village/locality of Address"),
            Some("Cambridge"),
            "{name}"
        );
        assert_eq!(
            get("Organization - State/county of Address"),
            Some("MA"),
            "{name}"
        );
        assert_eq!(
            get("Organization - ZIP/Postal code of Address"),
            Some("02139"),
            "{name}: the leading zero is kept"
        );
        assert_eq!(
            get("Organization - Country of Address"),
            Some("United States"),
            "{name}"
        );
        assert_eq!(
            get("Organization - Address"),
            Some("1 Main St, Cambridge, MA, 02139, United States"),
            "{name}: the whole address, composed"
        );
        assert!(e.report.contains("## Addresses"), "{name}");
    }
}

#[test]
fn persons_addresses_fill_their_postal_address_and_second_addresses_an_address_field() {
    let e = export(
        "Contact.csv",
        "FirstName,LastName,MailingStreet,MailingCity,MailingPostalCode,MailingCountry,OtherStreet,OtherCity,OtherPostalCode,OtherCountry\n\
         Ann,Lee,12 Rue de Rivoli,Paris,75001,FR,1 Bay St,Toronto,T1R 0W3,CA\n",
        "person",
        PERSONS,
    );
    let row = &e.rows[0];
    assert_eq!(
        row["Person - City/town/village/locality of Postal address"],
        "Paris"
    );
    assert_eq!(row["Person - Country of Postal address"], "FR");
    assert_eq!(
        row["Person - ZIP/Postal code of Other address"], "T1R 0W3",
        "letters and the space kept"
    );
    assert_eq!(
        row["Person - Other address"],
        "1 Bay St, Toronto, T1R 0W3, CA"
    );
    let fields = custom_fields(&e.summary);
    assert_eq!(fields, ["Other address (address)"], "{fields:?}");
}

#[test]
fn febrl_style_columns_make_one_address_and_the_postcode_is_no_job_title() {
    let e = export(
        "people.csv",
        "rec_id,given_name,surname,street_number,address_1,address_2,suburb,postcode,state\n\
         rec-1-org,ann,lee,12,main street,kimberley lodge,sydney,2000,nsw\n",
        "person",
        PERSONS,
    );
    let row = &e.rows[0];
    assert_eq!(row["Person - House number of Postal address"], "12");
    assert_eq!(
        row["Person - Street/road name of Postal address"],
        "main street"
    );
    assert_eq!(
        row["Person - Apartment/suite no of Postal address"],
        "kimberley lodge"
    );
    assert_eq!(row["Person - ZIP/Postal code of Postal address"], "2000");
    assert_eq!(
        row["Person - Postal address"],
        "main street 12, kimberley lodge, sydney, nsw, 2000"
    );
    assert!(
        !e.headers.iter().any(|h| h.contains("Job title")),
        "{:?}",
        e.headers
    );
}

#[test]
fn a_value_that_cannot_be_its_part_is_kept_in_the_note_with_a_warning() {
    // Most rows hold postal codes, so the column is a postal code; one row holds an e-mail.
    let e = export(
        "companies.csv",
        "Company name,City,Zip\nAcme,Boston,02139\nBeta,Leeds,LS1 4AP\nGamma,Oslo,gamma@example.com\n",
        "organization",
        ORG,
    );
    let gamma = e
        .rows
        .iter()
        .find(|r| r["Organization - Name"] == "Gamma")
        .unwrap();
    assert_eq!(gamma["Organization - ZIP/Postal code of Address"], "");
    assert!(
        gamma["Note - Content"].contains("Zip: gamma@example.com"),
        "{gamma:?}"
    );
    assert!(
        e.warnings.contains("gamma@example.com") && e.warnings.contains("not a postal code"),
        "{}",
        e.warnings
    );
}
