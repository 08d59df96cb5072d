//! `account undo OUT`: removes exactly what the manifest of an export folder records as
//! created and still present, newest first (stages before their pipeline), with the DELETE
//! operations of Pipedrive's published API: v2 for custom fields
//! (`/api/v2/personFields/{field_code}`, likewise organization, deal, product), a field's
//! options (`DELETE /api/v2/personFields/{field_code}/options` with their ids, after a
//! `GET` of the field shows the option is still there), pipelines and stages; v1 for activity
//! types and lead labels; the activities and notes `link --apply` created with v2's
//! `DELETE /api/v2/activities/{id}` and v1's `DELETE /api/v1/notes/{id}`. Something already
//! gone (404) is recorded as such.
//!
//! Manifests written through API v1 by earlier versions of pipemap name fields by a numeric id,
//! which v2 does not know; those are removed through the v1 operations the document still
//! publishes for them (`DELETE /api/v1/personFields/{id}`, `GET` + `PUT` for an option).

use std::path::Path;

use serde_json::{Value, json};

use super::api::{self, FieldEndpoint, writable_fields};
use super::manifest::{Entry, Kind, Manifest};
use super::{AccountError, Client};

/// Removes what the manifest says this folder's runs created and is still there, newest
/// first, recording each removal in the manifest as it goes. `removed` hears of each.
pub fn undo(
    client: &mut Client,
    manifest: &mut Manifest,
    out: &Path,
    removed: &mut dyn FnMut(&Entry),
) -> Result<(), AccountError> {
    for entry in manifest.still_present() {
        let id = match &entry.id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let gone = match entry.kind {
            Kind::CustomField => {
                let fields = fields_of(&entry, out)?;
                match entry.id.as_i64() {
                    Some(old) => client.delete(&fields.legacy_delete(old), None)?,
                    None => client.delete(&fields.delete(&id), None)?,
                }
            }
            Kind::Pipeline => client.delete(&api::delete_pipeline(&id), None)?,
            Kind::Stage => client.delete(&api::delete_stage(&id), None)?,
            Kind::ActivityType => client.delete(&api::delete_activity_type(&id), None)?,
            Kind::LeadLabel => client.delete(&api::delete_lead_label(&id), None)?,
            Kind::Activity => client.delete(&api::delete_activity(&id), None)?,
            Kind::Note => client.delete(&api::delete_note(&id), None)?,
            Kind::Relinked => restore_links(client, &entry, &id, out)?,
            Kind::LabelOption | Kind::FieldOption => {
                let fields = fields_of(&entry, out)?;
                match (&entry.field_code, entry.field_id) {
                    (Some(code), _) => remove_option(client, fields, code, &entry.id)?,
                    (None, Some(old)) => remove_legacy_option(client, fields, old, &entry.id)?,
                    (None, None) => {
                        return Err(unreadable(out, &entry, "names no field"));
                    }
                }
            }
        };
        let mut done = entry.clone();
        done.time = super::now();
        done.outcome = Some(
            match (entry.kind, gone) {
                (Kind::Relinked, true) => "links restored",
                (_, true) => "deleted",
                (_, false) => "already gone",
            }
            .into(),
        );
        manifest.removed.push(done);
        manifest.save(out)?;
        removed(manifest.removed.last().expect("just pushed"));
    }
    Ok(())
}

/// Puts a corrected deal's or lead's links back as they were; a link that was empty stays as
/// set, since the API takes no empty id for it.
fn restore_links(
    client: &mut Client,
    entry: &Entry,
    id: &str,
    out: &Path,
) -> Result<bool, AccountError> {
    let call = entry
        .entity
        .and_then(|e| api::patch_record(e, id))
        .ok_or_else(|| unreadable(out, entry, "names no deal or lead"))?;
    let mut before = entry.before.clone().unwrap_or_else(|| json!({}));
    if let Some(map) = before.as_object_mut() {
        map.retain(|_, v| !v.is_null());
        if map.is_empty() {
            return Ok(true);
        }
    }
    match client.patch(&call, &before) {
        Ok(_) => Ok(true),
        Err(AccountError::NotFound { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

fn fields_of(entry: &Entry, out: &Path) -> Result<FieldEndpoint, AccountError> {
    entry
        .entity
        .and_then(writable_fields)
        .ok_or_else(|| unreadable(out, entry, "names no entity with custom fields"))
}

fn unreadable(out: &Path, entry: &Entry, why: &str) -> AccountError {
    AccountError::Export {
        path: Manifest::path(out).display().to_string(),
        message: format!("{} {why}", entry.describe()),
    }
}

/// Takes one option out of a field: the field is read now, and the option deleted by id when
/// it is still among the field's options (the delete fails whole for an option that is gone).
fn remove_option(
    client: &mut Client,
    fields: FieldEndpoint,
    field_code: &str,
    option: &Value,
) -> Result<bool, AccountError> {
    let field = match client.get(&fields.get(field_code)) {
        Ok(f) => f,
        Err(AccountError::NotFound { .. }) => return Ok(false),
        Err(e) => return Err(e),
    };
    let present = field["options"]
        .as_array()
        .is_some_and(|options| options.iter().any(|o| o["id"] == *option));
    if !present {
        return Ok(false);
    }
    client.delete(
        &fields.delete_options(field_code),
        Some(&json!([{"id": option}])),
    )
}

/// Takes one option out of a field recorded by its v1 id: the field is read and written back
/// without it.
fn remove_legacy_option(
    client: &mut Client,
    fields: FieldEndpoint,
    field_id: i64,
    option: &Value,
) -> Result<bool, AccountError> {
    let field = match client.get(&fields.legacy_get(field_id)) {
        Ok(f) => f,
        Err(AccountError::NotFound { .. }) => return Ok(false),
        Err(e) => return Err(e),
    };
    let options = field["options"].as_array().cloned().unwrap_or_default();
    if !options.iter().any(|o| o["id"] == *option) {
        return Ok(false);
    }
    let kept: Vec<Value> = options
        .iter()
        .filter(|o| o["id"] != *option)
        .map(|o| {
            let mut kept = json!({"id": o["id"], "label": o["label"]});
            if let Some(c) = o["color"].as_str() {
                kept["color"] = json!(c);
            }
            kept
        })
        .collect();
    client.put(&fields.legacy_put(field_id), &json!({"options": kept}))?;
    Ok(true)
}
