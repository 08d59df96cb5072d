//! The HTTP side of talking to Pipedrive's API: where requests go, how the token travels,
//! how lists page, and what happens when the answer is slow, refused or rate limited.
//!
//! - The token goes in the `x-api-token` header, never in a URL, so no URL pipemap shows or
//!   a proxy logs carries it (https://pipedrive.readme.io/docs/core-api-concepts-authentication).
//! - Requests go to the company's root, `https://<company>.pipedrive.com`, under `/api/v1` or
//!   `/api/v2` as [`super::api`] says for each; the company comes from `--domain` or from
//!   `GET https://api.pipedrive.com/api/v1/users/me`, whose answer carries `company_domain`
//!   (https://pipedrive.readme.io/docs/marketplace-getting-user-data). A root given with
//!   `--api-url` (tests, proxies) must be HTTPS, or plain HTTP to a loopback address.
//! - Lists page as their version does (https://pipedrive.readme.io/docs/core-api-concepts-pagination):
//!   v1 with `start`/`limit` and `additional_data.pagination`, v2 with `limit`/`cursor` and
//!   `additional_data.next_cursor`; 500 items a page, the documents' maximum.
//! - Rate limits are counted in [`super::budget`]: a full burst window is waited out before
//!   the next request, a 429 as long as it says (each second told to the caller, so the user
//!   sees a countdown), and a spent daily budget stops the run with the time it resets.

use std::time::Duration;

use serde_json::Value;

use super::api::{self, Call, Method, PAGE_LIMIT, Paging, Target};
use super::budget::{self, Budget, Throttle};
use super::endpoint::{DISCOVERY_ROOT, check_api_url, check_domain, company_root, host_of};
use super::{AccountError, Token};

/// Rate-limit waits in a row before giving up: the burst window is 2 seconds long, so more
/// than this means something else is wrong.
const MAX_RATE_WAITS: u32 = 10;
/// Pages of one list before pipemap stops following cursors (500 items each: far beyond any
/// account's fields, pipelines or stages), so an API that never ends a list cannot loop.
const MAX_PAGES: usize = 1000;

/// How to reach the account.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The company subdomain (`acme` for acme.pipedrive.com); asked of the API when `None`.
    pub domain: Option<String>,
    /// The company's root instead of `https://<company>.pipedrive.com` (tests, proxies);
    /// pipemap adds `/api/v1` or `/api/v2` itself.
    pub api_url: Option<String>,
    /// The longest one request may take.
    pub timeout: Duration,
    /// How often a failed read is tried again.
    pub retries: u32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            domain: None,
            api_url: None,
            timeout: Duration::from_secs(30),
            retries: 3,
        }
    }
}

/// What the client tells its caller while it waits, so a terminal can show it.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// Pipedrive's rate limit was hit (or the burst window is full); requests resume in this
    /// many seconds.
    RateLimited { seconds_left: u64 },
    /// A request failed and is tried again after a pause.
    Retrying {
        what: String,
        reason: String,
        attempt: u32,
        of: u32,
    },
    /// A wait ended.
    Resumed,
}

impl std::fmt::Display for Notice {
    /// The sentence a terminal or the UI shows for it.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::RateLimited { seconds_left } => write!(
                f,
                "Pipedrive's rate limit was reached; resuming in {seconds_left} s"
            ),
            Notice::Resumed => f.write_str("Pipedrive's rate limit: resuming now."),
            Notice::Retrying {
                what,
                reason,
                attempt,
                of,
            } => write!(f, "{what}: {reason}; trying again ({attempt} of {of})."),
        }
    }
}

/// The user the token belongs to and that user's company.
#[derive(Debug, Clone, PartialEq)]
pub struct Me {
    pub name: String,
    pub email: String,
    pub company_domain: String,
    pub company_name: Option<String>,
    pub default_currency: Option<String>,
}

/// An authenticated connection to one company's API.
pub struct Client {
    agent: ureq::Agent,
    /// The company's root, without `/api/vN`.
    root: String,
    token: Token,
    retries: u32,
    timeout: Duration,
    budget: Budget,
    notify: Box<dyn FnMut(&Notice)>,
}

impl Client {
    /// Checks where requests would go, then asks `users/me` who the token belongs to.
    pub fn connect(
        token: Token,
        settings: &Settings,
        notify: Box<dyn FnMut(&Notice)>,
    ) -> Result<(Client, Me), AccountError> {
        let domain = settings.domain.as_deref().map(check_domain).transpose()?;
        let (root, loopback) = match (&settings.api_url, &domain) {
            (Some(url), _) => check_api_url(url)?,
            (None, Some(d)) => (company_root(d), false),
            (None, None) => (DISCOVERY_ROOT.to_string(), false),
        };
        let mut config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(settings.timeout))
            // A redirect could carry the token header to another host: none is followed.
            .max_redirects(0)
            .user_agent(concat!("pipemap/", env!("CARGO_PKG_VERSION")));
        if loopback {
            config = config.proxy(None);
        }
        let mut client = Client {
            agent: config.build().into(),
            root,
            token,
            retries: settings.retries,
            timeout: settings.timeout,
            budget: Budget::default(),
            notify,
        };
        let me = client.me()?;
        if let Some(d) = &domain
            && !d.eq_ignore_ascii_case(&me.company_domain)
        {
            return Err(AccountError::WrongCompany {
                asked: d.clone(),
                token: me.company_domain.clone(),
            });
        }
        if settings.api_url.is_none() && domain.is_none() {
            client.root = company_root(&check_domain(&me.company_domain)?);
        }
        Ok((client, me))
    }

    /// The company's root requests go to, as safe to show (no token is ever in it).
    pub fn api_url(&self) -> &str {
        &self.root
    }

    /// What this connection's requests spent, and what the answers said is left.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    fn me(&mut self) -> Result<Me, AccountError> {
        let call = api::me();
        let data = self.get(&call)?;
        let text = |k: &str| data.get(k).and_then(Value::as_str).map(str::to_string);
        let company_domain = text("company_domain").ok_or_else(|| AccountError::Answer {
            call: call.to_string(),
            key: "data.company_domain".into(),
            problem: "missing".into(),
        })?;
        Ok(Me {
            name: text("name").unwrap_or_default(),
            email: text("email").unwrap_or_default(),
            company_domain,
            company_name: text("company_name"),
            default_currency: text("default_currency"),
        })
    }

    /// `data` of a GET.
    pub fn get(&mut self, call: &Call) -> Result<Value, AccountError> {
        let body = self.send(call, &[], None)?;
        Ok(body.get("data").cloned().unwrap_or(Value::Null))
    }

    /// Every item of a list, page after page as the call's version pages.
    pub fn get_all(&mut self, call: &Call) -> Result<Vec<Value>, AccountError> {
        let mut items = Vec::new();
        let mut page = Page::First;
        for _ in 0..MAX_PAGES {
            let paging = page.query(call.paging);
            let body = self.send(call, &paging, None)?;
            match body.get("data") {
                Some(Value::Array(data)) => items.extend(data.iter().cloned()),
                Some(Value::Null) | None => {}
                Some(_) => return Err(answer(call, "data", "not a list")),
            }
            page = match next_page(call, &body, &page)? {
                Some(next) => next,
                None => return Ok(items),
            };
        }
        Err(answer(
            call,
            "additional_data",
            &format!("the list did not end after {MAX_PAGES} pages"),
        ))
    }

    /// `data` of a POST with a JSON body. Not retried after a timeout or a 5xx: the item may
    /// have been created, and the next run sees it in the account instead of creating it twice.
    pub fn post(&mut self, call: &Call, body: &Value) -> Result<Value, AccountError> {
        let body = self.send(call, &[], Some(body))?;
        Ok(body.get("data").cloned().unwrap_or(Value::Null))
    }

    /// `data` of a PATCH with a JSON body (it sets the fields it names, so a retry is safe).
    pub fn patch(&mut self, call: &Call, body: &Value) -> Result<Value, AccountError> {
        let body = self.send(call, &[], Some(body))?;
        Ok(body.get("data").cloned().unwrap_or(Value::Null))
    }

    /// `data` of a PUT with a JSON body (a PUT sends the whole state, so a retry is safe).
    pub fn put(&mut self, call: &Call, body: &Value) -> Result<Value, AccountError> {
        let body = self.send(call, &[], Some(body))?;
        Ok(body.get("data").cloned().unwrap_or(Value::Null))
    }

    /// Deletes an item (some deletions take a body: the ids of options to remove);
    /// `Ok(false)` when it was already gone (404).
    pub fn delete(&mut self, call: &Call, body: Option<&Value>) -> Result<bool, AccountError> {
        match self.send(call, &[], body) {
            Ok(_) => Ok(true),
            Err(AccountError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn send(
        &mut self,
        call: &Call,
        paging: &[(&'static str, String)],
        body: Option<&Value>,
    ) -> Result<Value, AccountError> {
        let url = format!("{}{}", self.root, call.full_path());
        let shown = call.to_string();
        let mut attempt = 0u32;
        let mut rate_waits = 0u32;
        loop {
            if let Some(seconds) = self.budget.pause_before_next() {
                self.countdown(seconds);
                self.budget.burst_left = None;
            }
            self.budget.spend(call.cost);
            let failure = match self.call(call, &url, paging, body) {
                Ok((status, headers, text)) => {
                    self.budget.observe(&headers);
                    match status {
                        200..=299 => return self.parse_ok(call, &text),
                        429 => match budget::throttle(&headers, jiff::Timestamp::now()) {
                            Throttle::DaySpent { resets } => {
                                return Err(AccountError::DailyBudgetSpent {
                                    call: shown,
                                    resets,
                                });
                            }
                            Throttle::Wait(_) if rate_waits >= MAX_RATE_WAITS => {
                                return Err(AccountError::RateLimited { url: shown });
                            }
                            Throttle::Wait(seconds) => {
                                rate_waits += 1;
                                self.countdown(seconds);
                                continue;
                            }
                        },
                        401 => return Err(AccountError::Unauthorized),
                        403 => {
                            return Err(AccountError::Forbidden {
                                action: describe(call),
                            });
                        }
                        404 if call.target == Target::Item => {
                            return Err(AccountError::NotFound { url: shown });
                        }
                        404 | 405 | 410 => {
                            return Err(AccountError::EndpointMissing {
                                call: shown,
                                host: host_of(&url),
                                status,
                                version: call.version,
                            });
                        }
                        500..=599 => AccountError::Server {
                            url: shown.clone(),
                            reason: format!("HTTP {status}"),
                        },
                        _ => {
                            return Err(AccountError::Refused {
                                url: shown,
                                status,
                                message: self.redact(&api_error(&text)),
                            });
                        }
                    }
                }
                Err(ureq::Error::Timeout(_)) => AccountError::Timeout {
                    url: shown.clone(),
                    seconds: self.timeout.as_secs_f64(),
                },
                Err(e) if is_network(&e) => AccountError::Network {
                    host: host_of(&url),
                    reason: self.redact(&e.to_string()),
                },
                Err(e) => {
                    return Err(AccountError::Unexpected {
                        url: shown,
                        message: self.redact(&e.to_string()),
                    });
                }
            };
            // Reads, PUTs and DELETEs change nothing when repeated; a POST might create twice.
            if attempt >= self.retries || !call.method.repeatable() {
                return Err(failure);
            }
            attempt += 1;
            let reason = match &failure {
                AccountError::Server { reason, .. } | AccountError::Network { reason, .. } => {
                    reason.clone()
                }
                AccountError::Timeout { seconds, .. } => format!("no answer within {seconds} s"),
                other => other.to_string(),
            };
            (self.notify)(&Notice::Retrying {
                what: shown.clone(),
                reason,
                attempt,
                of: self.retries,
            });
            std::thread::sleep(budget::backoff(attempt));
        }
    }

    fn call(
        &self,
        call: &Call,
        url: &str,
        paging: &[(&'static str, String)],
        body: Option<&Value>,
    ) -> Result<(u16, ureq::http::HeaderMap, String), ureq::Error> {
        let token = self.token.expose();
        let query = call.query.iter().chain(paging);
        let mut response = match (call.method, body) {
            (Method::Get, _) => {
                let mut request = self.agent.get(url);
                for (k, v) in query {
                    request = request.query(*k, v);
                }
                request
                    .header("x-api-token", token)
                    .header("accept", "application/json")
                    .call()?
            }
            (Method::Delete, None) => self
                .agent
                .delete(url)
                .header("x-api-token", token)
                .header("accept", "application/json")
                .call()?,
            (Method::Delete, Some(b)) => self
                .agent
                .delete(url)
                .header("x-api-token", token)
                .header("accept", "application/json")
                .force_send_body()
                .send_json(b)?,
            (Method::Patch, b) => self
                .agent
                .patch(url)
                .header("x-api-token", token)
                .header("accept", "application/json")
                .send_json(b.unwrap_or(&Value::Null))?,
            (Method::Put, b) => self
                .agent
                .put(url)
                .header("x-api-token", token)
                .header("accept", "application/json")
                .send_json(b.unwrap_or(&Value::Null))?,
            (Method::Post, b) => self
                .agent
                .post(url)
                .header("x-api-token", token)
                .header("accept", "application/json")
                .send_json(b.unwrap_or(&Value::Null))?,
        };
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.body_mut().read_to_string()?;
        Ok((status, headers, text))
    }

    fn parse_ok(&self, call: &Call, text: &str) -> Result<Value, AccountError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| answer(call, "(body)", &format!("not JSON ({e})")))?;
        if !value.is_object() {
            return Err(answer(call, "(body)", "not a JSON object"));
        }
        if value.get("success") == Some(&Value::Bool(false)) {
            return Err(AccountError::Unexpected {
                url: call.to_string(),
                message: self.redact(&api_error(text)),
            });
        }
        Ok(value)
    }

    fn countdown(&mut self, seconds: u64) {
        for left in (1..=seconds).rev() {
            (self.notify)(&Notice::RateLimited { seconds_left: left });
            std::thread::sleep(Duration::from_secs(1));
        }
        (self.notify)(&Notice::Resumed);
    }

    /// Text from the server, with the token cut out should the server echo it.
    fn redact(&self, text: &str) -> String {
        let token = self.token.expose();
        if token.is_empty() {
            text.to_string()
        } else {
            text.replace(token, "[token]")
        }
    }
}

/// Where a list stands.
#[derive(Debug, Clone, PartialEq)]
enum Page {
    First,
    /// v1: the next item's offset.
    Start(u64),
    /// v2: the cursor the last answer gave.
    Cursor(String),
}

impl Page {
    /// The paging parameters of this page, as the call's version names them.
    fn query(&self, paging: Paging) -> Vec<(&'static str, String)> {
        let limit = ("limit", PAGE_LIMIT.to_string());
        match (paging, self) {
            (Paging::Whole, _) => Vec::new(),
            (Paging::Offset, Page::Start(n)) => vec![("start", n.to_string()), limit],
            (Paging::Offset, _) => vec![("start", "0".into()), limit],
            (Paging::Cursor, Page::Cursor(c)) => vec![limit, ("cursor", c.clone())],
            (Paging::Cursor, _) => vec![limit],
        }
    }
}

/// The page after this one, or `None` at the end of the list.
fn next_page(call: &Call, body: &Value, page: &Page) -> Result<Option<Page>, AccountError> {
    let additional = &body["additional_data"];
    match call.paging {
        Paging::Whole => Ok(None),
        Paging::Offset => {
            let pagination = &additional["pagination"];
            let more = pagination["more_items_in_collection"]
                .as_bool()
                .unwrap_or(false);
            let start = match page {
                Page::Start(n) => *n,
                _ => 0,
            };
            match pagination["next_start"].as_u64() {
                // A next_start that does not move forward would loop for ever.
                Some(next) if more && next > start => Ok(Some(Page::Start(next))),
                _ => Ok(None),
            }
        }
        Paging::Cursor => match &additional["next_cursor"] {
            Value::Null => Ok(None),
            Value::String(c) if c.is_empty() => Ok(None),
            Value::String(c) if *page == Page::Cursor(c.clone()) => Err(answer(
                call,
                "additional_data.next_cursor",
                "the same cursor twice",
            )),
            Value::String(c) => Ok(Some(Page::Cursor(c.clone()))),
            _ => Err(answer(call, "additional_data.next_cursor", "not text")),
        },
    }
}

fn answer(call: &Call, key: &str, problem: &str) -> AccountError {
    AccountError::Answer {
        call: call.to_string(),
        key: key.to_string(),
        problem: problem.to_string(),
    }
}

fn is_network(e: &ureq::Error) -> bool {
    matches!(
        e,
        ureq::Error::Io(_) | ureq::Error::HostNotFound | ureq::Error::ConnectionFailed
    )
}

/// The `error` text of a Pipedrive error body, or the body's start.
fn api_error(text: &str) -> String {
    let parsed: Option<Value> = serde_json::from_str(text).ok();
    let message = parsed
        .as_ref()
        .and_then(|v| v.get("error"))
        .and_then(Value::as_str)
        .map(str::to_string);
    message.unwrap_or_else(|| text.chars().take(200).collect())
}

/// What a request was trying to do, for a 403 sentence.
fn describe(call: &Call) -> String {
    let what = call
        .path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or(&call.path);
    match call.method {
        Method::Get => format!("read {what}"),
        Method::Post => format!("create {what}"),
        Method::Put | Method::Patch => format!("change {what}"),
        Method::Delete => format!("delete {what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v1_lists_page_by_offset_and_v2_lists_by_cursor() {
        let v2 = api::pipelines();
        assert_eq!(Page::First.query(v2.paging), vec![("limit", "500".into())]);
        let body = json!({"data": [], "additional_data": {"next_cursor": "abc"}});
        let next = next_page(&v2, &body, &Page::First).unwrap().unwrap();
        assert_eq!(
            next.query(v2.paging),
            vec![("limit", "500".into()), ("cursor", "abc".into())]
        );
        let end = json!({"data": [], "additional_data": {"next_cursor": null}});
        assert_eq!(next_page(&v2, &end, &next).unwrap(), None);
        // A cursor that does not move is an error naming the key, not an endless loop.
        let err = next_page(&v2, &body, &next).unwrap_err().to_string();
        assert!(err.contains("additional_data.next_cursor"), "{err}");

        let v1 = api::field_endpoint(crate::entity::Entity::Lead)
            .unwrap()
            .list();
        let body = json!({"additional_data": {"pagination":
            {"more_items_in_collection": true, "next_start": 500}}});
        let next = next_page(&v1, &body, &Page::First).unwrap().unwrap();
        assert_eq!(
            next.query(v1.paging),
            vec![("start", "500".into()), ("limit", "500".into())]
        );
        // A whole list takes no paging parameters at all.
        assert!(Page::First.query(api::users().paging).is_empty());
    }

    #[test]
    fn a_forbidden_request_is_named_by_what_it_tried() {
        assert_eq!(describe(&api::add_stage()), "create stages");
        assert_eq!(describe(&api::delete_pipeline("3")), "delete pipelines");
    }
}
