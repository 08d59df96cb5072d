use super::*;

fn with_emails(emails: &[u64], personal: bool) -> Prepared {
    Prepared {
        emails: emails.into(),
        personal_mail: personal,
        ..Prepared::default()
    }
}

fn with_phones(phones: &[u64]) -> Prepared {
    Prepared {
        phones: phones.into(),
        ..Prepared::default()
    }
}

#[test]
fn a_shared_mailbox_weighs_less_than_a_personal_address() {
    let (a, b) = (with_emails(&[1, 2], false), with_emails(&[2], false));
    let mut stats = FieldStats::default();
    assert_eq!(email(Agreement::Same, &a, &b, &stats, false), 8.0);
    stats.shared_emails.insert(2);
    assert_eq!(email(Agreement::Same, &a, &b, &stats, false), 3.0);
    // Shared only counts when every common address is a shared one.
    stats.shared_emails.insert(1);
    let c = with_emails(&[1, 2, 3], false);
    stats.shared_emails.remove(&2);
    assert_eq!(email(Agreement::Same, &a, &c, &stats, false), 8.0);
}

#[test]
fn two_work_addresses_that_differ_count_most_against() {
    let stats = FieldStats::default();
    let (work_a, work_b) = (with_emails(&[1], false), with_emails(&[2], false));
    let personal = with_emails(&[3], true);
    let differ = Agreement::Different;
    assert_eq!(email(differ, &work_a, &work_b, &stats, false), -1.5);
    assert_eq!(email(differ, &work_a, &personal, &stats, false), -0.5);
    assert_eq!(email(differ, &personal, &work_b, &stats, false), -0.5);
    assert_eq!(email(differ, &work_a, &work_b, &stats, true), -0.5);
    assert_eq!(
        email(Agreement::Unknown, &work_a, &work_b, &stats, false),
        0.0
    );
}

#[test]
fn a_switchboard_weighs_less_than_a_direct_line() {
    let (a, b) = (with_phones(&[7]), with_phones(&[7, 8]));
    let mut stats = FieldStats::default();
    assert_eq!(phone(Agreement::Same, &a, &b, &stats, false), 4.5);
    stats.shared_phones.insert(7);
    assert_eq!(phone(Agreement::Same, &a, &b, &stats, false), 1.5);
    assert_eq!(phone(Agreement::Different, &a, &b, &stats, false), -1.0);
    assert_eq!(phone(Agreement::Different, &a, &b, &stats, true), -0.5);
    assert_eq!(phone(Agreement::Unknown, &a, &b, &stats, true), 0.0);
}

#[test]
fn a_website_identifies_organisations_only() {
    assert_eq!(website(Agreement::Same, true), 6.0);
    assert_eq!(website(Agreement::Different, true), -2.0);
    assert_eq!(website(Agreement::Same, false), 2.0);
    assert_eq!(website(Agreement::Different, false), 0.0);
    assert_eq!(website(Agreement::Unknown, true), 0.0);
}

#[test]
fn a_common_city_corroborates_less_and_another_city_counts_against() {
    let mut stats = FieldStats {
        u_city: 0.45,
        ..FieldStats::default()
    };
    let same = city(Agreement::Same, false, &stats);
    assert_eq!(same.evidence, 0.0);
    assert!((same.context - 2f64.ln()).abs() < 1e-12, "{same:?}");
    // A rare city is capped at 1.
    stats.u_city = 0.001;
    assert_eq!(city(Agreement::Same, true, &stats).context, 1.0);
    assert_eq!(
        city(Agreement::Different, true, &stats),
        Added {
            evidence: -2.5,
            context: 0.0
        }
    );
    assert_eq!(city(Agreement::Different, false, &stats).evidence, -1.5);
    assert_eq!(city(Agreement::Unknown, false, &stats), Added::default());
}

#[test]
fn an_address_corroborates_up_to_two() {
    let stats = FieldStats {
        u_address: 0.0001,
        ..FieldStats::default()
    };
    assert_eq!(address(Agreement::Same, &stats).context, 2.0);
    assert_eq!(address(Agreement::Different, &stats).evidence, -0.5);
    assert_eq!(address(Agreement::Unknown, &stats), Added::default());
}

#[test]
fn another_company_makes_a_namesake() {
    assert_eq!(company(Agreement::Same, 3.25).context, 3.25);
    assert_eq!(company(Agreement::Same, 3.25).evidence, 0.0);
    assert_eq!(company(Agreement::Different, 3.25).evidence, -4.0);
    assert_eq!(company(Agreement::Unknown, 3.25), Added::default());
}

#[test]
fn agreeing_on_a_value_everyone_has_adds_nothing() {
    assert_eq!(agree_weight(0.9, 5.0), 0.0);
    assert_eq!(agree_weight(1.0, 5.0), 0.0);
    assert!((agree_weight(0.09, 5.0) - 10f64.ln()).abs() < 1e-12);
    assert_eq!(agree_weight(1e-9, 5.0), 5.0);
}
