//! Every key binding, one table per screen plus the global one. `update` looks keys up here and
//! the `?` overlay and the status bar's hints read the same tables, so they never disagree.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::model::Screen;

/// A key as the tables name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A printable character (upper case for Shift+letter).
    Char(char),
    /// Ctrl plus a letter.
    Ctrl(char),
    /// A named key (Enter, Tab, arrows …).
    Code(KeyCode),
}

impl Key {
    /// The key a terminal event stands for.
    pub fn from_event(event: &KeyEvent) -> Key {
        match event.code {
            KeyCode::Char(c) if event.modifiers.contains(KeyModifiers::CONTROL) => {
                Key::Ctrl(c.to_ascii_lowercase())
            }
            KeyCode::Char(c) => Key::Char(c),
            code => Key::Code(code),
        }
    }

    /// How the help overlay writes the key.
    pub fn label(self) -> String {
        match self {
            Key::Char(' ') => "Space".into(),
            Key::Char(c) => c.to_string(),
            Key::Ctrl(c) => format!("Ctrl-{c}"),
            Key::Code(code) => match code {
                KeyCode::Enter => "Enter".into(),
                KeyCode::Tab => "Tab".into(),
                KeyCode::BackTab => "Shift-Tab".into(),
                KeyCode::Esc => "Esc".into(),
                KeyCode::Up => "↑".into(),
                KeyCode::Down => "↓".into(),
                KeyCode::Left => "←".into(),
                KeyCode::Right => "→".into(),
                KeyCode::PageUp => "PgUp".into(),
                KeyCode::PageDown => "PgDn".into(),
                KeyCode::Home => "Home".into(),
                KeyCode::End => "End".into(),
                KeyCode::Delete => "Del".into(),
                KeyCode::Backspace => "Backspace".into(),
                other => format!("{other:?}"),
            },
        }
    }
}

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    NextScreen,
    PrevScreen,
    GoScreen(usize),
    Help,
    Quit,
    Save,
    Undo,
    Redo,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    RestoreRecovery,
    DiscardRecovery,
    /// Files: choose the entity of the selected file.
    ChangeEntity,
    /// Files: add a file by path.
    AddFile,
    /// Files: leave the selected file out of the export, or bring it back.
    ToggleLeftOut,
    /// Mapping/Values: open the picker for the selected row.
    Pick,
    /// Accept the selected row's suggestion.
    Accept,
    /// Accept every high/medium suggestion (Mapping) or every value suggestion (Values).
    AcceptAll,
    Skip,
    /// Unmap: the column is kept in the record's note; a value is kept as written.
    Clear,
    CreateCustom,
    Search,
    Filter,
    NextGroup,
    PrevGroup,
    EditOut,
    Export,
    /// Duplicates: merge the cluster into the picked survivor.
    Merge,
    /// Duplicates: keep the cluster's records separate (not duplicates).
    KeepSeparate,
    /// Duplicates: drop the picked record.
    Drop,
    /// Duplicates: merge every undecided cluster whose links all rest on the same e-mail.
    MergeSameEmail,
    /// Duplicates: pick the next record of the cluster (survivor, or the one to drop).
    NextRecord,
    /// Duplicates: pick the previous record.
    PrevRecord,
    /// Duplicates: compute the clusters again from the current mapping.
    Recompute,
    /// Duplicates: move the field cursor of the side-by-side records down.
    NextField,
    /// Duplicates: move the field cursor up.
    PrevField,
    /// Duplicates: keep the ★ record's value of the field under the cursor in the merge.
    TakeValue,
    /// Review & Export: escape cells that spreadsheet programs would run as formulas, or not.
    ToggleFormulas,
    /// Review & Export: switch between the separate and the combined layout.
    ToggleLayout,
    /// Review & Export: show what the Pipedrive account lacks for the finished export.
    AccountDryRun,
    /// Review & Export: create it.
    AccountCreate,
    /// Review & Export: after the import of organizations, persons, deals and leads, show how
    /// the activities and notes would be linked through the account.
    LinkDryRun,
    /// Review & Export: create them with exact links.
    LinkCreate,
}

/// One binding: the keys, what they do, and how help describes it.
#[derive(Debug, Clone, Copy)]
pub struct Binding {
    pub keys: &'static [Key],
    pub action: Action,
    pub help: &'static str,
    /// The status bar's short hint ("" for none).
    pub hint: &'static str,
}

const fn b(
    keys: &'static [Key],
    action: Action,
    help: &'static str,
    hint: &'static str,
) -> Binding {
    Binding {
        keys,
        action,
        help,
        hint,
    }
}

use Key::{Char as C, Code as K, Ctrl};

/// Keys that work on every screen.
pub const GLOBAL: &[Binding] = &[
    b(&[K(KeyCode::Tab)], Action::NextScreen, "next screen", ""),
    b(
        &[K(KeyCode::BackTab)],
        Action::PrevScreen,
        "previous screen",
        "",
    ),
    b(&[C('1')], Action::GoScreen(0), "Files screen", ""),
    b(&[C('2')], Action::GoScreen(1), "Mapping screen", ""),
    b(&[C('3')], Action::GoScreen(2), "Values screen", ""),
    b(&[C('4')], Action::GoScreen(3), "Duplicates screen", ""),
    b(&[C('5')], Action::GoScreen(4), "Review & Export screen", ""),
    b(&[K(KeyCode::Up), C('k')], Action::Up, "move up", ""),
    b(&[K(KeyCode::Down), C('j')], Action::Down, "move down", ""),
    b(&[K(KeyCode::PageUp)], Action::PageUp, "page up", ""),
    b(&[K(KeyCode::PageDown)], Action::PageDown, "page down", ""),
    b(&[K(KeyCode::Home), C('g')], Action::Top, "first row", ""),
    b(&[K(KeyCode::End), C('G')], Action::Bottom, "last row", ""),
    b(&[C('u')], Action::Undo, "undo", ""),
    b(&[Ctrl('r')], Action::Redo, "redo", ""),
    b(&[Ctrl('s')], Action::Save, "save the profile", ""),
    b(
        &[C('R')],
        Action::RestoreRecovery,
        "restore recovered work",
        "",
    ),
    b(
        &[C('X')],
        Action::DiscardRecovery,
        "discard the recovered work",
        "",
    ),
    b(&[C('?')], Action::Help, "keys of this screen", "help"),
    b(&[C('q'), Ctrl('c')], Action::Quit, "quit", "quit"),
];

/// Keys of the Files screen.
pub const FILES: &[Binding] = &[
    b(
        &[K(KeyCode::Enter), C('e')],
        Action::ChangeEntity,
        "choose the file's entity",
        "entity",
    ),
    b(
        &[C('+'), C('a')],
        Action::AddFile,
        "add a file by path",
        "add file",
    ),
    b(
        &[C('x')],
        Action::ToggleLeftOut,
        "leave out / bring back",
        "leave out",
    ),
];

/// Keys of the Mapping screen.
pub const MAPPING: &[Binding] = &[
    b(
        &[K(KeyCode::Enter)],
        Action::Pick,
        "pick a target (fuzzy search)",
        "pick",
    ),
    b(&[C('a')], Action::Accept, "accept the suggestion", "accept"),
    b(
        &[C('A')],
        Action::AcceptAll,
        "accept all high/medium suggestions",
        "accept all",
    ),
    b(&[C('s')], Action::Skip, "skip the column", "skip"),
    b(
        &[C('x'), K(KeyCode::Delete)],
        Action::Clear,
        "unmap (value goes to the note)",
        "",
    ),
    b(
        &[C('c')],
        Action::CreateCustom,
        "create a custom field",
        "custom field",
    ),
    b(&[C('/')], Action::Search, "search columns", ""),
    b(&[C('f')], Action::Filter, "filter: all/unmapped/review", ""),
    b(
        &[C(']'), K(KeyCode::Right)],
        Action::NextGroup,
        "next file",
        "",
    ),
    b(
        &[C('['), K(KeyCode::Left)],
        Action::PrevGroup,
        "previous file",
        "",
    ),
];

/// Keys of the Values screen.
pub const VALUES: &[Binding] = &[
    b(
        &[K(KeyCode::Enter)],
        Action::Pick,
        "pick the Pipedrive value",
        "pick",
    ),
    b(&[C('a')], Action::Accept, "accept the suggestion", "accept"),
    b(
        &[C('A')],
        Action::AcceptAll,
        "accept all suggestions here",
        "accept all",
    ),
    b(
        &[C('x'), K(KeyCode::Delete)],
        Action::Clear,
        "unmap (kept as written)",
        "",
    ),
    b(
        &[C(']'), K(KeyCode::Right)],
        Action::NextGroup,
        "next field",
        "next field",
    ),
    b(
        &[C('['), K(KeyCode::Left)],
        Action::PrevGroup,
        "previous field",
        "",
    ),
];

/// Keys of the Duplicates screen (`k` here keeps a cluster; ↑ still moves up).
pub const DUPLICATES: &[Binding] = &[
    b(&[C('m')], Action::Merge, "merge into the ★ record", "merge"),
    b(
        &[C('k')],
        Action::KeepSeparate,
        "keep apart (not dupes)",
        "keep",
    ),
    b(&[C('d')], Action::Drop, "drop the ★ record", "drop"),
    b(
        &[C('M')],
        Action::MergeSameEmail,
        "merge all same-e-mail",
        "",
    ),
    b(
        &[K(KeyCode::Enter), K(KeyCode::Right), C(']')],
        Action::NextRecord,
        "★ the next record",
        "",
    ),
    b(
        &[K(KeyCode::Left), C('[')],
        Action::PrevRecord,
        "★ the previous record",
        "",
    ),
    b(
        &[C('J')],
        Action::NextField,
        "next field of the records",
        "",
    ),
    b(&[C('K')], Action::PrevField, "previous field", ""),
    b(
        &[C('v'), C(' ')],
        Action::TakeValue,
        "★'s value for ▸ field",
        "value",
    ),
    b(&[C('r')], Action::Recompute, "find duplicates again", ""),
];

/// Global keys a screen's table takes over on purpose.
pub const SHADOWED: &[(Screen, Key)] = &[(Screen::Duplicates, C('k'))];

/// Keys of the Review & Export screen.
pub const EXPORT: &[Binding] = &[
    b(
        &[C('e'), K(KeyCode::Enter)],
        Action::Export,
        "export",
        "export",
    ),
    b(
        &[C('o')],
        Action::EditOut,
        "change the output folder",
        "folder",
    ),
    b(
        &[C('f')],
        Action::ToggleFormulas,
        "escape formula cells or not",
        "",
    ),
    b(
        &[C('l')],
        Action::ToggleLayout,
        "separate or combined layout",
        "",
    ),
    b(
        &[C('p')],
        Action::AccountDryRun,
        "show what Pipedrive lacks",
        "",
    ),
    b(
        &[C('P')],
        Action::AccountCreate,
        "create it in Pipedrive",
        "",
    ),
    b(
        &[C('i')],
        Action::LinkDryRun,
        "link activities and notes by id",
        "",
    ),
    b(
        &[C('I')],
        Action::LinkCreate,
        "create them in Pipedrive",
        "",
    ),
];

/// The table of a screen.
pub fn screen_bindings(screen: Screen) -> &'static [Binding] {
    match screen {
        Screen::Files => FILES,
        Screen::Mapping => MAPPING,
        Screen::Values => VALUES,
        Screen::Duplicates => DUPLICATES,
        Screen::Export => EXPORT,
    }
}

/// The action of a key on a screen: the screen's table first, then the global one.
pub fn action(screen: Screen, key: Key) -> Option<Action> {
    screen_bindings(screen)
        .iter()
        .chain(GLOBAL)
        .find(|binding| binding.keys.contains(&key))
        .map(|binding| binding.action)
}

/// The status bar's hints for a screen: `Enter pick · a accept · …`.
pub fn hints(screen: Screen) -> Vec<(String, &'static str)> {
    screen_bindings(screen)
        .iter()
        .chain(GLOBAL)
        .filter(|binding| !binding.hint.is_empty())
        .map(|binding| (binding.keys[0].label(), binding.hint))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_key_is_bound_twice_on_one_screen() {
        for screen in Screen::ALL {
            let table: Vec<&Binding> = screen_bindings(screen).iter().chain(GLOBAL).collect();
            for (i, a) in table.iter().enumerate() {
                for other in &table[i + 1..] {
                    for key in a.keys {
                        if SHADOWED.contains(&(screen, *key)) {
                            continue;
                        }
                        assert!(
                            !other.keys.contains(key),
                            "{key:?} bound twice on {screen:?}"
                        );
                    }
                }
            }
        }
    }
}
