//! Where requests may go: the company's root, `https://<company>.pipedrive.com`, the company
//! named by `--domain` or by `GET https://api.pipedrive.com/api/v1/users/me`
//! (https://pipedrive.readme.io/docs/how-to-get-the-company-domain); the client adds `/api/v1`
//! or `/api/v2` to it. A root given with `--api-url` (tests, proxies) must be HTTPS, or plain
//! HTTP to a loopback address, and may not carry a token.

use std::net::IpAddr;

use ureq::http::Uri;

use super::AccountError;

/// Where the company domain is asked for when `--domain` is not given.
pub(super) const DISCOVERY_ROOT: &str = "https://api.pipedrive.com";

/// The root of a company's API.
pub(super) fn company_root(domain: &str) -> String {
    format!("https://{domain}.pipedrive.com")
}

/// A company subdomain: letters, digits and hyphens, so it can only name a pipedrive.com host.
pub(super) fn check_domain(domain: &str) -> Result<String, AccountError> {
    let d = domain
        .trim()
        .trim_end_matches(".pipedrive.com")
        .to_ascii_lowercase();
    let ok = !d.is_empty()
        && d.len() <= 63
        && d.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        && !d.starts_with('-');
    if ok {
        Ok(d)
    } else {
        Err(AccountError::BadDomain {
            domain: domain.to_string(),
        })
    }
}

/// A company root given with `--api-url`: HTTPS anywhere, plain HTTP to loopback only; no
/// token in it. Returns the root without a trailing slash, and without a trailing `/api/v1`,
/// `/api/v2` or `/v1` (an API root as earlier versions of pipemap took it), and whether it is
/// loopback.
pub fn check_api_url(url: &str) -> Result<(String, bool), AccountError> {
    let refuse = |why: &str| AccountError::BadApiUrl {
        url: redact_url(url),
        why: why.to_string(),
    };
    if url.contains("api_token") {
        return Err(refuse(
            "it holds an api_token; give the token in PIPEDRIVE_API_TOKEN or --token-file",
        ));
    }
    let uri: Uri = url.parse().map_err(|_| refuse("not a URL"))?;
    let host = uri.host().ok_or_else(|| refuse("no host"))?;
    if uri.authority().is_some_and(|a| a.as_str().contains('@')) {
        return Err(refuse("user names and passwords in the URL are not sent"));
    }
    let loopback = is_loopback(host);
    match uri.scheme_str() {
        Some("https") => {}
        Some("http") if loopback => {}
        Some("http") => {
            return Err(refuse(
                "plain HTTP is only allowed to this machine (localhost, 127.0.0.1, ::1); use https",
            ));
        }
        _ => return Err(refuse("only https (or http to this machine) is allowed")),
    }
    if uri.query().is_some() {
        return Err(refuse(
            "give the company's root without a query, such as https://NAME.pipedrive.com",
        ));
    }
    let mut root = url.trim_end_matches('/');
    for version in ["/api/v1", "/api/v2", "/v1"] {
        if let Some(stripped) = root.strip_suffix(version) {
            root = stripped.trim_end_matches('/');
            break;
        }
    }
    Ok((root.to_string(), loopback))
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// A URL as it may be shown: any `api_token` query value replaced.
pub fn redact_url(url: &str) -> String {
    let Some((head, query)) = url.split_once('?') else {
        return url.to_string();
    };
    let parts: Vec<String> = query
        .split('&')
        .map(|p| match p.split_once('=') {
            Some((k, _)) if k.eq_ignore_ascii_case("api_token") => format!("{k}=[token]"),
            _ => p.to_string(),
        })
        .collect();
    format!("{head}?{}", parts.join("&"))
}

pub(super) fn host_of(url: &str) -> String {
    url.parse::<Uri>()
        .ok()
        .and_then(|u| u.authority().map(|a| a.to_string()))
        .unwrap_or_else(|| "the Pipedrive API".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_urls_are_https_or_loopback_http_and_never_carry_a_token() {
        assert_eq!(
            check_api_url("https://proxy.example.com/pd/v1").unwrap(),
            ("https://proxy.example.com/pd".to_string(), false)
        );
        assert_eq!(
            check_api_url("http://127.0.0.1:8080/").unwrap(),
            ("http://127.0.0.1:8080".to_string(), true)
        );
        // An API root as earlier versions took it is read as the company's root.
        assert_eq!(
            check_api_url("https://acme.pipedrive.com/api/v2")
                .unwrap()
                .0,
            "https://acme.pipedrive.com"
        );
        assert!(check_api_url("https://acme.pipedrive.com/?x=1").is_err());
        assert!(check_api_url("http://localhost:1/v1").is_ok());
        assert!(check_api_url("http://[::1]:1/v1").is_ok());
        let err = check_api_url("http://example.com/v1")
            .unwrap_err()
            .to_string();
        assert!(err.contains("plain HTTP"), "{err}");
        assert!(check_api_url("ftp://127.0.0.1/v1").is_err());
        let err = check_api_url("https://x.com/v1?api_token=sekrit")
            .unwrap_err()
            .to_string();
        assert!(!err.contains("sekrit"), "{err}");
    }

    #[test]
    fn domains_name_only_pipedrive_hosts() {
        assert_eq!(check_domain("Acme").unwrap(), "acme");
        assert_eq!(check_domain("acme.pipedrive.com").unwrap(), "acme");
        assert!(check_domain("evil.com/x").is_err());
        assert!(check_domain("").is_err());
    }

    #[test]
    fn shown_urls_hide_the_token() {
        assert_eq!(
            redact_url("https://a.pipedrive.com/v1/users?start=0&api_token=abc"),
            "https://a.pipedrive.com/v1/users?start=0&api_token=[token]"
        );
    }
}
