//! The UI's whole state: the work ([`Project`]), which screen is shown, each screen's cursor,
//! the open overlay, the status line. Changed only by [`super::app::update`].

use std::path::PathBuf;
use std::sync::Arc;

use crate::profile::Profile;
use crate::schema::Schema;
use crate::suggest::vocabulary::Vocabularies;

use super::failure::Failure;
use super::project::{History, Mapping, SourceFile};
use super::recovery::RecoveryDoc;
pub use super::status::{Level, Status};
use super::widgets::input::TextInput;
use super::widgets::picker::Picker;

/// The screens, in tab order. A new screen (duplicates review) is one more variant here, one
/// more file under `screens/`, and one more keymap table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Files,
    Mapping,
    Values,
    Duplicates,
    Export,
}

impl Screen {
    /// Every screen in tab order.
    pub const ALL: [Screen; 5] = [
        Screen::Files,
        Screen::Mapping,
        Screen::Values,
        Screen::Duplicates,
        Screen::Export,
    ];

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            Screen::Files => "Files",
            Screen::Mapping => "Mapping",
            Screen::Values => "Values",
            Screen::Duplicates => "Duplicates",
            Screen::Export => "Review & Export",
        }
    }

    /// Its place in the tab order.
    pub fn index(self) -> usize {
        Screen::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }
}

/// What never changes during a session: the schema, the suggester's vocabularies, the profile
/// the session started from, and how to draw.
#[derive(Debug, Clone)]
pub struct Context {
    pub schema: Arc<Schema>,
    pub vocabularies: Arc<Vocabularies>,
    /// The profile the session started from (a preset, a saved profile, or an empty one).
    pub base: Arc<Profile>,
    /// True when the base is a bundled preset (saving then writes a copy under another name).
    pub base_is_preset: bool,
    /// NO_COLOR: draw without colours (symbols still tell tiers apart).
    pub no_color: bool,
    /// Names the recovery file of this session's sources.
    pub recovery_key: String,
    /// Files left out and suggestions decided before the session opened.
    pub start: Arc<super::project::StartingPoint>,
}

/// The work: files, the mapping being edited, undo history, what was saved.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub files: Vec<SourceFile>,
    pub mapping: Mapping,
    pub history: History,
    /// The mapping as last saved (or loaded): a difference is "unsaved".
    pub saved: Mapping,
    /// The mapping as last written to the recovery file.
    pub autosaved: Mapping,
    /// The tick of the last edit, to autosave once the user pauses.
    pub edited_at: u64,
    /// The mapping being saved, until the worker says it is.
    pub pending_save: Option<Mapping>,
}

impl Project {
    /// True when the mapping differs from the one last saved.
    pub fn unsaved(&self) -> bool {
        self.mapping != self.saved
    }

    /// Every copy of the mapping (current, saved, autosaved, being saved, undo history), for
    /// changes that are not edits: a file read or added.
    pub fn all_mappings_mut(&mut self) -> impl Iterator<Item = &mut Mapping> {
        [&mut self.mapping, &mut self.saved, &mut self.autosaved]
            .into_iter()
            .chain(self.pending_save.as_mut())
            .chain(self.history.snapshots_mut())
    }
}

/// A selection in a list, and the first row shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ListCursor {
    pub selected: usize,
    pub offset: usize,
}

impl ListCursor {
    /// Moves by `delta` rows within `len`, keeping the selection inside `height` visible rows.
    pub fn step(&mut self, delta: isize, len: usize, height: usize) {
        let last = len.saturating_sub(1) as isize;
        let target = (self.selected as isize + delta).clamp(0, last.max(0));
        self.select(target as usize, len, height);
    }

    /// Selects a row, scrolling as little as needed.
    pub fn select(&mut self, row: usize, len: usize, height: usize) {
        self.selected = row.min(len.saturating_sub(1));
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        self.offset = self.offset.min(len.saturating_sub(height));
    }
}

/// Which columns the Mapping screen lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColumnFilter {
    #[default]
    All,
    Unmapped,
    NeedsReview,
}

impl ColumnFilter {
    /// The next filter in the `f` cycle.
    pub fn next(self) -> ColumnFilter {
        match self {
            ColumnFilter::All => ColumnFilter::Unmapped,
            ColumnFilter::Unmapped => ColumnFilter::NeedsReview,
            ColumnFilter::NeedsReview => ColumnFilter::All,
        }
    }

    /// How the screen names it.
    pub fn label(self) -> &'static str {
        match self {
            ColumnFilter::All => "all",
            ColumnFilter::Unmapped => "unmapped",
            ColumnFilter::NeedsReview => "needs review",
        }
    }
}

/// The Mapping screen's state.
#[derive(Debug, Clone, Default)]
pub struct MappingView {
    /// The file shown.
    pub file: usize,
    pub cursor: ListCursor,
    pub filter: ColumnFilter,
    /// The column search (`/`), applied as typed.
    pub search: String,
}

/// The Values screen's state.
#[derive(Debug, Clone, Default)]
pub struct ValuesView {
    /// The target shown.
    pub target: usize,
    pub cursor: ListCursor,
}

/// Where the export stands.
#[derive(Debug, Clone, Default)]
pub enum ExportState {
    #[default]
    Idle,
    /// Running: bytes done of bytes in all sources.
    Running {
        done: u64,
        total: u64,
    },
    Done(ExportSummary),
    Failed(Failure),
}

/// What the finished export reports, for the summary panel.
#[derive(Debug, Clone)]
pub struct ExportSummary {
    pub out: PathBuf,
    pub files: Vec<crate::transform::tally::FileCounts>,
    pub outputs: Vec<crate::transform::tally::OutputFile>,
    pub rejected: u64,
    pub merged: u64,
    pub reconciled: bool,
    pub unresolved_links: u64,
    pub ambiguous_links: u64,
    pub warnings: u64,
    /// The export's link audit, as summary.json has it.
    pub links_by_id: u64,
    pub links_by_name: u64,
    pub created_for_links: u64,
    pub suspect_created: u64,
}

/// Preparing the Pipedrive account for a finished export, from the Review & Export screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum AccountState {
    #[default]
    Idle,
    /// Reading or writing the account: what is going on (a rate-limit wait, a retry).
    Working(String),
    /// What the account lacks (created by `P`); `cannot` lists what pipemap cannot create.
    Planned {
        company: String,
        items: Vec<String>,
        cannot: Vec<String>,
        /// What `P` spends of the company's daily API budget.
        cost: crate::account::create::Cost,
    },
    /// Objects this run created (recorded in the export's manifest).
    Created {
        company: String,
        count: usize,
    },
    Failed(Failure),
}

/// Linking activities and notes through the account, from the Review & Export screen.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum LinkState {
    #[default]
    Idle,
    /// Reading or writing the account: what is going on.
    Working(String),
    /// What `I` would do: one line per entity, and what it costs.
    Planned {
        company: String,
        lines: Vec<String>,
        to_create: u32,
        cost: crate::account::create::Cost,
    },
    /// What `I` created; the rest is in OUT/linked/.
    Created {
        company: String,
        count: usize,
    },
    Failed(Failure),
}

/// What a run of `link` reports back.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkOutcome {
    pub company: String,
    /// Activities and notes `I` creates.
    pub to_create: u32,
    /// The counts of activities and notes by outcome, and notices.
    pub lines: Vec<String>,
    pub cost: crate::account::create::Cost,
    pub created: usize,
    pub applied: bool,
}

/// What a run of the account preparation reports back.
#[derive(Debug, Clone, PartialEq)]
pub struct AccountOutcome {
    pub company: String,
    /// What the account lacked when read.
    pub items: Vec<String>,
    pub cannot: Vec<String>,
    /// How many were created (0 for a dry run).
    pub created: usize,
    pub applied: bool,
    /// What creating them spends: requests and tokens of the company's daily API budget.
    pub cost: crate::account::create::Cost,
}

/// The Review & Export screen's state.
#[derive(Debug, Clone, Default)]
pub struct ExportView {
    pub out: PathBuf,
    pub state: ExportState,
    /// The Pipedrive account's preparation for the finished export.
    pub account: AccountState,
    /// Linking the export's activities and notes through the account (`i`, `I`).
    pub link: LinkState,
    pub cursor: ListCursor,
    /// Set after a first `e` with blockers: a second `e` exports anyway.
    pub confirm_blockers: bool,
    /// `e` was pressed while files were still being read: export once they are.
    pub queued: bool,
    /// The export's own counts for the mapping on screen, from a dry run of the export.
    pub preview: Option<Preview>,
}

/// A dry run of the export for one state of the work: what the Review screen counts.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The files and mapping it was run for; another state needs another run.
    pub sources: Vec<PathBuf>,
    pub mapping: super::project::Mapping,
    /// None while it runs.
    pub result: Option<Result<PreviewCounts, Failure>>,
}

/// What a dry run of the export counted: its summary.json and the custom fields its report
/// lists to create (`Person “Industry” (enum)`).
#[derive(Debug, Clone)]
pub struct PreviewCounts {
    pub summary: ExportSummary,
    pub custom_fields: Vec<String>,
}

/// One cluster of duplicates as the Duplicates screen reviews it.
#[derive(Debug, Clone)]
pub struct DuplicateCluster {
    /// The source file (index into the project's files) its records come from.
    pub file: usize,
    pub entity: crate::entity::Entity,
    pub cluster: crate::dedupe::Cluster,
    /// The stable identity of each member, in the order of `cluster.members`.
    pub identities: Vec<String>,
}

/// What the Duplicates screen's clusters were computed from: per file, its entity, the rows
/// taken (a split's side) and the mapped columns.
#[derive(Debug, Clone, PartialEq)]
pub struct DuplicateJob {
    pub file: usize,
    pub path: PathBuf,
    pub entity: crate::entity::Entity,
    /// Only the rows of one side of a split.
    pub split: Option<crate::profile::SplitSide>,
    pub targets: Vec<(usize, crate::entity::Target)>,
    pub headers: Vec<String>,
}

/// The Duplicates screen's state.
#[derive(Debug, Clone, Default)]
pub struct DuplicatesView {
    /// Clusters of every file, highest score first.
    pub clusters: Vec<DuplicateCluster>,
    pub cursor: ListCursor,
    /// The record of the selected cluster picked as survivor (or to drop).
    pub record: usize,
    /// The field (row of the side-by-side records) under the cursor, for `TakeValue`.
    pub field: usize,
    /// The jobs the shown clusters (or the running computation) come from.
    pub jobs: Option<Vec<DuplicateJob>>,
    /// Numbers computations, so a stale result is ignored.
    pub generation: u64,
    /// True while the worker computes.
    pub computing: bool,
    /// Why the last computation failed, if it did.
    pub error: Option<Failure>,
}

/// What a text input is for.
#[derive(Debug, Clone, PartialEq)]
pub enum InputPurpose {
    AddFile,
    OutputFolder,
}

/// A modal layer over the screen; keys go to it first.
#[derive(Debug, Clone)]
pub enum Overlay {
    Help,
    ConfirmQuit,
    Picker(Picker),
    Input {
        purpose: InputPurpose,
        input: TextInput,
    },
    /// `c`: a custom field's name and the type to create it with.
    CustomField {
        name: TextInput,
        type_index: usize,
    },
}

/// The UI state.
#[derive(Debug, Clone)]
pub struct Model {
    pub ctx: Context,
    pub project: Project,
    pub screen: Screen,
    pub files_cursor: ListCursor,
    pub mapping_view: MappingView,
    pub values_view: ValuesView,
    pub duplicates_view: DuplicatesView,
    pub export_view: ExportView,
    pub overlay: Option<Overlay>,
    /// A transient message for the status line.
    pub status: Option<Status>,
    /// Work found in the recovery file, offered until restored or discarded.
    pub recovery: Option<RecoveryDoc>,
    /// True while the column search takes typed keys.
    pub searching: bool,
    /// The terminal's size, for scrolling and mouse hits.
    pub size: (u16, u16),
    /// Ticks (of ~250 ms) since start.
    pub ticks: u64,
    pub quit: bool,
}

impl Model {
    /// A session on these files, before any of them is read.
    pub fn new(ctx: Context, paths: Vec<PathBuf>, out: PathBuf) -> Model {
        let files: Vec<SourceFile> = paths.into_iter().map(SourceFile::new).collect();
        let values = ctx.base.values.clone();
        let dedupe = super::project::decisions_of(&ctx.base);
        let mapping = Mapping {
            files: files.iter().map(super::project::placeholder).collect(),
            values,
            dedupe,
            options: ctx.base.options.clone(),
        };
        Model {
            ctx,
            project: Project {
                files,
                saved: mapping.clone(),
                autosaved: mapping.clone(),
                mapping,
                ..Project::default()
            },
            screen: Screen::Files,
            files_cursor: ListCursor::default(),
            mapping_view: MappingView::default(),
            values_view: ValuesView::default(),
            duplicates_view: DuplicatesView::default(),
            export_view: ExportView {
                out,
                ..ExportView::default()
            },
            overlay: None,
            status: None,
            recovery: None,
            searching: false,
            size: (80, 24),
            ticks: 0,
            quit: false,
        }
    }
}
