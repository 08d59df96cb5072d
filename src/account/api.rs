//! Every request pipemap sends to Pipedrive, named once: which API version Pipedrive publishes
//! it under, what it costs from the company's daily token budget, and how its lists page.
//!
//! The versions follow Pipedrive's published OpenAPI documents (API v1 and v2,
//! https://developers.pipedrive.com/docs/api/v1 and …/v2): API v2 for pipelines, stages and the
//! person, organization, deal, product and activity fields (with `/options` for dropdown
//! options); API v1 only where no v2 operation exists — `users/me`, users, activity types, lead
//! labels, currencies, note and lead fields. Pipedrive put the v1 endpoints that have a v2
//! version out of support from 2026-08-01 ("Deprecation of selected API v1 endpoints",
//! developers.pipedrive.com changelog). Costs are the documents' `x-token-cost`
//! (https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting).
//!
//! Nothing here sends anything: [`super::Client`] does, given a [`Call`].

use std::fmt;

use crate::entity::Entity;

/// A version of Pipedrive's API; each has its own root under the company's address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Version {
    V1,
    V2,
}

impl Version {
    /// The path prefix under the company's root: `/api/v1`, `/api/v2`.
    pub fn prefix(self) -> &'static str {
        match self {
            Version::V1 => "/api/v1",
            Version::V2 => "/api/v2",
        }
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Version::V1 => "API v1",
            Version::V2 => "API v2",
        })
    }
}

/// An HTTP method pipemap uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// The method as HTTP writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }

    /// Whether sending it twice does no more than sending it once (a POST may create twice).
    pub fn repeatable(self) -> bool {
        self != Method::Post
    }
}

/// How a list operation pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// One answer holds everything (the operation takes no paging parameters).
    Whole,
    /// API v1: `start` and `limit`; the answer's `additional_data.pagination` says what follows.
    Offset,
    /// API v2: `limit` and `cursor`; the answer's `additional_data.next_cursor` says what follows.
    Cursor,
}

/// The most items a page may hold: the documents' limit for both paging kinds.
pub const PAGE_LIMIT: u32 = 500;

/// What a request's target is, which decides what a 404 means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A collection or an action: a 404 or 410 means the endpoint itself is missing.
    Endpoint,
    /// One item by its id: a 404 means the item is gone.
    Item,
}

/// One request: where it goes and what it costs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call {
    pub version: Version,
    pub method: Method,
    /// The path under the version's root, with ids filled in: `/personFields/abc…/options`.
    pub path: String,
    /// Query parameters besides paging, as the document names them.
    pub query: Vec<(&'static str, String)>,
    /// Tokens it takes from the daily budget (per page for a list).
    pub cost: u32,
    pub paging: Paging,
    pub target: Target,
}

impl Call {
    fn new(version: Version, method: Method, path: impl Into<String>, cost: u32) -> Call {
        Call {
            version,
            method,
            path: path.into(),
            query: Vec::new(),
            cost,
            paging: Paging::Whole,
            target: Target::Endpoint,
        }
    }

    fn paged(mut self, paging: Paging) -> Call {
        self.paging = paging;
        self
    }

    fn item(mut self) -> Call {
        self.target = Target::Item;
        self
    }

    fn with(mut self, key: &'static str, value: &str) -> Call {
        self.query.push((key, value.to_string()));
        self
    }

    /// `/api/v2/personFields`: the path under the company's root, without a query.
    pub fn full_path(&self) -> String {
        format!("{}{}", self.version.prefix(), self.path)
    }
}

impl fmt::Display for Call {
    /// `GET /api/v2/personFields`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method.as_str(), self.full_path())
    }
}

/// The user the token belongs to, with the company's domain (v1 only).
pub fn me() -> Call {
    Call::new(Version::V1, Method::Get, "/users/me", 2)
}

/// The company's users (v1 only; one answer).
pub fn users() -> Call {
    Call::new(Version::V1, Method::Get, "/users", 20)
}

/// Activity types (v1 only; one answer).
pub fn activity_types() -> Call {
    Call::new(Version::V1, Method::Get, "/activityTypes", 20)
}

/// Creates an activity type (v1 only).
pub fn add_activity_type() -> Call {
    Call::new(Version::V1, Method::Post, "/activityTypes", 10)
}

/// Deletes (deactivates) an activity type (v1 only).
pub fn delete_activity_type(id: &str) -> Call {
    Call::new(
        Version::V1,
        Method::Delete,
        format!("/activityTypes/{id}"),
        6,
    )
    .item()
}

/// Lead labels (v1 only; one answer).
pub fn lead_labels() -> Call {
    Call::new(Version::V1, Method::Get, "/leadLabels", 10)
}

/// Creates a lead label (v1 only).
pub fn add_lead_label() -> Call {
    Call::new(Version::V1, Method::Post, "/leadLabels", 10)
}

/// Deletes a lead label (v1 only; its id is a UUID).
pub fn delete_lead_label(id: &str) -> Call {
    Call::new(Version::V1, Method::Delete, format!("/leadLabels/{id}"), 6).item()
}

/// The currencies the company can use (v1 only; one answer).
pub fn currencies() -> Call {
    Call::new(Version::V1, Method::Get, "/currencies", 20)
}

/// Pipelines (v2, by cursor).
pub fn pipelines() -> Call {
    Call::new(Version::V2, Method::Get, "/pipelines", 5).paged(Paging::Cursor)
}

/// Creates a pipeline (v2).
pub fn add_pipeline() -> Call {
    Call::new(Version::V2, Method::Post, "/pipelines", 5)
}

/// Deletes a pipeline (v2).
pub fn delete_pipeline(id: &str) -> Call {
    Call::new(Version::V2, Method::Delete, format!("/pipelines/{id}"), 3).item()
}

/// Stages of every pipeline (v2, by cursor).
pub fn stages() -> Call {
    Call::new(Version::V2, Method::Get, "/stages", 5).paged(Paging::Cursor)
}

/// Creates a stage at the end of its pipeline (v2).
pub fn add_stage() -> Call {
    Call::new(Version::V2, Method::Post, "/stages", 5)
}

/// Deletes a stage (v2).
pub fn delete_stage(id: &str) -> Call {
    Call::new(Version::V2, Method::Delete, format!("/stages/{id}"), 3).item()
}

/// The records of an entity the import wizard created, with one custom field's values (v2 by
/// cursor for organizations, persons and deals; v1 by offset for leads, whose custom fields
/// come with every lead). `None` for entities pipemap does not read back.
pub fn records(entity: Entity, custom_field: Option<&str>) -> Option<Call> {
    let v2 = |path: &str| {
        let call = Call::new(Version::V2, Method::Get, path, 10).paged(Paging::Cursor);
        match custom_field {
            Some(code) => call.with("custom_fields", code),
            None => call,
        }
    };
    Some(match entity {
        Entity::Organization => v2("/organizations"),
        Entity::Person => v2("/persons"),
        Entity::Deal => v2("/deals"),
        Entity::Lead => Call::new(Version::V1, Method::Get, "/leads", 20).paged(Paging::Offset),
        _ => return None,
    })
}

/// Changes a deal's links (v2), or a lead's (v1 only).
pub fn patch_record(entity: Entity, id: &str) -> Option<Call> {
    Some(match entity {
        Entity::Deal => Call::new(Version::V2, Method::Patch, format!("/deals/{id}"), 5).item(),
        Entity::Lead => Call::new(Version::V1, Method::Patch, format!("/leads/{id}"), 10).item(),
        _ => return None,
    })
}

/// Creates an activity (v2).
pub fn add_activity() -> Call {
    Call::new(Version::V2, Method::Post, "/activities", 5)
}

/// Deletes an activity (v2).
pub fn delete_activity(id: &str) -> Call {
    Call::new(Version::V2, Method::Delete, format!("/activities/{id}"), 3).item()
}

/// Creates a note (v1 only).
pub fn add_note() -> Call {
    Call::new(Version::V1, Method::Post, "/notes", 10)
}

/// Deletes a note (v1 only).
pub fn delete_note(id: &str) -> Call {
    Call::new(Version::V1, Method::Delete, format!("/notes/{id}"), 6).item()
}

/// Where an entity's fields are published, and in which shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldEndpoint {
    pub entity: Entity,
    /// `/personFields`.
    pub path: &'static str,
    /// V2: `field_code`, `field_name`, options through `/options`; V1: `key`, `name`.
    pub version: Version,
    /// Whether custom fields can be created there (persons, organizations, deals, products).
    pub writable: bool,
}

/// The field endpoint of every entity that has one. Leads share the deals' custom fields and
/// are written through the deal fields; their own list is read from v1's `/leadFields`.
pub const FIELD_ENDPOINTS: [FieldEndpoint; 7] = [
    fields(Entity::Person, "/personFields", Version::V2, true),
    fields(
        Entity::Organization,
        "/organizationFields",
        Version::V2,
        true,
    ),
    fields(Entity::Deal, "/dealFields", Version::V2, true),
    fields(Entity::Product, "/productFields", Version::V2, true),
    fields(Entity::Activity, "/activityFields", Version::V2, false),
    fields(Entity::Note, "/noteFields", Version::V1, false),
    fields(Entity::Lead, "/leadFields", Version::V1, false),
];

const fn fields(
    entity: Entity,
    path: &'static str,
    version: Version,
    writable: bool,
) -> FieldEndpoint {
    FieldEndpoint {
        entity,
        path,
        version,
        writable,
    }
}

/// The field endpoint of an entity, if it has one.
pub fn field_endpoint(entity: Entity) -> Option<FieldEndpoint> {
    FIELD_ENDPOINTS.into_iter().find(|f| f.entity == entity)
}

/// Where custom fields of an entity are created: its own endpoint, or the deals' for leads.
pub fn writable_fields(entity: Entity) -> Option<FieldEndpoint> {
    let entity = if entity == Entity::Lead {
        Entity::Deal
    } else {
        entity
    };
    field_endpoint(entity).filter(|f| f.writable)
}

impl FieldEndpoint {
    /// Every field of the entity. V2 asks for `required_fields` too, so mandatory fields are
    /// known; v1's note fields come whole, lead fields page by offset.
    pub fn list(self) -> Call {
        match (self.version, self.entity) {
            (Version::V2, _) => Call::new(Version::V2, Method::Get, self.path, 10)
                .paged(Paging::Cursor)
                .with("include_fields", "required_fields"),
            (Version::V1, Entity::Note) => Call::new(Version::V1, Method::Get, self.path, 20),
            (Version::V1, _) => {
                Call::new(Version::V1, Method::Get, self.path, 20).paged(Paging::Offset)
            }
        }
    }

    /// Creates a custom field (v2).
    pub fn add(self) -> Call {
        Call::new(Version::V2, Method::Post, self.path, 5)
    }

    /// One field by its code, with its options (v2).
    pub fn get(self, field_code: &str) -> Call {
        Call::new(
            Version::V2,
            Method::Get,
            format!("{}/{field_code}", self.path),
            1,
        )
        .item()
    }

    /// Deletes a custom field by its code (v2).
    pub fn delete(self, field_code: &str) -> Call {
        Call::new(
            Version::V2,
            Method::Delete,
            format!("{}/{field_code}", self.path),
            3,
        )
        .item()
    }

    /// Adds options to a dropdown, multiple-option or label field (v2).
    pub fn add_options(self, field_code: &str) -> Call {
        Call::new(
            Version::V2,
            Method::Post,
            format!("{}/{field_code}/options", self.path),
            5,
        )
    }

    /// Removes options from a field by their ids (v2).
    pub fn delete_options(self, field_code: &str) -> Call {
        Call::new(
            Version::V2,
            Method::Delete,
            format!("{}/{field_code}/options", self.path),
            3,
        )
        .item()
    }

    /// Deletes a field by the numeric id an earlier pipemap recorded (v1; the document still
    /// publishes it), so manifests written before API v2 can be undone.
    pub fn legacy_delete(self, id: i64) -> Call {
        Call::new(
            Version::V1,
            Method::Delete,
            format!("{}/{id}", self.path),
            6,
        )
        .item()
    }

    /// One field by its numeric id (v1), for undoing an earlier pipemap's option.
    pub fn legacy_get(self, id: i64) -> Call {
        Call::new(Version::V1, Method::Get, format!("{}/{id}", self.path), 2).item()
    }

    /// Rewrites a field's options by its numeric id (v1), for undoing an earlier pipemap's option.
    pub fn legacy_put(self, id: i64) -> Call {
        Call::new(Version::V1, Method::Put, format!("{}/{id}", self.path), 10).item()
    }
}

/// The calls reading the whole account sends, one page each: what `pull` and every `prepare`
/// spend before they create anything.
pub fn account_reads() -> Vec<Call> {
    let mut calls: Vec<Call> = FIELD_ENDPOINTS.iter().map(|f| f.list()).collect();
    calls.extend([
        pipelines(),
        stages(),
        users(),
        activity_types(),
        lead_labels(),
        currencies(),
    ]);
    calls
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipelines_stages_and_writable_fields_are_v2_and_the_rest_v1() {
        assert_eq!(pipelines().full_path(), "/api/v2/pipelines");
        assert_eq!(add_stage().to_string(), "POST /api/v2/stages");
        let person = field_endpoint(Entity::Person).unwrap();
        assert_eq!(
            person.add_options("abc").to_string(),
            "POST /api/v2/personFields/abc/options"
        );
        assert_eq!(person.list().paging, Paging::Cursor);
        assert_eq!(me().version, Version::V1);
        assert_eq!(activity_types().version, Version::V1);
        assert_eq!(
            field_endpoint(Entity::Lead).unwrap().list().to_string(),
            "GET /api/v1/leadFields"
        );
        // Leads' custom fields are the deals'.
        assert_eq!(writable_fields(Entity::Lead).unwrap().path, "/dealFields");
        assert!(writable_fields(Entity::Note).is_none());
        assert!(writable_fields(Entity::Activity).is_none());
    }

    #[test]
    fn only_item_requests_read_a_404_as_gone() {
        assert_eq!(delete_stage("4").target, Target::Item);
        assert_eq!(stages().target, Target::Endpoint);
        assert_eq!(add_pipeline().target, Target::Endpoint);
    }

    #[test]
    fn reading_the_account_costs_what_the_documents_say() {
        let total: u32 = account_reads().iter().map(|c| c.cost).sum();
        // 5 v2 field lists × 10, note and lead fields 20 each, pipelines 5, stages 5,
        // users 20, activity types 20, lead labels 10, currencies 20.
        assert_eq!(total, 50 + 40 + 5 + 5 + 20 + 20 + 10 + 20);
    }
}
