use super::*;
use crate::dedupe::extras::ExtraEvidence;

#[test]
fn thresholds_and_log_odds_meet() {
    let e = Evidence {
        log_odds: log_odds_of(0.8),
        ..Evidence::default()
    };
    assert!((e.score() - 0.8).abs() < 1e-9);
}

fn person(name: &str) -> Prepared {
    Prepared {
        name: name.into(),
        name_hash: crate::dedupe::prepare::hash(name),
        ..Prepared::default()
    }
}

#[test]
fn an_organisation_matches_a_website_with_a_company_mail_domain() {
    let a = Prepared {
        site: 5,
        ..Prepared::default()
    };
    let b = Prepared {
        mail_domains: [5].into(),
        ..Prepared::default()
    };
    assert_eq!(agreements(true, &a, &b).website, Agreement::Same);
    assert_eq!(agreements(false, &a, &b).website, Agreement::Unknown);
    let c = Prepared {
        site: 6,
        ..Prepared::default()
    };
    assert_eq!(agreements(false, &a, &c).website, Agreement::Different);
}

#[test]
fn a_pair_short_of_the_floor_is_given_up_before_the_name() {
    let stats = FieldStats {
        u_org: 0.009,
        ..FieldStats::default()
    };
    let reach = Reach::of(false, &stats);
    // Name 5, company ln(100) = 4.6 capped at 4.
    assert!(!reach.short_before_name(-8.5, 0.0, 0.5));
    assert!(reach.short_before_name(-8.6, 0.0, 0.5));
    // Context already there counts instead of the company when it is more, capped at 4.5.
    assert!(!reach.short_before_name(-9.0, 9.0, 0.5));
    assert!(reach.short_before_name(-9.1, 9.0, 0.5));
    assert!(!reach.short_before_company(-3.5, 0.0, 0.5));
    assert!(reach.short_before_company(-3.6, 0.0, 0.5));
    assert!(!reach.short_before_company(-4.0, 1.0, 0.5));
    // An organisation has no company to hope for, but a stronger name.
    let org = Reach::of(true, &stats);
    assert!(!org.short_before_name(-5.5, 0.0, 0.5));
    assert!(org.short_before_name(-5.6, 0.0, 0.5));
}

#[test]
fn a_name_many_records_bear_weighs_less() {
    let (a, b) = (person("ann smith"), person("ann smith"));
    let mut stats = FieldStats::default();
    assert_eq!(name_weight(false, &a, &b, &stats), Some((5.0, 1.0)));
    stats.name_counts.insert(a.name_hash, 40);
    let (weight, sim) = name_weight(false, &a, &b, &stats).expect("both have a name");
    assert!((weight - (5.0 - 20f64.ln())).abs() < 1e-12, "{weight}");
    assert_eq!(sim, 1.0);
    assert_eq!(name_weight(false, &a, &person(""), &stats), None);
}

#[test]
fn only_identity_evidence_makes_a_match() {
    let none = ExtraEvidence {
        identifiers: 0.0,
        context: 4.0,
        address: 2.9,
        against: 0.0,
        identity: false,
    };
    let city_only = Evidence {
        city: Agreement::Same,
        company: Agreement::Same,
        name: Some(0.79),
        ..Evidence::default()
    };
    assert!(!has_identity(&city_only, &none));
    let name = Evidence {
        name: Some(0.8),
        ..city_only.clone()
    };
    assert!(has_identity(&name, &none));
    let phone = Evidence {
        phone: Agreement::Same,
        ..city_only.clone()
    };
    assert!(has_identity(&phone, &none));
    let street = ExtraEvidence {
        address: 3.0,
        ..none
    };
    assert!(has_identity(&city_only, &street));
    let id = ExtraEvidence {
        identity: true,
        ..none
    };
    assert!(has_identity(&city_only, &id));
}

#[test]
fn a_comparison_gives_up_below_the_floor_and_finishes_above_it() {
    // Companies so common that one in common adds nothing.
    let stats = FieldStats {
        u_org: 0.9,
        ..FieldStats::default()
    };
    let (a, b) = (person("ann smith"), person("ann smith"));
    // Same name, nothing else: -4.5 + 5.0.
    let full = compare(Entity::Person, &a, &b, &stats);
    assert!((full.log_odds - 0.5).abs() < 1e-12, "{}", full.log_odds);
    assert_eq!(
        compare_above(Entity::Person, &a, &b, &stats, 0.5).log_odds,
        0.5
    );
    let given_up = compare_above(Entity::Person, &a, &b, &stats, 0.6);
    assert_eq!(given_up.log_odds, f64::NEG_INFINITY);
    assert_eq!(given_up.name, None, "given up before the name");
}
