//! `pipemap apply PATH… [--profile F|auto] [--entity E] [--schema F]… --out DIR [--sample N]`

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use pipemap::export::{self, ExportRequest};
use pipemap::profile::{self, Profile, library};
use pipemap::schema::Schema;
use pipemap::source::{self, SourceRef};
use pipemap::transform::engine::DriftPolicy;

use super::out::errln;

/// Arguments of `apply`, as parsed.
pub struct Args {
    pub paths: Vec<PathBuf>,
    pub profile: Option<String>,
    pub entity: Option<pipemap::Entity>,
    pub schemas: Vec<PathBuf>,
    pub out: PathBuf,
    pub sample: Option<usize>,
    pub escape_formulas: bool,
    pub layout: Option<profile::OutputLayout>,
    pub allow_drift: bool,
    pub quiet: bool,
}

/// Loads a profile by path, saved name or preset name, and checks it against the schema.
pub fn load_profile(spec: &str, schema: &Schema) -> anyhow::Result<Profile> {
    Ok(load_profile_with_origin(spec, schema)?.0)
}

/// The same, also saying whether it is a built-in preset (written for any account, so drift
/// from it is expected and only reported).
pub fn load_profile_with_origin(spec: &str, schema: &Schema) -> anyhow::Result<(Profile, bool)> {
    let (name, text) = library::resolve_text(spec)?;
    let profile = profile::from_yaml(&name, &text)?;
    profile::validate(&name, &text, &profile, schema)?;
    Ok((profile, name.starts_with("preset ")))
}

/// What a run without a profile exports, and how.
struct Auto {
    profile: Profile,
    /// The record files (files that are not records left out).
    sources: Vec<SourceRef>,
    /// Why files were left out.
    notes: Vec<String>,
    /// The users files among those left out (they become the owner value map).
    users: Vec<SourceRef>,
    /// The tag lists and join tables among those left out (they become records' labels).
    tags: Vec<SourceRef>,
}

/// The saved profiles and presets that load and validate against the schema, by name.
pub fn known_profiles(schema: &Schema) -> Vec<(String, Profile)> {
    library::list()
        .into_iter()
        .filter_map(|e| {
            let (p, _) = load_profile_with_origin(&e.name, schema).ok()?;
            Some((e.name, p))
        })
        .collect()
}

/// The profile for a run without one: files that are not records (a CRM's users, histories,
/// territories …) are left out unless `--entity` says what they are; then a saved profile or
/// preset that recognises every file (by its headers), else pipemap's own suggestions; said on
/// stderr either way. The decision is the library's, shared with the mapping UI.
fn auto_profile(
    sources: Vec<SourceRef>,
    schema: &Schema,
    entity: Option<pipemap::Entity>,
) -> anyhow::Result<Auto> {
    use pipemap::suggest::auto_profile;
    use pipemap::suggest::decide::{self, Start};
    use pipemap::suggest::file_kind::NotRecords;
    let sorted = decide::sort_files(sources, entity)?;
    let mut notes = Vec::new();
    let mut users = Vec::new();
    let mut tags = Vec::new();
    for left in sorted.left_out {
        notes.push(left_out_note(&left.source.name, left.kind));
        if left.users {
            users.push(left.source);
        } else if (NotRecords { kind: left.kind }).is_tags_or_links() {
            tags.push(left.source);
        }
    }
    if sorted.kept.is_empty() {
        anyhow::bail!(
            "no file to export: none of the files holds records (see the lines above); give --entity to export them anyway"
        );
    }
    let known = if entity.is_none() {
        known_profiles(schema)
    } else {
        Vec::new()
    };
    let sources: Vec<SourceRef> = sorted.kept.iter().map(|(s, _)| s.clone()).collect();
    let profile = match decide::start(&sorted.kept, &known, schema, entity)? {
        Start::Recognised { name, profile } => {
            errln!("pipemap: using the profile \"{name}\", which recognises every file");
            profile
        }
        Start::Suggested { profile, files } => {
            let names: Vec<String> = sources.iter().map(|s| s.name.clone()).collect();
            errln!(
                "pipemap: no saved profile or preset recognises these files; using pipemap's own suggestions ({}); review OUT/mapping.yaml and pass it to --profile to change them",
                auto_profile::describe(&names, &files).join(", ")
            );
            profile
        }
    };
    Ok(Auto {
        profile,
        sources,
        notes,
        users,
        tags,
    })
}

/// The line that says why a file is left out.
fn left_out_note(name: &str, kind: &str) -> String {
    format!(
        "{name}: left out: it looks like {kind}, not records to import; to import it anyway, run it alone with --entity (person, organization, deal, lead, activity, note, product)"
    )
}

/// With a profile: files it does not recognise that are not records at all (a CRM's users,
/// territories, histories …) are left out with a note instead of stopping the export; a record
/// file it does not recognise still stops it, named, before anything is written.
fn leave_out_unmatched_non_records(
    sources: Vec<SourceRef>,
    profile: &Profile,
) -> anyhow::Result<Auto> {
    use pipemap::source::Table;
    use pipemap::suggest::file_kind::not_records;
    let mut kept = Vec::with_capacity(sources.len());
    let mut notes = Vec::new();
    let mut users = Vec::new();
    let mut tags = Vec::new();
    for source in sources {
        let headers = Table::open_ref(&source)?.headers;
        match not_records(&source.name, &headers) {
            // A partial match (by the share of columns it explains) is not enough for a file
            // that looks like no records: a campaign list shares Name, Status and Owner with
            // leads.
            Some(what) if !matched_by_markers(profile, &headers) => {
                notes.push(left_out_note(&source.name, what.kind));
                if what.is_users() {
                    users.push(source);
                } else if what.is_tags_or_links() {
                    tags.push(source);
                }
            }
            _ => kept.push(source),
        }
    }
    if kept.is_empty() {
        anyhow::bail!(
            "no file to export: none of the files holds records the profile recognises ({})",
            notes.join("; ")
        );
    }
    Ok(Auto {
        profile: profile.clone(),
        sources: kept,
        notes,
        users,
        tags,
    })
}

/// True when one of the profile's files has every one of its marker headers in `headers`.
fn matched_by_markers(profile: &Profile, headers: &[String]) -> bool {
    profile.files.iter().any(|file| {
        let need = &file.matcher.headers_include;
        !need.is_empty()
            && need.iter().all(|n| {
                headers
                    .iter()
                    .any(|h| h.trim().eq_ignore_ascii_case(n.trim()))
            })
    })
}

/// The tables that files, folders, workbooks and archives hold, in order; what was passed
/// over (hidden or empty sheets, archive members that are not tables) is noted on stderr.
pub fn expand_tables(paths: &[PathBuf]) -> anyhow::Result<Vec<SourceRef>> {
    let expansion = source::expand(paths)?;
    for note in &expansion.notes {
        errln!("pipemap: note: {note}");
    }
    Ok(expansion.sources)
}

/// The same tables by their source names (`book.xlsx#Contacts`, `export.zip/Contact.csv`),
/// for the mapping UI, which opens each by its name.
pub fn expand_sources(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    Ok(expand_tables(paths)?
        .into_iter()
        .map(|s| PathBuf::from(s.name))
        .collect())
}

/// Says that the earlier export in `out` was replaced whole, naming the files of it that the
/// new export did not write over and so removed.
fn replaced_note(out: &Path, removed: &[String]) -> String {
    let head = format!(
        "pipemap: note: {} held an earlier export; this export replaced it whole",
        out.display()
    );
    match removed {
        [] => head,
        [one] => format!("{head} (removed its {one}, which this export does not write)"),
        many => {
            const SHOWN: usize = 8;
            let mut names = many[..many.len().min(SHOWN)].join(", ");
            if many.len() > SHOWN {
                names.push_str(&format!(" and {} more", many.len() - SHOWN));
            }
            format!(
                "{head} (removed {} of its files this export does not write: {names})",
                many.len()
            )
        }
    }
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let schema = Schema::load_default(&args.schemas)?;
    // What the folders hold that is not read (subfolders, nested archives) goes to report.md
    // with the export's other notes on the files, and to stderr with them.
    let expansion = pipemap::source::expand(&args.paths)?;
    let mut sources = expansion.sources;
    let notes: Vec<String>;
    let users;
    let tags;
    let (mut profile, is_preset) = match args.profile.as_deref() {
        Some(spec) if spec != "auto" => {
            if args.entity.is_some() {
                anyhow::bail!(
                    "--entity is for a run without a profile; the profile says each file's entity"
                );
            }
            let (profile, is_preset) = load_profile_with_origin(spec, &schema)?;
            let kept = leave_out_unmatched_non_records(sources, &profile)?;
            sources = kept.sources;
            notes = kept.notes;
            users = kept.users;
            tags = kept.tags;
            (profile, is_preset)
        }
        _ => {
            let auto = auto_profile(sources, &schema, args.entity)?;
            sources = auto.sources;
            notes = auto.notes;
            users = auto.users;
            tags = auto.tags;
            (auto.profile, true)
        }
    };
    if let Some(layout) = args.layout {
        profile.options.layout = layout;
    }
    let show = !args.quiet && std::io::stderr().is_terminal();
    let bar = show.then(|| {
        let bar = indicatif::ProgressBar::new(0);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} exporting [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta})",
            )
            .expect("a valid template")
            .progress_chars("=> "),
        );
        bar
    });
    let progress = |done: u64, total: u64| {
        if let Some(bar) = &bar {
            bar.set_length(total);
            bar.set_position(done);
        }
    };
    let request = ExportRequest {
        sources,
        users,
        tags,
        profile,
        schema: &schema,
        out: args.out.clone(),
        sample: args.sample,
        escape_formulas: args.escape_formulas,
        drift: if is_preset || args.allow_drift {
            DriftPolicy::Report
        } else {
            DriftPolicy::Refuse
        },
        notes: expansion.notes.into_iter().chain(notes).collect(),
    };
    let export = export::run(request, Some(&progress))?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let s = &export.summary;
    if !args.quiet {
        for note in &export.source_notes {
            errln!("pipemap: note: {note}");
        }
        if let Some(removed) = &export.earlier_export {
            errln!("{}", replaced_note(&args.out, removed));
        }
        for o in &s.outputs {
            errln!("  {:<28} {:>9} rows", o.file, o.rows);
        }
        let rows_in: u64 = s.files.iter().map(|f| f.rows_in).sum();
        errln!(
            "pipemap: {} input rows → {} written, {} merged, {} rejected{}; links: {} by id, {} by name, {} unresolved, {} ambiguous, {} records created for links{}. See {}/report.md",
            rows_in,
            s.files.iter().map(|f| f.rows_out).sum::<u64>(),
            s.merged,
            s.rejected,
            if s.rejected > 0 { " (rejects.csv)" } else { "" },
            s.links.by_id,
            s.links.by_name,
            s.unresolved_links,
            s.ambiguous_links,
            s.links.created_for_links,
            if s.links.suspect_created > 0 {
                format!(
                    " (of them like existing records: {}, see warnings.csv)",
                    s.links.suspect_created
                )
            } else {
                String::new()
            },
            args.out.display()
        );
    }
    Ok(if s.rejected > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}
