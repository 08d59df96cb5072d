//! Command-line definitions (clap derive). No logic lives here.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

const EXAMPLES: &str = "\
Examples:
  pipemap demo                                   open the mapping UI on the bundled Zendesk Sell sample
  pipemap inspect contacts.csv                   encoding, delimiter, columns and what they hold
  pipemap suggest contacts.csv --entity auto     proposed Pipedrive field for every column
  pipemap map ./sell-export/                     map a whole export folder in the terminal UI
  pipemap apply ./sell-export/*.csv --profile zendesk-sell --out ./to-import
  pipemap plan ./to-import                       the numbered import steps for that output
  pipemap dedupe contacts.csv --entity person    clusters of likely duplicates with their reasons
  pipemap relink ./to-import --pipedrive-export organizations.csv persons.csv
  pipemap schema show --schema personFields.json the fields pipemap maps onto
  pipemap account pull                           read your Pipedrive account (token in PIPEDRIVE_API_TOKEN)
  pipemap account prepare ./to-import --apply    create the fields, stages, types and labels the export needs";

/// Move CRM exports (Zendesk Sell, Salesforce, HubSpot, …) into Pipedrive's spreadsheet import.
#[derive(Debug, Parser)]
#[command(name = "pipemap", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the mapping UI on the bundled Zendesk Sell sample export.
    Demo {
        /// Where the export goes (default: ./pipemap-demo-out).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Map files or a folder in the terminal UI, from columns to finished export.
    Map {
        /// Source files or folders.
        paths: Vec<PathBuf>,
        #[arg(long = "schema", value_name = "FILE")]
        schemas: Vec<PathBuf>,
        /// Start from this profile (preset name, saved name or path).
        #[arg(long)]
        profile: Option<String>,
        /// Where the export goes (default: ./pipemap-out).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Show a file's encoding, delimiter, headers, column kinds and statistics.
    Inspect {
        /// A CSV/TSV file (optionally .gz), a workbook (.xlsx, .xls, .ods; `book.xlsx#Sheet` for one sheet), a ZIP archive (`export.zip/Contact.csv` for one member) or a folder.
        file: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Read the whole file for an exact row count (otherwise estimated for large files).
        #[arg(long)]
        count: bool,
        /// Rows to sample for the column statistics.
        #[arg(long, default_value_t = 1000)]
        sample: usize,
    },
    /// Print the suggested Pipedrive field for every column of a file.
    Suggest {
        file: PathBuf,
        /// The entity the file's rows become, or `auto` to detect it from the headers.
        #[arg(long, default_value = "auto")]
        entity: String,
        /// Pipedrive field JSON or account reference files (repeatable).
        #[arg(long = "schema", value_name = "FILE")]
        schemas: Vec<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Export source files through a profile into linked, import-ready CSVs (no UI).
    Apply {
        /// Source files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// A profile: a preset name (zendesk-sell, salesforce, …), a saved profile's name, or a
        /// path. Without it (or with `auto`): a saved profile or preset that recognises every
        /// file, else pipemap's own suggestions; OUT/mapping.yaml holds what was used.
        #[arg(long)]
        profile: Option<String>,
        /// With no profile: the entity every file's rows become (otherwise told from each file).
        #[arg(long, value_name = "ENTITY")]
        entity: Option<pipemap::Entity>,
        #[arg(long = "schema", value_name = "FILE")]
        schemas: Vec<PathBuf>,
        /// The output folder (created; must be empty or hold an earlier pipemap export).
        #[arg(long)]
        out: PathBuf,
        /// Also write sample/ with the first N linked records per entity, for a trial import.
        #[arg(long, value_name = "N")]
        sample: Option<usize>,
        /// Run even when the files have drifted from the profile (new, missing, renamed columns).
        #[arg(long)]
        allow_drift: bool,
        /// Prefix cells that start with = + - @ so spreadsheet programs do not run them.
        #[arg(long)]
        escape_formulas: bool,
        /// `combined`: each deal row also carries its first activity and note and its
        /// contacts' e-mail, phone and address, which the import links exactly (overrides the
        /// profile's `options.layout`).
        #[arg(long, value_enum, value_name = "LAYOUT")]
        layout: Option<pipemap::profile::OutputLayout>,
        /// Threads converting rows (default: one per core); the output is the same whatever
        /// the number.
        #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
        threads: Option<u16>,
        /// No progress bar or summary on stderr.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Find duplicate records in a file and print the clusters with their reasons (no UI).
    Dedupe {
        file: PathBuf,
        /// The entity the file's rows become (person, organization, lead, deal).
        #[arg(long)]
        entity: String,
        /// Map the file's columns with this profile (otherwise the suggested mapping is used).
        #[arg(long)]
        profile: Option<String>,
        #[arg(long = "schema", value_name = "FILE")]
        schemas: Vec<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show the Pipedrive fields pipemap maps onto.
    Schema {
        #[command(subcommand)]
        command: SchemaCommand,
    },
    /// Saved mapping profiles and built-in presets.
    Profile {
        #[command(subcommand)]
        command: ProfileCommand,
    },
    /// Create the export's activities and notes on exactly the records they belong to.
    ///
    /// After the import wizard created the organizations, persons, deals and leads, link reads
    /// their ids back from the account (by the source-id field each record carries) and, with
    /// --apply, creates each activity and note through the API with exact links. What cannot
    /// be linked exactly is left for the wizard in OUT/linked/. Without --apply: a dry run that
    /// says what it would create and what it costs of the daily API budget.
    Link {
        /// The folder `apply` wrote.
        out: PathBuf,
        /// Create the activities and notes (otherwise a dry run).
        #[arg(long)]
        apply: bool,
        #[command(flatten)]
        connection: Connection,
    },
    /// Add Pipedrive System IDs to the links of the files still to import.
    ///
    /// After importing organizations and persons (and deals), export them from Pipedrive with
    /// their ID and source-id columns; relink writes OUT/relinked/ with every link carrying the
    /// linked item's ID, which the import matches exactly.
    Relink {
        /// The folder `apply` wrote.
        out: PathBuf,
        /// Pipedrive's export (CSV) of imported items, with their ID and source-id column.
        #[arg(long = "pipedrive-export", value_name = "FILE", required = true, num_args = 1..)]
        exports: Vec<PathBuf>,
    },
    /// Print the numbered import steps for an export folder.
    Plan {
        /// The folder `apply` wrote.
        out: PathBuf,
    },
    /// Read the Pipedrive account over its API; create what an export lacks; undo that.
    ///
    /// The API token comes from PIPEDRIVE_API_TOKEN or --token-file and is sent only in a
    /// header to the account's own host over HTTPS.
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
}

/// `pipemap account …`
#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Read the account's fields, pipelines, users, activity types, labels and currencies
    /// into the snapshot every command uses when no --schema is given.
    Pull {
        #[command(flatten)]
        connection: Connection,
    },
    /// Create in the account what an export's plan lacks (dry run unless --apply).
    Prepare {
        /// The folder `apply` wrote.
        out: PathBuf,
        /// Create the objects (otherwise only print what would be created).
        #[arg(long)]
        apply: bool,
        #[command(flatten)]
        connection: Connection,
    },
    /// Remove what `prepare --apply` created for this export folder, and nothing else.
    Undo {
        /// The folder `prepare` wrote its manifest into.
        out: PathBuf,
        #[command(flatten)]
        connection: Connection,
    },
}

/// How to reach the Pipedrive account.
#[derive(Debug, clap::Args)]
pub struct Connection {
    /// A file holding the API token (otherwise PIPEDRIVE_API_TOKEN).
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// The company's Pipedrive name, as in NAME.pipedrive.com (otherwise asked of the API).
    #[arg(long, value_name = "NAME")]
    pub domain: Option<String>,
    /// The company's root to send requests to instead of https://NAME.pipedrive.com (HTTPS, or HTTP to this machine only); pipemap adds /api/v1 or /api/v2 itself.
    #[arg(long, value_name = "URL", env = "PIPEMAP_API_URL")]
    pub api_url: Option<String>,
    /// Seconds one request may take: above 0, at most 86400 (a day).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    pub timeout: f64,
    /// How often a failed read is tried again.
    #[arg(long, value_name = "N", default_value_t = 3)]
    pub retries: u32,
}

/// `pipemap schema …`
#[derive(Debug, Subcommand)]
pub enum SchemaCommand {
    /// The fields of every entity (built-in, plus any --schema files).
    Show {
        #[arg(long = "schema", value_name = "FILE")]
        schemas: Vec<PathBuf>,
        #[arg(long)]
        json: bool,
    },
}

/// `pipemap profile …`
#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Built-in presets and saved profiles.
    List,
    /// Print a profile's YAML.
    Show { name: String },
    /// The folder saved profiles live in.
    Path,
}
