use super::*;

#[test]
fn statuses_in_the_languages_crms_write() {
    let cases = [
        ("won", DealStatus::Won),
        ("Won", DealStatus::Won),
        ("ganho", DealStatus::Won),
        ("Perdido", DealStatus::Lost),
        ("aberto", DealStatus::Open),
        ("gewonnen", DealStatus::Won),
        ("verloren", DealStatus::Lost),
        ("offen", DealStatus::Open),
        ("ganado", DealStatus::Won),
        ("abierto", DealStatus::Open),
        ("gagné", DealStatus::Won),
        ("Gagne", DealStatus::Won),
        ("perdu", DealStatus::Lost),
        ("ouvert", DealStatus::Open),
        ("vinto", DealStatus::Won),
        ("perso", DealStatus::Lost),
        ("Closed Won", DealStatus::Won),
        ("closed-lost", DealStatus::Lost),
        // Dynamics 365 status reasons.
        ("In Progress", DealStatus::Open),
        ("Out-Sold", DealStatus::Lost),
        ("Canceled", DealStatus::Lost),
    ];
    for (text, status) in cases {
        assert_eq!(parse_status(text), Some(status), "{text}");
    }
    for text in ["", "maybe", "Qualification", "wonder"] {
        assert_eq!(parse_status(text), None, "{text}");
    }
}

#[test]
fn stages_that_say_closed() {
    // Salesforce's, HubSpot's and Zoho's default closing stages.
    assert_eq!(stage_status("Closed Won"), Some(DealStatus::Won));
    assert_eq!(stage_status("Closed Lost"), Some(DealStatus::Lost));
    assert_eq!(stage_status("Closed - Won"), Some(DealStatus::Won));
    // HubSpot's internal ids of its default closing stages; Zoho's third closing stage.
    assert_eq!(stage_status("closedwon"), Some(DealStatus::Won));
    assert_eq!(stage_status("closedlost"), Some(DealStatus::Lost));
    assert_eq!(
        stage_status("Closed-Lost to Competition"),
        Some(DealStatus::Lost)
    );
    assert_eq!(stage_status("Closed (Lost)"), None);
    assert_eq!(stage_status("Won over by a rival"), None);
    assert_eq!(stage_status("Won"), Some(DealStatus::Won));
    assert_eq!(stage_status("Fechado ganho"), Some(DealStatus::Won));
    assert_eq!(
        stage_status("Geschlossen - verloren"),
        Some(DealStatus::Lost)
    );
    assert_eq!(stage_status("Negotiation/Review"), None);
    assert_eq!(stage_status("Proposal/Price Quote"), None);
    // An open word is no closed stage, and a stage called "Open" says nothing.
    assert_eq!(stage_status("Open"), None);
    assert_eq!(stage_status("Closed"), None);
}

#[test]
fn flag_columns() {
    assert_eq!(status_flag("IsWon"), Some(StatusFlag::Won));
    assert_eq!(status_flag("IsClosed"), Some(StatusFlag::Closed));
    assert_eq!(status_flag("Is Closed"), Some(StatusFlag::Closed));
    assert_eq!(status_flag("is_won"), Some(StatusFlag::Won));
    // HubSpot's deal properties, by label and by internal name.
    assert_eq!(status_flag("Is Closed Won"), Some(StatusFlag::Won));
    assert_eq!(status_flag("hs_is_closed_won"), Some(StatusFlag::Won));
    assert_eq!(status_flag("hs_is_closed"), Some(StatusFlag::Closed));
    assert_eq!(status_flag("IsDeleted"), None);
    assert_eq!(status_flag("Closed Date"), None);
}

#[test]
fn secret_columns() {
    for header in [
        "Password",
        "User Password",
        "password",
        "Password__c",
        "API Key",
        "ApiKey",
        "api_key",
        "Access Token",
        "Client Secret",
        "Credit Card Number",
        "CardNumber",
        "CVV",
        "Senha",
    ] {
        assert!(is_secret_column(header), "{header}");
    }
    for header in [
        "Password last changed",
        "Token expiry",
        "Name",
        "Account Number",
        "Secretary",
        "Keywords",
    ] {
        assert!(!is_secret_column(header), "{header}");
    }
}

#[test]
fn code_columns() {
    for header in [
        "Address 1: ZIP/Postal Code",
        "BillingPostalCode",
        "PLZ",
        "Postleitzahl",
        "Main Phone",
        "AccountNumber",
        "Customer No",
        "VAT number",
        "Sell ID",
    ] {
        assert!(holds_codes(header), "{header}");
    }
    for header in [
        "NumberOfEmployees",
        "Number of locations",
        "Annual Revenue",
        "Amount",
        "Probability",
        "Opportunity Lifecycle (Days)",
    ] {
        assert!(!holds_codes(header), "{header}");
    }
}

#[test]
fn currencies_by_code_name_and_symbol() {
    let cases = [
        ("USD", "USD"),
        ("usd", "USD"),
        ("US Dollar", "USD"),
        ("United States dollar", "USD"),
        ("Euro", "EUR"),
        ("€", "EUR"),
        ("£", "GBP"),
        ("R$", "BRL"),
        ("Pound sterling", "GBP"),
        ("Swedish Krona", "SEK"),
        ("USD - US Dollar", "USD"),
        ("US Dollar (USD)", "USD"),
        ("'EUR", "EUR"),
    ];
    for (text, code) in cases {
        assert_eq!(parse_currency(text).as_deref(), Ok(code), "{text}");
    }
}

#[test]
fn currency_placeholders_and_unknowns() {
    for text in ["'-99", "-99", "-1", "0", "none", "N/A", "-"] {
        assert_eq!(
            parse_currency(text),
            Err(ValueError::Placeholder(text.into())),
            "{text}"
        );
    }
    for text in ["Gold", "XYZ", "USD - Euro", "kr"] {
        assert_eq!(
            parse_currency(text),
            Err(ValueError::NotACurrency(text.into())),
            "{text}"
        );
    }
}

#[test]
fn country_codes_with_one_currency() {
    assert_eq!(country_currency("SE"), Some("SEK"));
    assert_eq!(country_currency("DE"), Some("EUR"));
    assert_eq!(country_currency("US"), Some("USD"));
    assert_eq!(country_currency("XX"), None);
    assert_eq!(country_currency("se"), None);
}

proptest::proptest! {
    #[test]
    fn readers_never_panic(s in "\\PC{0,24}") {
        let _ = parse_status(&s);
        let _ = stage_status(&s);
        let _ = status_flag(&s);
        let _ = is_secret_column(&s);
        let _ = holds_codes(&s);
        let _ = parse_currency(&s);
        let _ = country_currency(&s);
        let _ = starts_with_calling_code(&s);
    }
}
