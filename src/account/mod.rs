//! The Pipedrive account over its API: read it into a snapshot every command uses as its
//! schema ([`pull`]), create what an export's plan lacks and undo that ([`prepare`]). No UI
//! code: progress reaches the caller as [`client::Notice`]s, results as values.
//!
//! The API token is held in a [`Token`] that neither prints nor serialises; it travels only
//! in the `x-api-token` header to the account's own host.

pub mod api;
pub mod budget;
pub mod client;
pub mod create;
pub mod diff;
pub mod endpoint;
pub mod link;
pub mod manifest;
pub mod prepare;
pub mod pull;
pub mod remote;
pub mod undo;

use std::fmt;
use std::path::Path;

pub use client::{Client, Me, Notice, Settings};

/// The environment variable the token is read from when no `--token-file` is given.
pub const TOKEN_VARIABLE: &str = "PIPEDRIVE_API_TOKEN";

/// A Pipedrive API token. Its `Debug` shows nothing of it and it has no `Display`, so no
/// message, log or file written through formatting can carry it.
#[derive(Clone)]
pub struct Token(String);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token([hidden])")
    }
}

/// How large a `--token-file` may be.
pub const MAX_TOKEN_FILE_BYTES: u64 = 4096;

impl Token {
    /// A token from text (surrounding white space dropped).
    pub fn new(text: &str) -> Result<Token, AccountError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(AccountError::NoToken);
        }
        // It goes into a header: control characters or spaces would break the request.
        if t.bytes().any(|b| !b.is_ascii_graphic()) {
            return Err(AccountError::MalformedToken);
        }
        Ok(Token(t.to_string()))
    }

    /// The token from `--token-file` when given, else from `PIPEDRIVE_API_TOKEN`.
    pub fn from_file_or_env(file: Option<&Path>) -> Result<Token, AccountError> {
        match file {
            Some(path) => {
                use std::io::Read;
                let failed = |source| AccountError::TokenFile {
                    path: path.display().to_string(),
                    error: source,
                };
                // A token is 40 characters: read a little past the cap, never a whole
                // `/dev/zero` or a log file given by mistake.
                let mut bytes = Vec::new();
                std::fs::File::open(path)
                    .and_then(|f| f.take(MAX_TOKEN_FILE_BYTES + 1).read_to_end(&mut bytes))
                    .map_err(failed)?;
                if bytes.len() as u64 > MAX_TOKEN_FILE_BYTES {
                    return Err(AccountError::TokenFileTooLarge {
                        path: path.display().to_string(),
                    });
                }
                let text = String::from_utf8(bytes).map_err(|_| AccountError::MalformedToken)?;
                Token::new(&text)
            }
            None => match std::env::var(TOKEN_VARIABLE) {
                Ok(text) => Token::new(&text),
                Err(_) => Err(AccountError::NoToken),
            },
        }
    }

    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

/// Why talking to the account failed. Every message is one sentence a user can act on, and
/// none holds the token.
#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error(
        "no API token: set {TOKEN_VARIABLE} or give --token-file (Pipedrive: Personal preferences → API)"
    )]
    NoToken,
    #[error(
        "the API token holds spaces or control characters; copy it again from Personal preferences → API"
    )]
    MalformedToken,
    #[error(
        "{path}: refused: a token file holds one API token, and this one is larger than the limit of {MAX_TOKEN_FILE_BYTES} bytes"
    )]
    TokenFileTooLarge { path: String },
    /// The error's text is part of the message (not a separate cause), so it reads once.
    #[error("{path}: cannot read the token file: {error}")]
    TokenFile { path: String, error: std::io::Error },
    #[error("--domain {domain:?} is not a Pipedrive company name (the part before .pipedrive.com)")]
    BadDomain { domain: String },
    #[error("refusing the API URL {url}: {why}")]
    BadApiUrl { url: String, why: String },
    #[error("the API token belongs to the company {token:?}, not {asked:?}")]
    WrongCompany { asked: String, token: String },
    #[error("Pipedrive refused the API token (401): copy it again from Personal preferences → API")]
    Unauthorized,
    #[error(
        "the token's user has no permission to {action} (403): ask an admin of the Pipedrive account for it"
    )]
    Forbidden { action: String },
    #[error("cannot reach {host}: {reason}; check the network connection and try again")]
    Network { host: String, reason: String },
    #[error(
        "{url} gave no answer within {seconds} s, also after retries; try again later or raise --timeout"
    )]
    Timeout { url: String, seconds: f64 },
    #[error("Pipedrive failed to answer {url} ({reason}), also after retries; try again later")]
    Server { url: String, reason: String },
    #[error("Pipedrive kept asking to slow down at {url}; try again in a minute")]
    RateLimited { url: String },
    #[error("{url}: not found (404)")]
    NotFound { url: String },
    #[error(
        "{host} answered {call} with HTTP {status}: pipemap needs this endpoint of Pipedrive {version}; check that --api-url names the company's root (https://NAME.pipedrive.com) and that the account's API offers {version}"
    )]
    EndpointMissing {
        call: String,
        host: String,
        status: u16,
        version: api::Version,
    },
    #[error(
        "{call}: the company's daily API budget is spent; it resets at {resets}. What was done is recorded; run the same command again after that"
    )]
    DailyBudgetSpent { call: String, resets: String },
    #[error("{call}: the answer does not match Pipedrive's published API: {key}: {problem}")]
    Answer {
        call: String,
        key: String,
        problem: String,
    },
    #[error("Pipedrive refused {url} (HTTP {status}): {message}")]
    Refused {
        url: String,
        status: u16,
        message: String,
    },
    #[error("{url}: unexpected answer: {message}")]
    Unexpected { url: String, message: String },
    #[error("{path}: {message}")]
    Export { path: String, message: String },
    #[error("{path}: {error}")]
    Io { path: String, error: std::io::Error },
    #[error(transparent)]
    Schema(#[from] crate::schema::SchemaError),
}

/// Exit code for a bad or unauthorised token.
pub const EXIT_AUTH: u8 = 4;
/// Exit code for a network failure, a timeout or the server failing.
pub const EXIT_NETWORK: u8 = 5;

impl AccountError {
    /// The process exit code this failure maps to: 4 for the token (401, 403), 5 for the
    /// network or the server, 2 for bad usage or input.
    pub fn exit_code(&self) -> u8 {
        match self {
            AccountError::Unauthorized
            | AccountError::Forbidden { .. }
            | AccountError::WrongCompany { .. } => EXIT_AUTH,
            AccountError::Network { .. }
            | AccountError::Timeout { .. }
            | AccountError::Server { .. }
            | AccountError::RateLimited { .. }
            | AccountError::Refused { .. }
            | AccountError::Unexpected { .. }
            | AccountError::NotFound { .. }
            | AccountError::EndpointMissing { .. }
            | AccountError::DailyBudgetSpent { .. }
            | AccountError::Answer { .. } => EXIT_NETWORK,
            _ => 2,
        }
    }
}

/// Now, as RFC 3339, for snapshots and manifests.
pub(crate) fn now() -> String {
    jiff::Timestamp::now()
        .round(jiff::Unit::Second)
        .map_or_else(|_| jiff::Timestamp::now().to_string(), |t| t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_never_formats() {
        let token = Token::new("  abc123secret\n").unwrap();
        assert_eq!(token.expose(), "abc123secret");
        assert!(!format!("{token:?}").contains("abc123"));
        assert!(matches!(Token::new(" "), Err(AccountError::NoToken)));
        assert!(matches!(
            Token::new("a b"),
            Err(AccountError::MalformedToken)
        ));
    }
}
