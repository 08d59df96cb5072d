//! Proposing a target for every column: names (normalized, synonyms, fuzzy), data evidence,
//! entity context, then a one-to-one assignment, best pairs first, with honest confidence.

pub mod address;
pub mod auto_profile;
pub mod decide;
pub mod detect;
pub mod evidence;
pub mod file_kind;
pub mod links;
pub mod normalize;
pub mod vocabulary;
pub mod words;

mod names;

#[cfg(test)]
mod header_tests;

use serde::Serialize;

use crate::entity::{Entity, Target};
use crate::source::kinds::ColumnKind;
use crate::source::stats::ColumnProfile;
use crate::values::{holds_codes, is_secret_column, status_flag};
use normalize::{normalize, strip_own_prefix, token_set};
use vocabulary::{Vocabularies, Vocabulary};

/// How sure a suggestion is, and so what the tool does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Nothing to suggest.
    None,
    /// A hint only; the target stays unset.
    Low,
    /// Pre-selected, flagged for review.
    Medium,
    /// Applied automatically.
    High,
}

impl Tier {
    /// The tier a confidence falls in.
    pub fn of(confidence: f64) -> Tier {
        if confidence >= HIGH {
            Tier::High
        } else if confidence >= MEDIUM {
            Tier::Medium
        } else if confidence >= LOW {
            Tier::Low
        } else {
            Tier::None
        }
    }

    /// A symbol that reads without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Tier::High => "✔",
            Tier::Medium => "?",
            Tier::Low => "·",
            Tier::None => " ",
        }
    }
}

const HIGH: f64 = 0.9;
const MEDIUM: f64 = 0.7;
const LOW: f64 = 0.5;
/// Scores of candidates kept as alternatives.
const CANDIDATE_FLOOR: f64 = 0.45;

/// The proposal for one column.
#[derive(Debug, Clone, Serialize)]
pub struct ColumnSuggestion {
    pub column: String,
    /// The target, unset for `low` and `none`.
    pub target: Option<Target>,
    pub confidence: f64,
    pub tier: Tier,
    /// Other plausible targets, best first (the hint for `low`).
    pub alternatives: Vec<Target>,
    /// Why: which name or evidence matched.
    pub reason: String,
    /// For a custom-field target, the Pipedrive field type to create.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field_type: Option<&'static str>,
    /// A link the column's values make to other files' records (by their ids), when the
    /// export's other files were at hand.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<links::LinkProposal>,
}

/// The proposal for a whole file.
#[derive(Debug, Clone, Serialize)]
pub struct FileSuggestion {
    pub file: String,
    pub entity: Entity,
    pub source_crm: Option<String>,
    pub columns: Vec<ColumnSuggestion>,
}

/// A scored (column, slot) pair; `vocab` indexes the vocabularies in play for the file.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    column: usize,
    vocab: usize,
    slot: usize,
    score: f64,
    how: How,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum How {
    Exact,
    Stripped,
    Numbered,
    Reordered,
    Contains,
    Fuzzy,
    Evidence,
    Reference,
    Translated,
}

impl How {
    fn describe(self) -> &'static str {
        match self {
            How::Exact => "known column name",
            How::Stripped => "known name after the entity prefix",
            How::Numbered => "known name with a number",
            How::Reordered => "known words in another order",
            How::Contains => "contains a known name",
            How::Fuzzy => "close to a known name",
            How::Reference => "names the field it refers to (by id or nested path)",
            How::Evidence => "the values' kind",
            How::Translated => "known words in another language",
        }
    }
}

/// How much a match on a related entity's field counts, against the file's own entity: a deal
/// or lead row may carry its person and organization (the import links items in one row).
const RELATED: f64 = 0.95;

/// The entities whose fields a file of `entity` may also fill, and which of their fields: the
/// ones that describe the person or organization itself, not its bookkeeping.
fn related(entity: Entity) -> &'static [(Entity, &'static [&'static str])] {
    const PERSON: &[&str] = &[
        "name",
        "first_name",
        "last_name",
        "email",
        "phone",
        "job_title",
        "postal_address",
        "birthday",
    ];
    const ORGANIZATION: &[&str] = &["name", "address"];
    match entity {
        Entity::Deal | Entity::Lead => &[
            (Entity::Person, PERSON),
            (Entity::Organization, ORGANIZATION),
        ],
        _ => &[],
    }
}

/// Suggests a target for every column of a file whose rows become `entity`.
/// `source_label` names the source CRM for the source-id field ("Sell ID").
pub fn suggest_columns(
    vocabularies: &Vocabularies,
    entity: Entity,
    columns: &[ColumnProfile],
    source_label: Option<&str>,
) -> Vec<ColumnSuggestion> {
    let Some(own) = vocabularies.get(entity) else {
        return Vec::new();
    };
    let mut suggestions = match_columns(vocabularies, own, entity, columns, source_label);
    address::assign(entity, columns, &mut suggestions);
    suggestions
        .into_iter()
        .zip(columns)
        .map(|(s, column)| match left_out(entity, &s, column) {
            Some(reason) => ColumnSuggestion {
                target: Some(Target::Skip),
                confidence: 1.0,
                tier: Tier::High,
                reason: reason.to_string(),
                field_type: None,
                link: None,
                ..s
            },
            None => s,
        })
        .collect()
}

/// Why a column is better skipped than written, whatever its name matched: it holds secrets,
/// or it is a deal's yes/no won/closed flag (`IsWon`), which the export reads for the deal's status
/// anyway (a custom field for it would only repeat the status).
fn left_out(entity: Entity, s: &ColumnSuggestion, column: &ColumnProfile) -> Option<&'static str> {
    let builtin = matches!(s.target, Some(Target::Field { .. }));
    if is_secret_column(&s.column) {
        Some("holds secrets (passwords, tokens, keys, card numbers): never written")
    } else if entity == Entity::Deal
        && !builtin
        && column.kind == ColumnKind::Boolean
        && status_flag(&s.column).is_some()
    {
        Some("a won/closed flag: the export reads it for the deal's status")
    } else {
        None
    }
}

/// The best target for each column, one column per field.
fn match_columns(
    vocabularies: &Vocabularies,
    own: &Vocabulary,
    entity: Entity,
    columns: &[ColumnProfile],
    source_label: Option<&str>,
) -> Vec<ColumnSuggestion> {
    let mut vocabs: Vec<(&Vocabulary, f64, Option<&[&str]>)> = vec![(own, 1.0, None)];
    for (other, keys) in related(entity) {
        if let Some(v) = vocabularies.get(*other) {
            vocabs.push((v, RELATED, Some(keys)));
        }
    }
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut per_column: Vec<Vec<Candidate>> = Vec::with_capacity(columns.len());
    for (i, profile) in columns.iter().enumerate() {
        let mut mine = Vec::new();
        let custom_marked = is_custom_marked(&profile.name);
        for (v, &(vocabulary, factor, keys)) in vocabs.iter().enumerate() {
            for mut c in names::name_candidates(vocabulary, i, &profile.name) {
                if keys.is_some_and(|k| !k.contains(&vocabulary.slots[c.slot].key.as_str())) {
                    continue;
                }
                c.vocab = v;
                c.score =
                    (c.score * factor * evidence::fit(profile, &vocabulary.slots[c.slot])).min(1.0);
                if custom_marked {
                    // A CRM's own custom field (`Company__c`) only resembles a standard one
                    // by its name: it yields to a column that is the standard one.
                    c.score *= 0.85;
                }
                mine.push(c);
            }
        }
        if mine.iter().all(|c| c.score < MEDIUM) {
            mine.extend(evidence_candidates(own, i, profile));
        }
        mine.retain(|c| c.score >= CANDIDATE_FLOOR);
        mine.sort_by(|a, b| b.score.total_cmp(&a.score));
        candidates.extend(mine.iter().copied());
        per_column.push(mine);
    }
    // One-to-one, best pairs first: the strongest claim on a slot wins it.
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.column.cmp(&b.column)));
    let mut slot_taken = std::collections::HashSet::new();
    let mut chosen: Vec<Option<Candidate>> = vec![None; columns.len()];
    for c in &candidates {
        if chosen[c.column].is_none() && slot_taken.insert((c.vocab, c.slot)) {
            chosen[c.column] = Some(*c);
        }
    }
    // A slot that several columns claim strongly is not certain for any of them.
    let contested = |c: &Candidate| {
        candidates.iter().any(|o| {
            o.column != c.column && o.vocab == c.vocab && o.slot == c.slot && o.score >= 0.85
        })
    };
    columns
        .iter()
        .enumerate()
        .map(|(i, profile)| {
            let pick = chosen[i].map(|c| (c, contested(&c)));
            let plain: Vec<&Vocabulary> = vocabs.iter().map(|v| v.0).collect();
            finish(&plain, profile, pick, &per_column[i], source_label, entity)
        })
        .collect()
}

/// Turns the chosen candidate (if any) into a suggestion with tier, alternatives and reason.
fn finish(
    vocabs: &[&Vocabulary],
    profile: &ColumnProfile,
    chosen: Option<(Candidate, bool)>,
    mine: &[Candidate],
    source_label: Option<&str>,
    entity: Entity,
) -> ColumnSuggestion {
    let slot_of = |c: &Candidate| &vocabs[c.vocab].slots[c.slot];
    let mut alternatives: Vec<Target> = Vec::new();
    for c in mine {
        let t = slot_of(c).target.clone();
        let is_chosen = chosen.is_some_and(|(x, _)| x.vocab == c.vocab && x.slot == c.slot);
        if !is_chosen && !alternatives.contains(&t) {
            alternatives.push(t);
        }
        if alternatives.len() == 3 {
            break;
        }
    }
    if let Some((c, contested)) = chosen {
        let mut confidence = c.score;
        // A near tie with another field of the same entity: the name alone cannot decide.
        let rival = mine.iter().any(|o| {
            o.vocab == c.vocab && slot_of(o).key != slot_of(&c).key && o.score > c.score - 0.05
        });
        // A link to another record by a header alone: "Company Name" is as often a contact's
        // own text as the link to its organization; only values can tell, so it is not certain.
        let unconfirmed_link =
            has_no_rows(profile) && matches!(slot_of(&c).field_type.as_str(), "org" | "people");
        if (rival || contested || unconfirmed_link || is_custom_marked(&profile.name))
            && confidence >= HIGH
        {
            confidence = HIGH - 0.01;
        }
        let tier = Tier::of(confidence);
        if tier >= Tier::Medium {
            return ColumnSuggestion {
                column: profile.name.clone(),
                target: Some(slot_of(&c).target.clone()),
                confidence: round(confidence),
                tier,
                alternatives,
                reason: c.how.describe().to_string(),
                field_type: None,
                link: None,
            };
        }
        alternatives.insert(0, slot_of(&c).target.clone());
        alternatives.truncate(3);
    }
    no_standard_home(entity, profile, alternatives, source_label)
}

/// Whether a column name carries a CRM's custom-field marker: Salesforce's `__c` suffix,
/// Freshsales' and Zoho's `cf_` prefix.
fn is_custom_marked(name: &str) -> bool {
    let lower = name.trim().to_ascii_lowercase();
    lower.ends_with("__c") || lower.starts_with("cf_")
}

/// A column no standard field fits: a source id, an empty column, or a custom field to create.
fn no_standard_home(
    entity: Entity,
    profile: &ColumnProfile,
    alternatives: Vec<Target>,
    source_label: Option<&str>,
) -> ColumnSuggestion {
    let normalized = normalize(&profile.name);
    let words = token_set(&normalized);
    let is_own_id = words == ["id"]
        || (words.len() == 2
            && words.contains(&"id")
            && strip_own_prefix(&normalized, entity).as_deref() == Some("id"));
    let seen_rows = !has_no_rows(profile);
    let (target, reason, field_type, confidence) = if is_own_id {
        let name = format!("{} ID", source_label.unwrap_or("Source"));
        (
            Target::custom(entity, &name),
            "the record's own id: kept as a custom field so every record stays traceable",
            Some("varchar"),
            0.8,
        )
    } else if seen_rows && profile.filled == 0 {
        // A sample cannot promise the rest of the file is empty too: the note keeps whatever a
        // later row holds (row 1,380's "Mr.") instead of losing it.
        (
            Target::Note,
            "empty in every sampled row: kept in the note, so a value in a later row is not lost",
            None,
            0.7,
        )
    } else {
        // A column without a header is still a column: its field is named by its place.
        let name = match custom_field_name(&profile.name) {
            n if n.trim().is_empty() => format!("Column {}", profile.index + 1),
            n => n,
        };
        (
            Target::custom(entity, &name),
            "no standard field: a custom field to create",
            Some(match profile.kind.pipedrive_type() {
                // Postal codes, phone and account numbers are text, however numeric they look.
                "double" | "int" | "monetary" if holds_codes(&profile.name) => "varchar",
                other => other,
            }),
            0.7,
        )
    };
    ColumnSuggestion {
        column: profile.name.clone(),
        target: Some(target),
        confidence,
        tier: Tier::of(confidence),
        alternatives,
        reason: reason.to_string(),
        field_type,
        link: None,
    }
}

/// The name of the custom field to create for a column: Zendesk Sell writes its own custom
/// fields as `custom <Name>#<n>`, Salesforce as `<Name>__c`; the field keeps the plain name.
pub fn custom_field_name(column: &str) -> String {
    let trimmed = column.trim();
    if let Some(rest) = trimmed.strip_prefix("custom ")
        && let Some((name, n)) = rest.rsplit_once('#')
        && !name.trim().is_empty()
        && n.chars().all(|c| c.is_ascii_digit())
    {
        return name.trim().to_string();
    }
    if let Some(name) = trimmed.strip_suffix("__c").filter(|n| !n.is_empty()) {
        return name.replace('_', " ");
    }
    trimmed.to_string()
}

/// A profile taken from a header-only file (or a bare header list) has seen no rows at all.
fn has_no_rows(profile: &ColumnProfile) -> bool {
    profile.sampled == 0
}

fn round(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Candidates from the values alone, for a column whose name says nothing.
fn evidence_candidates(
    vocabulary: &Vocabulary,
    column: usize,
    profile: &ColumnProfile,
) -> Vec<Candidate> {
    let first_free = |key: &str| vocabulary.slots.iter().position(|s| s.key == key);
    let mut out = Vec::new();
    let mut push = |key: &str, score: f64| {
        if let Some(slot) = first_free(key) {
            out.push(Candidate {
                column,
                vocab: 0,
                slot,
                score,
                how: How::Evidence,
            });
        }
    };
    match &profile.kind {
        ColumnKind::Email => push("email", 0.72),
        ColumnKind::Phone => push("phone", 0.66),
        ColumnKind::Url if vocabulary.entity == Entity::Organization => push("website", 0.66),
        _ => {}
    }
    if vocabulary.entity == Entity::Deal
        && evidence::values_within(profile, &["open", "won", "lost"])
    {
        push("status", 0.8);
    } else if vocabulary.entity == Entity::Activity && evidence::task_statuses(profile) {
        // A task's status (Completed, Not Started): whether the activity is done, unless a
        // column that says so by its name (IsClosed) claims the field more strongly.
        push("done", 0.8);
    } else if evidence::is_option_column(profile, &normalize(&profile.name)) {
        // "Rating" (Hot/Warm/Cold), "Type", "Tier": options that belong in a label; a hint.
        push("label", 0.6);
    }
    out
}

/// The whole proposal for a file: entity (given or detected), source CRM, and every column.
pub fn suggest_file(
    vocabularies: &Vocabularies,
    file: &str,
    entity: Option<Entity>,
    columns: &[ColumnProfile],
) -> FileSuggestion {
    let headers: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
    let values: Vec<&[String]> = columns.iter().map(|c| c.examples.as_slice()).collect();
    let crm = detect::source_crm_of(&detect::FileEvidence {
        file,
        headers: &headers,
        values: &values,
    });
    let entity = entity.unwrap_or_else(|| detect::entity(vocabularies, file, &headers));
    let label = crm.map(|c| c.id_label.as_str());
    FileSuggestion {
        file: file.to_string(),
        entity,
        source_crm: crm.map(|c| c.id.clone()),
        columns: suggest_columns(vocabularies, entity, columns, label),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrong_guess_names_no_custom_field_after_another_crm() {
        // A SuiteCRM export in display labels shares "Account Name", "Created By" and
        // "Modified By" with Zoho's: no "Zoho ID" field, no Zoho source.
        let schema = crate::schema::Schema::builtin();
        let vocabularies = vocabulary::Vocabularies::new(&schema);
        let headers = [
            "ID",
            "Name",
            "Account Name",
            "Billing Street",
            "Created By",
            "Modified By",
            "Date Created",
        ];
        let columns: Vec<_> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| {
                let values = vec![format!("{:08x}-54c1-4a31-9f0e-6b1f3c8a2d7e", i)];
                crate::source::stats::profile_column(h, i, &values)
            })
            .collect();
        let suggestion = suggest_file(&vocabularies, "Accounts.csv", None, &columns);
        assert_eq!(suggestion.source_crm, None);
        for c in &suggestion.columns {
            let target = c.target.as_ref().map(|t| t.to_string()).unwrap_or_default();
            assert!(!target.contains("Zoho"), "{}: {target}", c.column);
        }
    }

    #[test]
    fn crm_custom_field_spellings_become_plain_names() {
        assert_eq!(custom_field_name("custom Segment#1"), "Segment");
        assert_eq!(
            custom_field_name("custom Customer since#12"),
            "Customer since"
        );
        assert_eq!(custom_field_name("Customer_Tier__c"), "Customer Tier");
        assert_eq!(custom_field_name("custom#"), "custom#");
        assert_eq!(custom_field_name(" Fax "), "Fax");
    }
}

#[cfg(test)]
mod reference_tests {
    use super::*;

    fn suggest(headers: &[&str], entity: Entity) -> Vec<ColumnSuggestion> {
        let schema = crate::schema::Schema::builtin();
        let vocabularies = vocabulary::Vocabularies::new(&schema);
        let columns: Vec<_> = headers
            .iter()
            .enumerate()
            .map(|(i, h)| crate::source::stats::profile_column(h, i, &[]))
            .collect();
        suggest_columns(&vocabularies, entity, &columns, None)
    }

    #[test]
    fn reference_columns_map_to_the_field_they_reference_never_certain() {
        let got = suggest(
            &["AccountId", "assignee_id", "Email", "links.accounts"],
            Entity::Person,
        );
        let target = |i: usize| got[i].target.as_ref().map(|t| t.to_string());
        assert_eq!(target(0).as_deref(), Some("person.org_id"));
        assert_eq!(got[0].tier, Tier::Medium);
        assert_eq!(target(1).as_deref(), Some("person.owner_id"));
        assert_eq!(got[1].tier, Tier::Medium);
    }

    #[test]
    fn pipedrive_exports_in_other_ui_languages_map_field_by_field() {
        let cases: &[(Entity, &[(&str, &str)])] = &[
            (
                Entity::Deal,
                &[
                    ("Negócio - Título", "deal.title"),
                    ("Negócio - Valor", "deal.value"),
                    ("Negócio - Etapa", "deal.stage_id"),
                    ("Negócio - Proprietário", "deal.owner_id"),
                    (
                        "Negócio - Data de fechamento esperada",
                        "deal.expected_close_date",
                    ),
                ],
            ),
            (
                Entity::Deal,
                &[
                    ("Deal - Titel", "deal.title"),
                    ("Deal - Wert", "deal.value"),
                    ("Deal - Besitzer", "deal.owner_id"),
                    ("Deal - Phase", "deal.stage_id"),
                    ("Deal - Kontaktperson", "deal.person_id"),
                ],
            ),
            (
                Entity::Person,
                &[
                    ("Personne - Nom", "person.name"),
                    ("Personne - Prénom", "person.first_name"),
                    ("Personne - Nom de famille", "person.last_name"),
                    ("Personne - E-mail - Travail", "person.email:work"),
                ],
            ),
            (
                Entity::Person,
                &[
                    ("Pessoa - Nome", "person.name"),
                    ("Pessoa - E-mail", "person.email"),
                    ("Pessoa - Telefone", "person.phone"),
                ],
            ),
            (
                Entity::Deal,
                &[
                    ("Trato - Título", "deal.title"),
                    ("Trato - Valor", "deal.value"),
                ],
            ),
            (Entity::Deal, &[("Affaire - Valeur", "deal.value")]),
        ];
        for (entity, columns) in cases {
            let headers: Vec<&str> = columns.iter().map(|c| c.0).collect();
            let got = suggest(&headers, *entity);
            for ((header, want), s) in columns.iter().zip(&got) {
                // A field named without a label is right with any of its labels.
                let target = s
                    .target
                    .as_ref()
                    .map(|t| {
                        if want.contains(':') {
                            t.clone()
                        } else {
                            t.without_label()
                        }
                    })
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                assert_eq!(&target, want, "{header}");
            }
        }
    }

    #[test]
    fn a_crm_custom_field_is_never_a_certain_standard_one() {
        let got = suggest(&["Company__c"], Entity::Person);
        assert!(got[0].tier < Tier::High, "{:?}", got[0]);
    }
}
