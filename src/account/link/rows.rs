//! What an export folder says about the activities and notes still to import: their rows, the
//! names each row links to, and the source ids behind those names (OUT/links.csv); and which
//! custom field carries each imported entity's source id (`Organization - Sell ID`, …).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::account::AccountError;
use crate::entity::Entity;
use crate::link::{LinkIds, part_number, read_link_ids};
use crate::schema::is_id_name;
use crate::transform::layout::link_header;

/// The entities the wizard imports first and `link` reads back from the account.
pub const IMPORTED: [Entity; 4] = [
    Entity::Organization,
    Entity::Person,
    Entity::Deal,
    Entity::Lead,
];

/// One linked item a row names.
#[derive(Debug, Clone, PartialEq)]
pub struct Named {
    pub entity: Entity,
    /// The name (or title) the row writes.
    pub name: String,
    /// The linked record's id in the source CRM, from links.csv.
    pub source_id: Option<String>,
    /// Whether links.csv names this link for the row itself; otherwise the name is carried
    /// from the record the row links to (a deal's person and organization), and its source id,
    /// if any, comes from that record's own links.
    pub own: bool,
}

/// One activity or note row of the export.
#[derive(Debug, Clone)]
pub struct Row {
    /// The output file: `05-activities.csv`.
    pub file: String,
    /// 1-based data row in that file.
    pub row: u64,
    pub entity: Entity,
    /// The row's cells by header.
    pub cells: Vec<(String, String)>,
    pub links: Vec<Named>,
}

impl Row {
    /// The cell under `header`, trimmed ("" when absent).
    pub fn get(&self, header: &str) -> &str {
        self.cells
            .iter()
            .find(|(h, _)| h == header)
            .map_or("", |(_, v)| v.trim())
    }

    /// `05-activities.csv#12`: how the manifest names the row.
    pub fn key(&self) -> String {
        format!("{}#{}", self.file, self.row)
    }
}

/// The export folder as `link` reads it.
#[derive(Debug, Default)]
pub struct Export {
    /// Output files by entity, in the order summary.json lists them.
    pub outputs: Vec<(String, Entity)>,
    /// The name of the custom field holding each imported entity's source id.
    pub id_fields: BTreeMap<Entity, String>,
    /// Activity and note rows, in file order.
    pub rows: Vec<Row>,
    /// Each imported deal's and lead's own links by its source id: its person and organization.
    pub parents: Parents,
}

fn problem(path: &Path, message: impl Into<String>) -> AccountError {
    AccountError::Export {
        path: path.display().to_string(),
        message: message.into(),
    }
}

/// Reads OUT/summary.json, the imported entities' headers, links.csv and every activity and
/// note row.
pub fn read(out: &Path) -> Result<Export, AccountError> {
    use crate::export::summary_file::{SummaryFile, SummaryFileError};
    let summary = SummaryFile::read(out).map_err(|e| match e {
        SummaryFileError::Missing { error, .. } => problem(
            out,
            format!("not a pipemap export folder (summary.json: {error})"),
        ),
        SummaryFileError::Invalid { path, error } => {
            problem(&path, format!("cannot read the outputs: {error}"))
        }
    })?;
    let outputs: Vec<(String, Entity)> = summary
        .summary
        .outputs
        .into_iter()
        .map(|o| (o.file, o.entity))
        .collect();
    let link_ids = read_link_ids(&out.join("links.csv"))
        .map_err(|e| problem(&out.join("links.csv"), e.to_string()))?;
    let mut export = Export::default();
    // Each imported record's own links, by its source id: a deal's person and organization.
    let mut parents = Parents::new();
    for (file, entity) in &outputs {
        let path = out.join(file);
        let mut reader =
            csv::Reader::from_path(&path).map_err(|e| problem(&path, e.to_string()))?;
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| problem(&path, e.to_string()))?
            .iter()
            .map(str::to_string)
            .collect();
        let stem = entity.file_stem();
        let parts = outputs.iter().filter(|(f, _)| f.starts_with(stem)).count();
        let part = part_number(file, stem, parts);
        if IMPORTED.contains(entity) {
            let Some(field) = id_field(*entity, &headers) else {
                continue;
            };
            let own = format!("{} - {field}", entity.title());
            let at = headers.iter().position(|h| *h == own);
            export.id_fields.entry(*entity).or_insert(field);
            for (n, record) in reader.records().enumerate() {
                let record = record.map_err(|e| problem(&path, e.to_string()))?;
                let id = at.and_then(|i| record.get(i)).unwrap_or("").trim();
                if let Some(links) = link_ids.get(&(stem.to_string(), part, n as u64 + 1))
                    && !id.is_empty()
                {
                    parents.insert((*entity, id.to_string()), links.clone());
                }
            }
            continue;
        }
        if !matches!(entity, Entity::Activity | Entity::Note) {
            continue;
        }
        for (n, record) in reader.records().enumerate() {
            let record = record.map_err(|e| problem(&path, e.to_string()))?;
            let row = n as u64 + 1;
            let cells: Vec<(String, String)> = headers
                .iter()
                .cloned()
                .zip(record.iter().map(str::to_string))
                .collect();
            let links = named_links(&cells, &link_ids, &parents, stem, part, row);
            export.rows.push(Row {
                file: file.clone(),
                row,
                entity: *entity,
                cells,
                links,
            });
        }
    }
    export.outputs = outputs;
    export.parents = parents;
    Ok(export)
}

/// The custom field an entity's file writes its source id into: `Person - Sell ID` → `Sell ID`.
fn id_field(entity: Entity, headers: &[String]) -> Option<String> {
    let prefix = format!("{} - ", entity.title());
    headers
        .iter()
        .filter_map(|h| h.strip_prefix(&prefix))
        .find(|name| is_id_name(name) && !name.eq_ignore_ascii_case("id"))
        .map(str::to_string)
}

/// Each imported record's own links by its source id (a deal's person and organization).
pub type Parents = HashMap<(Entity, String), Vec<(Entity, String)>>;

fn named_links(
    cells: &[(String, String)],
    link_ids: &LinkIds,
    parents: &Parents,
    stem: &str,
    part: usize,
    row: u64,
) -> Vec<Named> {
    let own: &[(Entity, String)] = link_ids
        .get(&(stem.to_string(), part, row))
        .map_or(&[], Vec::as_slice);
    // A carried name's source id comes from the record the row itself links to.
    let carried = |entity: Entity| {
        own.iter()
            .filter_map(|parent| parents.get(parent))
            .flatten()
            .find(|(e, _)| *e == entity)
            .map(|(_, id)| id.clone())
    };
    IMPORTED
        .into_iter()
        .filter_map(|entity| {
            let header = link_header(entity);
            let name = cells.iter().find(|(h, _)| *h == header)?.1.trim();
            let mine = own
                .iter()
                .find(|(e, _)| *e == entity)
                .map(|(_, id)| id.clone());
            let is_own = mine.is_some();
            let source_id = mine.or_else(|| carried(entity));
            (!name.is_empty() || source_id.is_some()).then(|| Named {
                entity,
                name: name.to_string(),
                source_id,
                own: is_own,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_id_field_is_the_entitys_own_id_column() {
        let headers: Vec<String> = [
            "Person - Name",
            "Organization - Sell ID",
            "Person - Sell ID",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            id_field(Entity::Person, &headers).as_deref(),
            Some("Sell ID")
        );
        assert_eq!(id_field(Entity::Deal, &headers), None);
    }

    #[test]
    fn a_rows_links_carry_the_source_ids_links_csv_gives_them() {
        let cells: Vec<(String, String)> = [
            ("Activity - Subject", "Call"),
            ("Person - Name", "John Smith"),
            ("Deal - Title", "Renewal"),
            ("Organization - Name", ""),
        ]
        .map(|(h, v)| (h.to_string(), v.to_string()))
        .to_vec();
        let mut ids = LinkIds::new();
        ids.insert(
            ("05-activities".into(), 1, 3),
            vec![(Entity::Deal, "D7".into())],
        );
        // The deal's own links say who its person is.
        let mut parents = Parents::new();
        parents.insert(
            (Entity::Deal, "D7".into()),
            vec![(Entity::Person, "P2".into())],
        );
        let links = named_links(&cells, &ids, &parents, "05-activities", 1, 3);
        assert_eq!(
            links,
            [
                Named {
                    entity: Entity::Person,
                    name: "John Smith".into(),
                    source_id: Some("P2".into()),
                    own: false,
                },
                Named {
                    entity: Entity::Deal,
                    name: "Renewal".into(),
                    source_id: Some("D7".into()),
                    own: true,
                },
            ]
        );
    }
}
