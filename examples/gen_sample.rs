//! `gen_sample`: a deterministic generator of a realistic Zendesk Sell (Base CRM) export.
//!
//! `cargo run --release --example gen_sample -- --rows N --out DIR [--seed S]`
//!
//! Writes five CSV files into DIR, shaped like the files of Sell's built-in web-app export:
//! `contacts.csv` (persons *and* companies in one file, told apart by `is_organisation`),
//! `leads.csv`, `deals.csv`, `tasks.csv` and `notes.csv`. N is the number of contact rows
//! (every 5th row is a company); there are N/4 leads and N/2 each of deals, tasks and notes.
//!
//! Column names, their order and the value spellings follow the real, anonymised export in
//! github.com/Lundalogik/move-to-go, `sources/base-crm/data/{contacts,leads,deals,tasks,notes}.csv`,
//! and the way `sources/base-crm/.move-to-go/runner.rb` links them; attribute meanings come from
//! github.com/zendesk/basecrm-ruby `lib/basecrm/models/*.rb`. All values are invented. Two
//! departures: the `custom …#1` columns of contacts.csv are this fictional account's own custom
//! fields (the real file has two of its own there), and leads.csv has a `source` column, put
//! where the export's alphabetical column order puts it, which the 2015 file lacks.
//! docs/samples.md describes every column, the links and the deliberate mess.
//!
//! Every record is a pure function of (seed, file, row index): output is byte-identical for a
//! seed, links are computed arithmetically, and rows stream out (1,000,000+ contacts is fine).
//! This file fills the rows; `gen_sample/` holds the word lists and headers (`vocab`), the seeded
//! randomness and date formats (`random`), spellings and misspellings (`names`), the linked
//! records (`records`) and the CSV writer (`output`).

// `#[path]` because a plain `mod x;` would look for examples/x.rs, which cargo takes for an example.
#[path = "gen_sample/names.rs"]
mod names;
#[path = "gen_sample/output.rs"]
mod output;
#[path = "gen_sample/random.rs"]
mod random;
#[path = "gen_sample/records.rs"]
mod records;
#[path = "gen_sample/vocab.rs"]
mod vocab;

use std::fs;
use std::path::PathBuf;
use std::process::exit;

use names::phone;
use output::{Row, write};
use random::{Fmt, Rng, fmt, fold, or_qe, s};
use records::{Ctx, Target, company, deal_name, lead, person, target};
use vocab::*;

const USAGE: &str = "usage: gen_sample --rows N --out DIR [--seed S]
  N   contact rows, at least 10 (leads N/4; deals, tasks and notes N/2 each)
  S   seed, an unsigned integer (default 1); the same seed gives byte-identical files";

// ---------------------------------------------------------------- rows

fn street(g: &mut Rng) -> String {
    format!("{} {}", g.pick(&STREETS), 1 + g.below(120))
}

/// 0-3 tags, comma-separated, sometimes with a space after the comma.
fn tags(g: &mut Rng) -> String {
    let n = g.pick(&[0usize, 0, 0, 1, 1, 2, 3]);
    let start = g.below(TAGS.len() as u64) as usize;
    let sep = if g.pct(25) { ", " } else { "," };
    let list: Vec<&str> = (0..n).map(|i| TAGS[(start + i) % TAGS.len()]).collect();
    or_qe(list.join(sep), g)
}

fn contact_row(c: &Ctx, r: u64, row: &mut Row) {
    let g = &mut Rng::new(c.seed, 7, r);
    let created = g.time();
    let zone = if g.pct(12) {
        Fmt::Off(g.pick(&[60, 120, -300, 330]))
    } else {
        Fmt::Z
    };
    row.set("created_at", fmt(created, zone));
    row.set("updated_at", fmt(g.later(created, 400), Fmt::Z));
    let (active, precise) = (g.later(created, 300), g.pct(50));
    let active = g.maybe(60, |_| {
        fmt(active, if precise { Fmt::Z } else { Fmt::Date })
    });
    row.set("last_activity_date", active);
    row.set("tags", tags(g));
    row.set("description", g.maybe(20, |g| g.word(&DESCRIPTIONS)));
    row.set(
        "customer_status",
        g.word(&["current", "past", "none", "", ""]),
    );
    row.set(
        "prospect_status",
        g.word(&["current", "lost", "none", "", ""]),
    );
    row.set("custom Segment#1", g.maybe(60, |g| g.word(&SEGMENTS)));
    row.set("address", g.maybe(50, street));
    row.set("fax", g.maybe(4, |g| phone(g, 0, false)));
    row.set("private", if g.pct(3) { "true" } else { "false" });
    row.set("id", (CONTACT0 + r).to_string());
    let (owner, city) = if r.is_multiple_of(5) {
        company_cells(c, r / 5, g, row)
    } else {
        person_cells(c, r, g, row)
    };
    row.set("owner", owner);
    row.set("creator", if g.pct(80) { owner } else { g.pick(&USERS) });
    if g.pct(70) {
        let (town, country, alt, region, zip, _, _) = CITIES[city];
        row.set("country", if g.pct(8) { alt } else { country });
        row.set("city", town);
        row.set("region", region);
        row.set("zip", zip);
    }
}

/// The cells only a company fills; returns its owner and city.
fn company_cells(c: &Ctx, k: u64, g: &mut Rng, row: &mut Row) -> (&'static str, usize) {
    let co = company(c, k);
    row.set("is_organisation", "true");
    let email = g.maybe(40, |_| format!("info@{}", co.domain));
    row.set("email", or_qe(email, g));
    let tel = g.maybe(70, |g| phone(g, co.city, false));
    row.set("phone", or_qe(tel, g));
    row.set(
        "custom Customer since#1",
        g.maybe(50, |g| fmt(g.time(), Fmt::Us)),
    );
    row.set("industry", g.maybe(70, |g| g.word(&INDUSTRIES)));
    let scheme = g.pick(&["www.", "https://www.", "http://"]);
    row.set("website", g.maybe(60, |_| format!("{scheme}{}", co.domain)));
    row.set("name", co.name);
    (co.owner, co.city)
}

/// The cells only a person fills; returns their owner and city.
fn person_cells(c: &Ctx, r: u64, g: &mut Rng, row: &mut Row) -> (&'static str, usize) {
    let p = person(c, r);
    let name = format!("{} {}", p.first, p.last);
    let handle = fold(&name, Some('-'));
    if !handle.is_empty() && g.pct(10) {
        row.set("linkedin", format!("in/{handle}-{}", g.below(900) + 100));
        row.set("linkedin_display", name.as_str());
    }
    if !handle.is_empty() && g.pct(3) {
        row.set(
            "twitter",
            format!("@{}{}", handle.replace('-', "_"), g.below(100)),
        );
    }
    row.set(
        "skype",
        g.maybe(3, |g| format!("live:{}", g.below(1 << 30))),
    );
    row.set("title", g.maybe(60, |g| g.word(&TITLES)));
    row.set("is_organisation", "false");
    row.set("first_name", p.first);
    row.set("last_name", p.last);
    row.set("name", name);
    row.set("organisation_name", p.org.map_or(String::new(), |o| o.name));
    row.set("email", or_qe(p.email, g));
    row.set("mobile", p.mobile);
    row.set("phone", or_qe(p.phone, g));
    (p.owner, p.city)
}

fn lead_row(c: &Ctx, m: u64, row: &mut Row) {
    let l = lead(c, m);
    let (g, id) = (&mut Rng::new(c.seed, 8, m), (LEAD0 + m).to_string());
    row.set("first_name", l.first);
    row.set("last_name", l.last);
    row.set("id", id);
    row.set("company_name", l.company);
    row.set("email", l.email);
    let city = g.below(CITIES.len() as u64) as usize;
    if g.pct(65) {
        let (town, country, _, region, zip, _, _) = CITIES[city];
        row.set("city", town);
        row.set("country", country);
        row.set("region", region);
        row.set("zip", zip);
    }
    let (owner, created) = (g.pick(&USERS), g.time());
    row.set("owner", owner);
    row.set("creator", if g.pct(85) { owner } else { g.pick(&USERS) });
    row.set("created_at", fmt(created, Fmt::Z));
    row.set("updated_at", fmt(g.later(created, 200), Fmt::Z));
    row.set("description", g.maybe(25, |g| g.word(&DESCRIPTIONS)));
    row.set("fax", g.maybe(3, |g| phone(g, city, false)));
    row.set("industry", g.maybe(50, |g| g.word(&INDUSTRIES)));
    row.set("mobile", g.maybe(55, |g| phone(g, city, true)));
    row.set("phone", g.maybe(35, |g| phone(g, city, false)));
    row.set("source", g.maybe(80, |g| g.word(&SOURCES)));
    row.set("status", g.weighted(&LEAD_STATUS));
    row.set("street", g.maybe(40, street));
    row.set("tags", tags(g));
    row.set("title", g.maybe(50, |g| g.word(&TITLES)));
}

fn deal_row(c: &Ctx, j: u64, row: &mut Row) {
    let g = &mut Rng::new(c.seed, 9, j);
    let r = g.below(c.n);
    let (org, owner) = if r.is_multiple_of(5) {
        let co = company(c, r / 5);
        let owner = co.owner;
        (Some(co), owner)
    } else {
        let p = person(c, r);
        row.set("main_contact_id", p.id.to_string());
        row.set("main_contact", format!("{} {}", p.first, p.last));
        (p.org, p.owner)
    };
    if let Some(co) = org {
        row.set("company_id", co.id.to_string());
        row.set("company", co.name);
    }
    row.set("id", (DEAL0 + j).to_string());
    row.set("name", deal_name(c, j));
    let (stage, stage_id) = g.weighted(&STAGES);
    row.set("pipeline_name", "Sales Pipeline");
    row.set("pipeline_id", "71820");
    row.set("stage_name", stage);
    row.set("stage_id", stage_id.to_string());
    let value = (1 + g.below(500)) * 50 * if g.pct(20) { 10 } else { 1 };
    let value = if g.pct(3) { 0 } else { value };
    let cents = g.maybe(4, |g| format!(".{:02}", g.below(100)));
    row.set("scope", format!("{value}{cents}"));
    row.set("currency", g.weighted(&CURRENCIES));
    row.set("owner", owner);
    row.set("creator", if g.pct(80) { owner } else { g.pick(&USERS) });
    row.set("tags", tags(g));
    row.set("hot", if g.pct(30) { "true" } else { "false" });
    let created = g.time();
    let added = created - 60 - g.below(120) as i64;
    let updated = g.later(created, 300);
    let stage_change = created + g.below((updated - created + 1) as u64) as i64;
    row.set("added_at", fmt(added - added % 60, Fmt::Ruby));
    row.set("added_on", fmt(added, Fmt::Date));
    row.set("created_at", fmt(created, Fmt::Z));
    row.set("last_activity_date", g.maybe(70, |_| fmt(updated, Fmt::Z)));
    row.set("last_stage_change_at", fmt(stage_change, Fmt::Z));
    row.set("updated_at", fmt(updated, Fmt::Z));
    let lost = stage == "Lost";
    row.set("loss_reason", if lost { g.word(&LOSS) } else { s(QE) });
    let source = g.maybe(70, |g| g.word(&SOURCES));
    row.set("source", or_qe(source, g));
}

/// The `taskable_*` / `noteable_*` cells that say what a task or note is attached to.
fn link_cells(row: &mut Row, prefix: &str, t: Target) {
    let company = if t.company.is_empty() {
        s(QE)
    } else {
        t.company
    };
    row.set(&format!("{prefix}_type"), t.ty);
    row.set(&format!("{prefix}_id"), t.id.to_string());
    row.set(&format!("{prefix}_name"), t.name);
    row.set(&format!("{prefix}_company_name"), company);
    row.set(&format!("{prefix}_first_name"), t.first);
    row.set(&format!("{prefix}_last_name"), t.last);
}

fn task_row(c: &Ctx, i: u64, row: &mut Row) {
    let g = &mut Rng::new(c.seed, 5, i);
    link_cells(row, "taskable", target(c, g, i % 97 == 50));
    row.set("id", (TASK0 + i).to_string());
    row.set("content", g.word(&TASK_TEXT));
    row.set("owner", g.pick(&USERS));
    let created = g.time();
    let due = (created / 900 + 96 * (1 + g.below(30)) as i64) * 900; // on a quarter hour
    let remind = g.pct(60);
    if remind || g.pct(50) {
        row.set("send_time", fmt(due, Fmt::Z)); // a due time
    } else {
        row.set("date", fmt(due, Fmt::Us)); // a due day
    }
    let done = (due < T_EXPORT && g.pct(55)).then(|| due + g.below(3 * DAY as u64) as i64);
    let updated = done.unwrap_or_else(|| g.later(created, 5));
    row.set("done_at", done.map_or(String::new(), |t| fmt(t, Fmt::Z)));
    row.set("remind", if remind { "true" } else { "false" });
    row.set("created_at", fmt(created, Fmt::Z));
    row.set("updated_at", fmt(updated, Fmt::Z));
}

fn note_row(c: &Ctx, i: u64, row: &mut Row) {
    let g = &mut Rng::new(c.seed, 6, i);
    link_cells(row, "noteable", target(c, g, i % 89 == 30));
    row.set("id", (NOTE0 + i).to_string());
    row.set("content", g.word(&NOTE_TEXT));
    row.set("owner", g.pick(&USERS));
    let created = g.time();
    let updated = if g.pct(10) {
        g.later(created, 30)
    } else {
        created
    };
    row.set("created_at", fmt(created, Fmt::Z));
    row.set("updated_at", fmt(updated, Fmt::Z));
}

// ---------------------------------------------------------------- output and arguments

fn parse(args: &[String]) -> Result<(u64, PathBuf, u64), String> {
    let (mut rows, mut out, mut seed) = (None, None, 1);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--rows" => {
                rows = Some(
                    value()?
                        .parse::<u64>()
                        .map_err(|e| format!("--rows: {e}"))?,
                )
            }
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seed" => {
                seed = value()?
                    .parse::<u64>()
                    .map_err(|e| format!("--seed: {e}"))?
            }
            _ => return Err(format!("unknown argument {flag:?}")),
        }
    }
    match (rows, out) {
        (Some(n), Some(out)) if n >= 10 => Ok((n, out, seed)),
        (Some(_), Some(_)) => Err(s("--rows must be at least 10")),
        _ => Err(s("--rows and --out are required")),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return;
    }
    let (n, dir, seed) = parse(&args).unwrap_or_else(|msg| {
        eprintln!("gen_sample: {msg}\n{USAGE}");
        exit(2)
    });
    let c = Ctx { seed, n };
    type Fill = fn(&Ctx, u64, &mut Row);
    let files: [(&str, &str, u64, Fill); 5] = [
        ("contacts.csv", CONTACTS_HEADER, c.n, contact_row),
        ("leads.csv", LEADS_HEADER, c.leads(), lead_row),
        ("deals.csv", DEALS_HEADER, c.half(), deal_row),
        ("tasks.csv", TASKS_HEADER, c.half(), task_row),
        ("notes.csv", NOTES_HEADER, c.half(), note_row),
    ];
    let result = fs::create_dir_all(&dir).and_then(|()| {
        files.iter().try_for_each(|&(file, header, rows, fill)| {
            write(&dir, file, header, rows, |i, row| fill(&c, i, row))
        })
    });
    if let Err(e) = result {
        eprintln!("gen_sample: {}: {e}", dir.display());
        exit(1);
    }
}
