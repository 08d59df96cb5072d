//! The columns of each output file, named as Pipedrive's import wizard names the fields
//! ("Person - Name", "Person - Email - Work", "Organization - Name") so it can map them itself.
//! The record's own name comes first, then its links, then the other fields, then the note.

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashMap;

use crate::address::AddressPart;
use crate::entity::{Entity, Target};
use crate::schema::Schema;

use super::plan::{FilePlan, Rule};

/// What an output column holds.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Slot {
    /// A field of the record (built-in or the account's), with the label of a multi field.
    Field { key: String, label: Option<String> },
    /// A custom field to create, or one part of an address custom field to create.
    Custom {
        name: String,
        part: Option<AddressPart>,
    },
    /// The name (or title) of a linked record, which the import links by.
    Link(Entity),
    /// A note created with the record, holding what had no field of its own.
    Note,
}

/// The columns of one entity's output file.
#[derive(Debug, Clone)]
pub struct Layout {
    pub entity: Entity,
    pub slots: Vec<Slot>,
    pub headers: Vec<String>,
    index: FxHashMap<Slot, usize>,
    /// Fields without label by key, looked up per row without building a `Slot`.
    fields: FxHashMap<String, usize>,
    /// Every column of each field key (a multi field has one per label), in column order.
    by_key: FxHashMap<String, Vec<usize>>,
    /// Each address written in parts: its whole-address column and its parts' columns.
    pub addresses: Vec<AddressColumns>,
}

/// The columns of one address field written in parts.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressColumns {
    /// The column holding the whole address (the field itself).
    pub whole: usize,
    /// The part columns, in reading order.
    pub parts: Vec<(AddressPart, usize)>,
}

impl Slot {
    /// A field of the record without label.
    pub fn field(key: &str) -> Slot {
        Slot::Field {
            key: key.to_string(),
            label: None,
        }
    }
}

impl Layout {
    /// A layout of these columns, in this order, under these headers.
    pub fn new(entity: Entity, slots: Vec<Slot>, headers: Vec<String>) -> Layout {
        let index = slots
            .iter()
            .cloned()
            .enumerate()
            .map(|(i, s)| (s, i))
            .collect();
        let fields = slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| match s {
                Slot::Field { key, label: None } => Some((key.clone(), i)),
                _ => None,
            })
            .collect();
        let mut by_key: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (i, slot) in slots.iter().enumerate() {
            if let Slot::Field { key, .. } = slot {
                by_key.entry(key.clone()).or_default().push(i);
            }
        }
        let addresses = address_columns(&slots);
        Layout {
            entity,
            slots,
            headers,
            index,
            fields,
            by_key,
            addresses,
        }
    }

    /// The column of a slot.
    pub fn column(&self, slot: &Slot) -> Option<usize> {
        self.index.get(slot).copied()
    }

    /// The column of a field without label.
    pub fn field(&self, key: &str) -> Option<usize> {
        self.fields.get(key).copied()
    }

    /// Every column of field `key` (one per label of a multi field), in column order.
    pub fn columns_of(&self, key: &str) -> &[usize] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }
}

/// The field holding a record's name: `title` for deals and leads, `subject` for activities,
/// `content` for notes, `name` otherwise.
pub fn name_key(entity: Entity) -> &'static str {
    match entity {
        Entity::Deal | Entity::Lead => "title",
        Entity::Activity => "subject",
        Entity::Note => "content",
        _ => "name",
    }
}

/// The header of a link column: the linked item's name field ("Organization - Name").
pub fn link_header(entity: Entity) -> String {
    let field = if matches!(entity, Entity::Deal | Entity::Lead) {
        "Title"
    } else {
        "Name"
    };
    format!("{} - {field}", entity.title())
}

/// Builds every entity's layout from what the compiled files write.
pub fn build(schema: &Schema, plans: &[FilePlan]) -> Vec<Layout> {
    let mut wanted = Wanted::default();
    for plan in plans {
        wanted.add_records(plan);
        for (rules, owner) in [
            (&plan.rules, plan.entity),
            (&plan.split_rules, plan.split.map_or(plan.entity, |s| s.1)),
        ] {
            for rule in rules {
                wanted.add_rule(schema, plan.entity, owner, rule);
            }
        }
    }
    wanted.into_layouts(schema)
}

/// The slots each entity's file needs, in the order they were met.
#[derive(Default)]
struct Wanted {
    slots: HashMap<Entity, Vec<Slot>>,
    /// The slots already listed, so each is added once in one look-up (a file of tens of
    /// thousands of columns stays linear).
    seen: HashSet<(Entity, Slot)>,
}

impl Wanted {
    fn add(&mut self, entity: Entity, slot: Slot) {
        if self.seen.insert((entity, slot.clone())) {
            self.slots.entry(entity).or_default().push(slot);
        }
    }

    /// What every record a file writes has: its name and the links its entity carries (for
    /// both sides of a split file), and a deal's status when the file has status flags.
    fn add_records(&mut self, plan: &FilePlan) {
        let split = plan.split.map(|(_, other)| other);
        for e in std::iter::once(plan.entity).chain(split) {
            self.add(e, Slot::field(name_key(e)));
            for link in implied_links(e) {
                self.add(e, Slot::Link(*link));
            }
        }
        if plan.entity == Entity::Deal && !plan.status_flags.is_empty() {
            self.add(Entity::Deal, Slot::field("status"));
        }
    }

    /// The columns one rule of a file of `file_entity` fills, for records of `owner`. A field
    /// of another entity makes a record of it, which needs a name column too.
    fn add_rule(&mut self, schema: &Schema, file_entity: Entity, owner: Entity, rule: &Rule) {
        match rule {
            Rule::Set { target, .. } => {
                for (entity, slot) in slots_of(schema, target) {
                    self.add(entity, slot);
                    if entity != owner && entity != file_entity {
                        self.add(entity, Slot::field(name_key(entity)));
                    }
                }
            }
            Rule::Link { to, .. } => self.add(owner, Slot::Link(*to)),
            Rule::LinkAny { to } => {
                for to in to {
                    self.add(owner, Slot::Link(*to));
                }
            }
            Rule::LinkBy { types, .. } => {
                for to in types.values() {
                    self.add(owner, Slot::Link(*to));
                    // An id of a contacts file may name a company: room for it too.
                    if *to == Entity::Person {
                        self.add(owner, Slot::Link(Entity::Organization));
                    }
                }
            }
            Rule::Note | Rule::Skip => {}
        }
    }

    /// Each entity's layout, with the columns the engine fills itself, in entity order.
    fn into_layouts(mut self, schema: &Schema) -> Vec<Layout> {
        for (entity, slots) in self.slots.iter_mut() {
            derived(*entity, slots);
        }
        let mut layouts: Vec<Layout> = self
            .slots
            .into_iter()
            .map(|(entity, slots)| finish(schema, entity, slots))
            .collect();
        layouts.sort_by_key(|l| l.entity);
        layouts
    }
}

/// Links every record of an entity can carry.
fn implied_links(entity: Entity) -> &'static [Entity] {
    match entity {
        Entity::Person => &[Entity::Organization],
        Entity::Deal | Entity::Lead => &[Entity::Person, Entity::Organization],
        _ => &[],
    }
}

/// The output slots a target fills: every label of a multi field (cells holding several values
/// spill onto the next labels), the field itself otherwise. Custom fields on activities and notes
/// (which take none) go to their note text.
fn slots_of(schema: &Schema, target: &Target) -> Vec<(Entity, Slot)> {
    match target {
        Target::Skip | Target::Note => Vec::new(),
        Target::Custom { entity, name, part } => custom_slots(*entity, name, *part),
        Target::Field { entity, key, .. } => field_slots(schema, target, key)
            .into_iter()
            .map(|slot| (*entity, slot))
            .collect(),
    }
}

/// The slots a custom field to create fills, all of its own entity's file.
fn custom_slots(entity: Entity, name: &str, part: Option<AddressPart>) -> Vec<(Entity, Slot)> {
    let whole = Slot::Custom {
        name: name.to_string(),
        part: None,
    };
    let slots = match entity {
        Entity::Activity => vec![Slot::field("note")],
        Entity::Note => vec![Slot::field("content")],
        // A part fills its own column and, composed with the others, the whole address.
        _ if part.is_some() => vec![
            whole,
            Slot::Custom {
                name: name.to_string(),
                part,
            },
        ],
        _ => vec![whole],
    };
    slots.into_iter().map(|slot| (entity, slot)).collect()
}

/// The slots a field Pipedrive has fills (`key` is `target`'s).
fn field_slots(schema: &Schema, target: &Target, key: &str) -> Vec<Slot> {
    // A due time is written with its date, in the due date column (`YYYY-MM-DD HH:MM:SS`, the
    // ISO form the import reads).
    if key == "due_time" {
        return vec![Slot::field("due_date")];
    }
    match schema.field(&target.without_label()) {
        Some(f) if f.field_type == "address" => match target.address_part() {
            Some(part) => vec![
                Slot::field(key),
                Slot::Field {
                    key: key.to_string(),
                    label: Some(part.as_str().to_string()),
                },
            ],
            None => vec![Slot::field(key)],
        },
        Some(f) if f.multi && !f.labels.is_empty() => f
            .labels
            .iter()
            .map(|l| Slot::Field {
                key: key.to_string(),
                label: Some(l.clone()),
            })
            .collect(),
        _ => vec![Slot::field(key)],
    }
}

/// Columns the engine fills itself: a person's name and its parts, a deal's status and pipeline
/// beside its stage, a currency beside a value, and the note column.
fn derived(entity: Entity, slots: &mut Vec<Slot>) {
    let has = |slots: &Vec<Slot>, key: &str| {
        slots
            .iter()
            .any(|s| matches!(s, Slot::Field { key: k, .. } if k == key))
    };
    let push = |slots: &mut Vec<Slot>, key: &str| {
        let slot = Slot::field(key);
        if !slots.contains(&slot) {
            slots.push(slot);
        }
    };
    if entity == Entity::Person && (has(slots, "first_name") || has(slots, "last_name")) {
        push(slots, "first_name");
        push(slots, "last_name");
    }
    if entity == Entity::Deal && has(slots, "stage_id") {
        push(slots, "pipeline_id");
        push(slots, "status");
    }
    // A closed deal's close time is also its won or lost time, which the import wants.
    if entity == Entity::Deal && has(slots, "close_time") {
        push(slots, "status");
        push(slots, "won_time");
        push(slots, "lost_time");
    }
    if matches!(entity, Entity::Deal | Entity::Lead | Entity::Product)
        && (has(slots, "value") || has(slots, "price"))
    {
        push(slots, "currency");
    }
    if !matches!(entity, Entity::Activity | Entity::Note | Entity::Product)
        && !slots.contains(&Slot::Note)
    {
        slots.push(Slot::Note);
    }
    if entity == Entity::Activity {
        push(slots, "note");
    }
}

/// A layout from its slots, ordered and named as `build` does: for an entity given a column
/// after the files' own were laid out (the labels a tags file brings).
pub fn rebuild(schema: &Schema, entity: Entity, slots: Vec<Slot>) -> Layout {
    finish(schema, entity, slots)
}

fn finish(schema: &Schema, entity: Entity, mut slots: Vec<Slot>) -> Layout {
    // Name first, links next, the rest in the order they were met, the note last.
    let name = Slot::field(name_key(entity));
    slots.sort_by_key(|s| match s {
        s if *s == name => 0,
        Slot::Link(_) => 1,
        Slot::Note => 3,
        _ => 2,
    });
    group_address_parts(&mut slots);
    let headers = slots.iter().map(|s| header(schema, entity, s)).collect();
    Layout::new(entity, slots, headers)
}

/// The part of an address a slot holds, with the slot of its whole address.
fn address_part_of(slot: &Slot) -> Option<(Slot, AddressPart)> {
    match slot {
        Slot::Field {
            key,
            label: Some(label),
        } => label.parse().ok().map(|part| (Slot::field(key), part)),
        Slot::Custom {
            name,
            part: Some(part),
        } => Some((
            Slot::Custom {
                name: name.clone(),
                part: None,
            },
            *part,
        )),
        _ => None,
    }
}

/// Puts each address's parts right after its whole-address column, in reading order, so the
/// file reads like Pipedrive's own exports.
fn group_address_parts(slots: &mut Vec<Slot>) {
    let mut parts: Vec<(Slot, AddressPart, Slot)> = Vec::new();
    slots.retain(|s| match address_part_of(s) {
        Some((whole, part)) => {
            parts.push((whole, part, s.clone()));
            false
        }
        None => true,
    });
    parts.sort_by_key(|(_, part, _)| *part);
    for (whole, _, slot) in parts.into_iter().rev() {
        let at = slots
            .iter()
            .position(|s| *s == whole)
            .map_or(slots.len(), |i| i + 1);
        slots.insert(at, slot);
    }
}

fn address_columns(slots: &[Slot]) -> Vec<AddressColumns> {
    let mut out: Vec<(Slot, AddressColumns)> = Vec::new();
    for (i, slot) in slots.iter().enumerate() {
        let Some((whole, part)) = address_part_of(slot) else {
            continue;
        };
        let Some(w) = slots.iter().position(|s| *s == whole) else {
            continue;
        };
        match out.iter_mut().find(|(s, _)| *s == whole) {
            Some((_, cols)) => cols.parts.push((part, i)),
            None => out.push((
                whole,
                AddressColumns {
                    whole: w,
                    parts: vec![(part, i)],
                },
            )),
        }
    }
    out.into_iter().map(|(_, cols)| cols).collect()
}

/// A column header as the import wizard names the field.
fn header(schema: &Schema, entity: Entity, slot: &Slot) -> String {
    let title = entity.title();
    match slot {
        Slot::Field { key, label } => {
            let field = schema.entity(entity).and_then(|e| e.field(key));
            let name = field.map_or_else(|| key.replace('_', " "), |f| f.name.clone());
            let part = label
                .as_deref()
                .filter(|_| field.is_some_and(|f| f.field_type == "address"))
                .and_then(|l| l.parse::<AddressPart>().ok());
            match (label, part) {
                (_, Some(part)) => format!("{title} - {}", part.header(&name)),
                (Some(l), None) => format!("{title} - {name} - {}", capitalize(l)),
                (None, None) => format!("{title} - {name}"),
            }
        }
        Slot::Custom { name, part: None } => format!("{title} - {name}"),
        Slot::Custom {
            name,
            part: Some(part),
        } => format!("{title} - {}", part.header(name)),
        Slot::Link(linked) => link_header(*linked),
        Slot::Note => "Note - Content".to_string(),
    }
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;
