//! `account undo OUT`: removes exactly what the manifest of an export folder records as
//! created and still present, newest first (stages before their pipeline), with the DELETE
//! endpoints of the API reference (https://developers.pipedrive.com/docs/api/v1):
//! `/personFields/{id}` (likewise organization, deal, product), `/pipelines/{id}`,
//! `/stages/{id}`, `/activityTypes/{id}`, `/leadLabels/{id}`; a label option is taken out of
//! its field's options with a PUT. Something already gone (404) is recorded as such.

use std::path::Path;

use serde_json::{Value, json};

use super::manifest::{Entry, Kind, Manifest};
use super::prepare::option_json;
use super::remote::field_endpoint;
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
        let gone =
            match entry.kind {
                Kind::CustomField => {
                    let endpoint = entry.entity.and_then(field_endpoint).ok_or_else(|| {
                        AccountError::Export {
                            path: Manifest::path(out).display().to_string(),
                            message: format!("{} names no entity", entry.describe()),
                        }
                    })?;
                    client.delete(&format!("{endpoint}/{id}"))?
                }
                Kind::Pipeline => client.delete(&format!("/pipelines/{id}"))?,
                Kind::Stage => client.delete(&format!("/stages/{id}"))?,
                Kind::ActivityType => client.delete(&format!("/activityTypes/{id}"))?,
                Kind::LeadLabel => client.delete(&format!("/leadLabels/{id}"))?,
                Kind::LabelOption | Kind::FieldOption => remove_label_option(client, &entry)?,
            };
        let mut done = entry.clone();
        done.time = super::now();
        done.outcome = Some(if gone { "deleted" } else { "already gone" }.into());
        manifest.removed.push(done);
        manifest.save(out)?;
        removed(manifest.removed.last().expect("just pushed"));
    }
    Ok(())
}

/// Takes one option out of a label field: the field is read now and written back without it.
fn remove_label_option(client: &mut Client, entry: &Entry) -> Result<bool, AccountError> {
    let (Some(entity), Some(field_id)) = (entry.entity, entry.field_id) else {
        return Ok(false);
    };
    let Some(endpoint) = field_endpoint(entity) else {
        return Ok(false);
    };
    let path = format!("{endpoint}/{field_id}");
    let field = match client.get(&path) {
        Ok(f) => f,
        Err(AccountError::NotFound { .. }) => return Ok(false),
        Err(e) => return Err(e),
    };
    let options = field["options"].as_array().cloned().unwrap_or_default();
    if !options.iter().any(|o| o["id"] == entry.id) {
        return Ok(false);
    }
    let kept: Vec<Value> = options
        .iter()
        .filter(|o| o["id"] != entry.id)
        .map(|o| option_json(&o["id"], &o["label"], o["color"].as_str()))
        .collect();
    client.put(&path, &json!({"options": kept}))?;
    Ok(true)
}
