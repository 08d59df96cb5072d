//! The HTTP side of talking to Pipedrive's API v1: where requests go, how the token travels,
//! and what happens when the answer is slow, refused or rate limited.
//!
//! - The token goes in the `x-api-token` header, never in a URL, so no URL pipemap shows or
//!   a proxy logs carries it (https://pipedrive.readme.io/docs/core-api-concepts-authentication).
//! - Requests go to `https://<company>.pipedrive.com/api/v1`; the company comes from
//!   `--domain` or from `GET https://api.pipedrive.com/v1/users/me`, whose answer carries
//!   `company_domain` (https://pipedrive.readme.io/docs/marketplace-getting-user-data).
//!   An API URL override (tests, proxies) must be HTTPS, or plain HTTP to a loopback address.
//! - List endpoints page with `start`/`limit`; the answer's
//!   `additional_data.pagination.more_items_in_collection` and `next_start` say what follows
//!   (https://pipedrive.readme.io/docs/core-api-concepts-pagination).
//! - 429 answers carry `Retry-After` (seconds), every answer `x-ratelimit-reset`
//!   (https://pipedrive.readme.io/docs/core-api-concepts-rate-limiting); pipemap waits that
//!   long, telling the caller each second so the user sees a countdown.

use std::time::Duration;

use serde_json::Value;

use super::endpoint::{check_api_url, check_domain, company_url, host_of, redact_url};
use super::{AccountError, Token};

/// The page size asked of list endpoints (the API's maximum).
const PAGE_LIMIT: u64 = 500;
/// Rate-limit waits in a row before giving up: the limit window is seconds long, so more
/// than this means something else is wrong.
const MAX_RATE_WAITS: u32 = 10;
/// The longest single rate-limit wait honoured.
const MAX_WAIT_SECONDS: u64 = 120;

/// How to reach the account.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The company subdomain (`acme` for acme.pipedrive.com); asked of the API when `None`.
    pub domain: Option<String>,
    /// Replaces `https://<company>.pipedrive.com/api/v1` (tests, proxies).
    pub api_url: Option<String>,
    /// The longest one request may take.
    pub timeout: Duration,
    /// How often a failed read (5xx, timeout, network) is tried again.
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
    /// Pipedrive's rate limit was hit; requests resume in this many seconds.
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
    base: String,
    token: Token,
    retries: u32,
    timeout: Duration,
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
        let (base, loopback) = match (&settings.api_url, &domain) {
            (Some(url), _) => check_api_url(url)?,
            (None, Some(d)) => (company_url(d), false),
            (None, None) => (super::endpoint::DISCOVERY_URL.to_string(), false),
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
            base,
            token,
            retries: settings.retries,
            timeout: settings.timeout,
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
            client.base = company_url(&check_domain(&me.company_domain)?);
        }
        Ok((client, me))
    }

    /// The API root requests go to, as safe to show (no token is ever in it).
    pub fn api_url(&self) -> &str {
        &self.base
    }

    fn me(&mut self) -> Result<Me, AccountError> {
        let data = self.get("/users/me")?;
        let text = |k: &str| data.get(k).and_then(Value::as_str).map(str::to_string);
        let company_domain = text("company_domain").ok_or_else(|| AccountError::Unexpected {
            url: self.shown("/users/me"),
            message: "the answer names no company_domain".into(),
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
    pub fn get(&mut self, path: &str) -> Result<Value, AccountError> {
        let body = self.send("GET", path, None)?;
        Ok(body.get("data").cloned().unwrap_or(Value::Null))
    }

    /// Every item of a list endpoint, page after page.
    pub fn get_all(&mut self, path: &str) -> Result<Vec<Value>, AccountError> {
        let mut items = Vec::new();
        let mut start = 0u64;
        loop {
            let sep = if path.contains('?') { '&' } else { '?' };
            let page = format!("{path}{sep}start={start}&limit={PAGE_LIMIT}");
            let body = self.send("GET", &page, None)?;
            match body.get("data") {
                Some(Value::Array(data)) => items.extend(data.iter().cloned()),
                Some(Value::Null) | None => {}
                Some(_) => {
                    return Err(AccountError::Unexpected {
                        url: self.shown(path),
                        message: "\"data\" is not a list".into(),
                    });
                }
            }
            let pagination = &body["additional_data"]["pagination"];
            let more = pagination["more_items_in_collection"]
                .as_bool()
                .unwrap_or(false);
            match pagination["next_start"].as_u64() {
                // A next_start that does not move forward would loop for ever.
                Some(next) if more && next > start => start = next,
                _ => return Ok(items),
            }
        }
    }

    /// `data` of a POST with a JSON body. Not retried after a timeout or a 5xx: the item may
    /// have been created, and the next run sees it in the account instead of creating it twice.
    pub fn post(&mut self, path: &str, body: &Value) -> Result<Value, AccountError> {
        let body = self.send("POST", path, Some(body))?;
        Ok(body.get("data").cloned().unwrap_or(Value::Null))
    }

    /// `data` of a PUT with a JSON body (a PUT sends the whole state, so a retry is safe).
    pub fn put(&mut self, path: &str, body: &Value) -> Result<Value, AccountError> {
        let body = self.send("PUT", path, Some(body))?;
        Ok(body.get("data").cloned().unwrap_or(Value::Null))
    }

    /// Deletes an item; `Ok(false)` when it was already gone (404).
    pub fn delete(&mut self, path: &str) -> Result<bool, AccountError> {
        match self.send("DELETE", path, None) {
            Ok(_) => Ok(true),
            Err(AccountError::NotFound { .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn shown(&self, path: &str) -> String {
        redact_url(&format!("{}{}", self.base, path))
    }

    fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, AccountError> {
        let url = format!("{}{}", self.base, path);
        let shown = redact_url(&url);
        // Reads, PUTs and DELETEs change nothing when repeated; a POST might create twice.
        let repeatable = method != "POST";
        let mut attempt = 0u32;
        let mut rate_waits = 0u32;
        loop {
            let failure = match self.call(method, &url, body) {
                Ok((status, headers, text)) => match status {
                    200..=299 => return self.parse_ok(&shown, &text),
                    429 => {
                        rate_waits += 1;
                        if rate_waits > MAX_RATE_WAITS {
                            return Err(AccountError::RateLimited { url: shown });
                        }
                        self.countdown(wait_seconds(&headers));
                        continue;
                    }
                    401 => return Err(AccountError::Unauthorized),
                    403 => {
                        return Err(AccountError::Forbidden {
                            action: describe(method, path),
                        });
                    }
                    404 => return Err(AccountError::NotFound { url: shown }),
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
                },
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
            if attempt >= self.retries || !repeatable {
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
                what: format!("{method} {shown}"),
                reason,
                attempt,
                of: self.retries,
            });
            std::thread::sleep(backoff(attempt));
        }
    }

    fn call(
        &self,
        method: &str,
        url: &str,
        body: Option<&Value>,
    ) -> Result<(u16, ureq::http::HeaderMap, String), ureq::Error> {
        let token = self.token.expose();
        let mut response = match (method, body) {
            ("GET", _) => self
                .agent
                .get(url)
                .header("x-api-token", token)
                .header("accept", "application/json")
                .call()?,
            ("DELETE", _) => self
                .agent
                .delete(url)
                .header("x-api-token", token)
                .header("accept", "application/json")
                .call()?,
            ("PUT", Some(b)) => self
                .agent
                .put(url)
                .header("x-api-token", token)
                .header("accept", "application/json")
                .send_json(b)?,
            (_, b) => self
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

    fn parse_ok(&self, shown: &str, text: &str) -> Result<Value, AccountError> {
        let value: Value = serde_json::from_str(text).map_err(|e| AccountError::Unexpected {
            url: shown.to_string(),
            message: format!("the answer is not JSON ({e})"),
        })?;
        if value.get("success") == Some(&Value::Bool(false)) {
            return Err(AccountError::Unexpected {
                url: shown.to_string(),
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

fn is_network(e: &ureq::Error) -> bool {
    matches!(
        e,
        ureq::Error::Io(_) | ureq::Error::HostNotFound | ureq::Error::ConnectionFailed
    )
}

/// Seconds to wait after a 429: `Retry-After`, else `x-ratelimit-reset`, else 2 (the
/// limit's window).
fn wait_seconds(headers: &ureq::http::HeaderMap) -> u64 {
    let number = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .filter(|v| v.is_finite() && *v >= 0.0)
            .map(|v| v.ceil() as u64)
    };
    number("retry-after")
        .or_else(|| number("x-ratelimit-reset"))
        .unwrap_or(2)
        .clamp(1, MAX_WAIT_SECONDS)
}

fn backoff(attempt: u32) -> Duration {
    Duration::from_millis(500u64.saturating_mul(1 << attempt.min(4)) / 2)
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
fn describe(method: &str, path: &str) -> String {
    let what = path
        .trim_start_matches('/')
        .split(['/', '?'])
        .next()
        .unwrap_or(path);
    match method {
        "GET" => format!("read {what}"),
        "POST" => format!("create {what}"),
        "PUT" => format!("change {what}"),
        "DELETE" => format!("delete {what}"),
        _ => format!("use {what}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_limit_waits_follow_the_headers() {
        let mut h = ureq::http::HeaderMap::new();
        assert_eq!(wait_seconds(&h), 2);
        h.insert("x-ratelimit-reset", "3".parse().unwrap());
        assert_eq!(wait_seconds(&h), 3);
        h.insert("retry-after", "1".parse().unwrap());
        assert_eq!(wait_seconds(&h), 1);
    }
}
