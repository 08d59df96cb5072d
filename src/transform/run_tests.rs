//! The export's steps one by one, on small files written to a temporary folder.

use std::path::{Path, PathBuf};

use super::*;
use crate::source::AsSources;
use crate::transform::index_read::{index_entry, index_plan};

const PROFILE: &str = r#"version: 1
name: steps
files:
  - match: {headers_include: [id, name]}
    entity: person
    columns:
      id: person.custom:Source ID
      name: person.name
      email: person.email:work
  - match: {headers_include: [org_name]}
    entity: organization
    columns:
      org_name: organization.name
  - match: {headers_include: [title, contact_id]}
    entity: deal
    columns:
      title: deal.title
      contact_id: deal.person_id
      company: deal.org_id
"#;

const PERSONS: &str = "id,name,email\n501,Ann Lee,ann@x.example\n502,Bo Ek,bo@x.example\n";
const ORGS: &str = "org_name\nGlobex\n";
/// Globex is described by a row; Acme only by the deal that links to it.
const DEALS: &str = "title,contact_id,company\nRenewal,502,Acme\nUpsell,501,Globex\n";

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The preset profile of this name.
fn preset(name: &str) -> Profile {
    let text = crate::profile::library::PRESETS
        .iter()
        .find(|(preset, _)| *preset == name)
        .map(|(_, text)| *text)
        .unwrap();
    crate::profile::from_yaml(name, text).unwrap()
}

fn sources(paths: &[PathBuf]) -> Vec<SourceRef> {
    paths.iter().flat_map(|p| p.as_sources().unwrap()).collect()
}

fn options(out: PathBuf, drift: DriftPolicy) -> ApplyOptions<'static> {
    ApplyOptions {
        out,
        sample: None,
        escape_formulas: false,
        drift,
        progress: None,
        notes: Vec::new(),
        owners_from: None,
        labels: Default::default(),
    }
}

fn profile(text: &str) -> Profile {
    crate::profile::from_yaml("steps.yaml", text).unwrap()
}

/// Deals first on the command line, then persons, then organizations.
fn files(dir: &Path) -> Vec<PathBuf> {
    vec![
        write(dir, "deals.csv", DEALS),
        write(dir, "persons.csv", PERSONS),
        write(dir, "organizations.csv", ORGS),
    ]
}

/// What each step's test starts from: a temporary folder, a profile, the built-in schema and
/// options that write to `out` in the folder.
struct Setup {
    dir: tempfile::TempDir,
    profile: Profile,
    schema: Schema,
    opts: ApplyOptions<'static>,
}

impl Setup {
    /// [`PROFILE`], refusing drift.
    fn new() -> Setup {
        Setup::with(PROFILE, DriftPolicy::Refuse)
    }

    fn with(profile_text: &str, drift: DriftPolicy) -> Setup {
        let dir = tempfile::tempdir().unwrap();
        let opts = options(dir.path().join("out"), drift);
        Setup {
            profile: profile(profile_text),
            schema: Schema::builtin(),
            opts,
            dir,
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The run prepared over `paths`, which must succeed.
    fn prepare(&self, paths: &[PathBuf]) -> ExportRun<'_> {
        ExportRun::prepare(sources(paths), &self.profile, &self.schema, &self.opts).unwrap()
    }
}

#[test]
fn prepare_compiles_a_plan_per_file_and_orders_them_for_the_import() {
    let setup = Setup::new();
    let paths = files(setup.path());
    let run = setup.prepare(&paths);
    let entities: Vec<Entity> = run.plans.iter().map(|p| p.entity).collect();
    assert_eq!(
        entities,
        [Entity::Deal, Entity::Person, Entity::Organization]
    );
    assert_eq!(
        run.order,
        [2, 1, 0],
        "organizations, then persons, are imported before the deals that link them"
    );
    assert_eq!(run.rows.tally.files.len(), 3);
    let bytes = DEALS.len() + PERSONS.len() + ORGS.len();
    assert_eq!(run.total_bytes, bytes as u64);
    assert!(
        run.drift.iter().all(|d| !d.needs_review()),
        "{:?}",
        run.drift
    );
    assert!(!run.lookups.escape);
    assert!(
        !std::fs::exists(setup.path().join("out")).unwrap(),
        "preparing writes nothing"
    );
}

#[test]
fn prepare_refuses_a_file_no_mapping_matches_and_names_it() {
    let setup = Setup::new();
    let stray = write(setup.path(), "stray.csv", "colour,size\nred,3\n");
    let (profile, schema, opts) = (&setup.profile, &setup.schema, &setup.opts);
    let Err(error) = ExportRun::prepare(sources(&[stray]), profile, schema, opts) else {
        panic!("a file the profile does not know was taken");
    };
    assert!(matches!(error, ApplyError::Unmatched(_)), "{error}");
    assert!(error.to_string().contains("stray.csv"), "{error}");
}

#[test]
fn check_drift_refuses_a_new_column_unless_the_drift_is_to_be_reported() {
    let refuse = Setup::new();
    let persons = write(
        refuse.path(),
        "persons.csv",
        "id,name,email,Shoe size\n501,Ann Lee,ann@x.example,38\n",
    );
    let run = refuse.prepare(std::slice::from_ref(&persons));
    let Err(ApplyError::Drift(lines)) = run.check_drift() else {
        panic!("the new column went unnoticed");
    };
    assert!(lines.contains("Shoe size"), "{lines}");
    let report = Setup::with(PROFILE, DriftPolicy::Report);
    let run = report.prepare(&[persons]);
    assert!(run.check_drift().is_ok());
    assert!(
        run.drift[0].needs_review(),
        "the drift is still there to report"
    );
}

#[test]
fn find_duplicates_plans_merges_only_where_the_profile_asks() {
    let plain = Setup::new();
    let persons = write(
        plain.path(),
        "persons.csv",
        "id,name,email\n501,Ann Lee,ann@x.example\n502,Annie Lee,ann@x.example\n503,Bo Ek,bo@x.example\n",
    );
    let mut run = plain.prepare(std::slice::from_ref(&persons));
    run.find_duplicates().unwrap();
    assert!(run.duplicates.iter().all(Option::is_none));
    assert!(run.lookups.column_merges.is_empty() && run.lookups.renames.is_empty());

    let merging = Setup::with(
        &format!("{PROFILE}dedupe:\n  person:\n    keys: [email]\n    auto_merge: true\n"),
        DriftPolicy::Refuse,
    );
    let mut run = merging.prepare(&[persons]);
    run.find_duplicates().unwrap();
    let found = run.duplicates[0].as_ref().expect("the persons' duplicates");
    assert_eq!(found.plan.absorbed.len(), 1, "{:?}", found.plan.absorbed);
    // Links by the absorbed record's name follow its survivor.
    assert_eq!(run.lookups.renames.len(), 1, "{:?}", run.lookups.renames);
    let renamed = run.lookups.renames.values().next().unwrap();
    assert!(renamed == "Ann Lee" || renamed == "Annie Lee", "{renamed}");
    assert!(run.lookups.column_merges.contains_key(&Entity::Person));
}

#[test]
fn index_links_holds_the_records_links_by_id_can_reach() {
    let setup = Setup::new();
    let paths = files(setup.path());
    let mut run = setup.prepare(&paths);
    // The steps run in order: the index follows merges, so the duplicates come first.
    run.find_duplicates().unwrap();
    run.index_links().unwrap();
    // No row of the persons file, or of a file converted before it, links to a person: the
    // persons are indexed as they are converted, not read beforehand.
    let persons = run.plans.iter().position(|p| p.entity == Entity::Person);
    assert_eq!(
        (0..run.plans.len())
            .filter(|&i| run.indexed_later[i])
            .collect::<Vec<_>>(),
        persons.into_iter().collect::<Vec<_>>()
    );
    assert!(run.index.get(Entity::Person, "502").is_none());
    let staging = Staging::new(&setup.opts.out).unwrap();
    let mut out = run.open_outputs(&staging).unwrap();
    for i in run.order.clone() {
        run.convert_file(i, &mut out).unwrap();
    }
    let bo = run
        .index
        .get(Entity::Person, "502")
        .expect("person 502 is indexed");
    assert_eq!(bo.name, "Bo Ek");
    assert!(run.index.get(Entity::Person, "999").is_none());
    assert_eq!(run.index.len(), 2);
}

#[test]
fn index_links_reads_nothing_when_no_link_is_by_id() {
    let setup = Setup::new();
    let persons = write(setup.path(), "persons.csv", PERSONS);
    let mut run = setup.prepare(&[persons]);
    run.find_duplicates().unwrap();
    run.index_links().unwrap();
    assert!(run.index.is_empty());
}

/// The run converted whole into its staging folder, up to (not including) `finish`.
fn converted<'a>(
    setup: &'a Setup,
    paths: &[PathBuf],
    staging: &Staging,
) -> (ExportRun<'a>, Outputs) {
    let mut run = setup.prepare(paths);
    run.find_duplicates().unwrap();
    run.index_links().unwrap();
    let mut out = run.open_outputs(staging).unwrap();
    for i in run.order.clone() {
        run.convert_file(i, &mut out).unwrap();
    }
    (run, out)
}

#[test]
fn write_referenced_only_writes_an_organization_only_a_link_names_and_no_other() {
    let setup = Setup::new();
    let paths = files(setup.path());
    let staging = Staging::new(&setup.opts.out).unwrap();
    let (mut run, mut out) = converted(&setup, &paths, &staging);
    assert!(!run.rows.census.has(Entity::Organization, "Acme"));
    assert!(run.rows.census.has(Entity::Organization, "Globex"));
    run.write_referenced_only(&mut out).unwrap();
    let tally = &run.rows.tally;
    assert_eq!(tally.created_for_links.get(&Entity::Organization), Some(&1));
    assert_eq!(tally.created_examples[&Entity::Organization], ["Acme"]);
    assert!(tally.suspect_created.is_empty());
    assert!(run.rows.census.has(Entity::Organization, "Acme"));
    assert!(run.rows.referenced.is_empty(), "each is written once");
}

#[test]
fn finish_counts_what_was_written_and_the_counts_reconcile() {
    let setup = Setup::new();
    let paths = files(setup.path());
    let staging = Staging::new(&setup.opts.out).unwrap();
    let (mut run, mut out) = converted(&setup, &paths, &staging);
    run.write_referenced_only(&mut out).unwrap();
    let export = run.finish(out).unwrap();
    let s = &export.summary;
    assert!(s.reconciled, "{s:?}");
    let rows = |stem: &str| {
        s.outputs
            .iter()
            .filter(|o| o.file.starts_with(stem))
            .map(|o| o.rows)
            .sum::<u64>()
    };
    assert_eq!(
        rows("01-organizations"),
        2,
        "Globex and Acme: {:?}",
        s.outputs
    );
    assert_eq!(rows("02-persons"), 2);
    assert_eq!(rows("03-deals"), 2);
    assert_eq!(s.links.created_for_links, 1);
    assert_eq!(s.links.by_id, 2, "{:?}", s.links);
    let files: Vec<&str> = s.files.iter().map(|f| f.file.as_str()).collect();
    assert_eq!(files.len(), 3, "{files:?}");
}

/// Every indexed file of the bundled sample, the presets' example exports and the real exports
/// beside the project: what the index keeps of each row is the same whether the row is
/// converted whole or by the index's reduced plan.
#[test]
fn the_index_plan_keeps_what_the_index_holds_of_every_row() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/real_exports");
    let folders = [
        ("zendesk-sell", PathBuf::from("assets/samples/zendesk-sell")),
        ("salesforce", PathBuf::from("tests/data/presets/salesforce")),
        ("hubspot", PathBuf::from("tests/data/presets/hubspot")),
        (
            "dynamics365",
            PathBuf::from("tests/data/presets/dynamics365"),
        ),
        ("capsule", PathBuf::from("tests/data/presets/capsule")),
        ("salesforce", shared.join("salesforce-devorg-earthfink")),
        ("dynamics365", shared.join("dynamics365-contoso-coffee")),
    ];
    let schema = Schema::builtin();
    let (mut files, mut rows) = (0, 0);
    for (name, folder) in folders {
        let profile = preset(name);
        let Ok(entries) = std::fs::read_dir(&folder) else {
            // The real exports sit beside the project; a checkout without them has only the rest.
            assert!(!folder.starts_with("assets") && !folder.starts_with("tests"));
            continue;
        };
        for path in entries.map(|e| e.unwrap().path()) {
            let opts = options(std::env::temp_dir().join("unused"), DriftPolicy::Report);
            let Ok(run) = ExportRun::prepare(
                sources(std::slice::from_ref(&path)),
                &profile,
                &schema,
                &opts,
            ) else {
                continue;
            };
            let plan = &run.plans[0];
            if !is_indexed(plan) {
                continue;
            }
            files += 1;
            let (whole, reduced) = (plan, &index_plan(plan));
            let converter = Converter {
                layouts: &run.layouts,
                maps: &run.maps,
                index: &run.index,
            };
            let mut table = Opened::open(&run.sources[0]).unwrap();
            while let Some(record) = table.next_record().unwrap() {
                rows += 1;
                let a = index_entry(&run.layouts, &converter.convert(whole, &record));
                let b = index_entry(&run.layouts, &converter.convert(reduced, &record));
                assert_eq!(a, b, "{}:{}", path.display(), record.line);
            }
        }
    }
    assert!(files >= 8 && rows >= 100, "{files} files, {rows} rows");
}

/// A source longer than the sample is closed once its plan is compiled and read again from its
/// first row when its turn comes; a short one keeps its rows. Every row is written either way.
#[test]
fn prepare_closes_long_sources_and_their_turn_reads_them_from_the_first_row() {
    let setup = Setup::new();
    let mut long = String::from("id,name,email\n");
    for i in 0..1_500 {
        long.push_str(&format!("{i},Person {i},p{i}@x.example\n"));
    }
    let paths = vec![
        write(setup.path(), "persons.csv", &long),
        write(setup.path(), "organizations.csv", ORGS),
    ];
    let run = setup.prepare(&paths);
    assert!(run.opened[0].parked, "the long file was left open");
    assert!(!run.opened[1].parked, "the short file was read whole");
    assert_eq!(run.opened[1].sample().len(), 1);
    drop(run);
    let staging = Staging::new(&setup.opts.out).unwrap();
    let (mut run, mut out) = converted(&setup, &paths, &staging);
    assert!(!run.opened[0].parked);
    run.write_referenced_only(&mut out).unwrap();
    let export = run.finish(out).unwrap();
    let persons = &export.summary.files[0];
    assert_eq!((persons.rows_in, persons.rows_out), (1_500, 1_500));
    let text = std::fs::read_to_string(staging.path("02-persons.csv")).unwrap();
    let names: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(names.len(), 1_500);
    assert_eq!((names[0], names[1_499]), ("Person 0", "Person 1499"));
}

/// The bundled Sell sample with its preset: the duplicate search reads the contacts file, the
/// first the link index reads, and indexes it on the way; the index it leaves holds every id
/// as a read of the file for the index alone would.
#[test]
fn the_duplicate_search_indexes_its_file_as_a_read_for_the_index_would() {
    let profile = preset("zendesk-sell");
    let schema = Schema::builtin();
    let dir = tempfile::tempdir().unwrap();
    let opts = options(dir.path().join("out"), DriftPolicy::Report);
    let mut files: Vec<PathBuf> = std::fs::read_dir("assets/samples/zendesk-sell")
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let mut run = ExportRun::prepare(sources(&files), &profile, &schema, &opts).unwrap();
    run.find_duplicates().unwrap();
    let (i, early) = run
        .index_read_early
        .take()
        .expect("the contacts file is indexed by the duplicate search");
    assert!(run.duplicates[i].is_some());
    run.index_file(i).unwrap();
    let alone = std::mem::take(&mut run.index);
    assert_eq!(early.len(), alone.len());
    let (entity, id_column) = (run.plans[i].entity, run.plans[i].id_column.unwrap());
    let mut fresh = Opened::open(&run.sources[i]).unwrap();
    let mut ids = 0;
    while let Some(record) = fresh.next_record().unwrap() {
        let id = record.fields.get(id_column).unwrap_or("");
        for to in [entity, Entity::Organization] {
            assert_eq!(early.get(to, id), alone.get(to, id), "{id}");
        }
        ids += usize::from(alone.get(entity, id).is_some());
    }
    assert!(ids > 100, "{ids} ids indexed");
}

/// Every rule of the plans of a deals, persons and organizations file knows the output column
/// its slot fills, as the layout would tell it cell by cell; the tallies note the columns they
/// count and no other.
#[test]
fn prepared_plans_know_their_output_columns() {
    let setup = Setup::new();
    let paths = files(setup.path());
    let run = setup.prepare(&paths);
    let mut located = 0;
    for plan in &run.plans {
        for (split, rules) in [(false, &plan.rules), (true, &plan.split_rules)] {
            for (i, rule) in rules.iter().enumerate() {
                let Rule::Set { target, slot, .. } = rule else {
                    continue;
                };
                let layout = run
                    .layouts
                    .iter()
                    .find(|l| Some(l.entity) == target.entity());
                let looked_up = layout.and_then(|l| l.column(slot));
                assert_eq!(
                    plan.slot_column(split, i),
                    Some(looked_up),
                    "{}:{i}",
                    plan.file
                );
                located += usize::from(looked_up.is_some());
            }
        }
    }
    assert!(located >= 3, "{located} columns located");
    for layout in &run.layouts {
        for &c in run.lookups.noted_columns.get(&layout.entity).unwrap() {
            assert!(
                matches!(&layout.slots[c], Slot::Field { key, .. } if key == "label" || key == "owner_id" || key == "type")
                    || matches!(&layout.slots[c], Slot::Custom { .. }),
                "{:?}",
                layout.slots[c]
            );
        }
    }
}

/// The bundled Sell contacts with their preset's duplicate handling: read again by position
/// (a plain file) or by a second pass (the same bytes gzipped), the duplicates found are the
/// same, down to the absorbed rows the survivors take values from.
#[test]
fn duplicates_are_the_same_whether_candidates_are_read_by_position_or_by_a_second_pass() {
    use std::io::Write;
    let profile = preset("zendesk-sell");
    let schema = Schema::builtin();
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read("assets/samples/zendesk-sell/contacts.csv").unwrap();
    let plain = dir.path().join("contacts.csv");
    std::fs::write(&plain, &bytes).unwrap();
    let zipped = dir.path().join("gz").join("contacts.csv.gz");
    std::fs::create_dir(zipped.parent().unwrap()).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&bytes).unwrap();
    std::fs::write(&zipped, gz.finish().unwrap()).unwrap();
    let opts = options(dir.path().join("out"), DriftPolicy::Report);
    let found = |path: &PathBuf| {
        let mut run = ExportRun::prepare(
            sources(std::slice::from_ref(path)),
            &profile,
            &schema,
            &opts,
        )
        .unwrap();
        run.find_duplicates().unwrap();
        let d = run.duplicates.remove(0).expect("the contacts are searched");
        let mut absorbed: Vec<_> = d.plan.absorbed.into_iter().collect();
        absorbed.sort();
        let mut rows: Vec<(String, String, u64, Vec<String>)> = d
            .absorbed_rows
            .into_iter()
            .flat_map(|(survivor, rows)| {
                rows.into_iter().map(move |(identity, r)| {
                    let fields = r.fields.iter().map(str::to_string).collect();
                    (survivor.clone(), identity, r.line, fields)
                })
            })
            .collect();
        rows.sort();
        (absorbed, d.renames, d.merges, rows)
    };
    let by_position = found(&plain);
    assert!(!by_position.0.is_empty() && !by_position.3.is_empty());
    assert_eq!(by_position, found(&zipped));
}
