//! Web addresses, as CRM exports write company web sites.

/// `http(s)://host…`, `www.host…`, or a bare `domain.tld[/path]` with a lower-case, known tld.
pub(crate) fn is_web_address(v: &str) -> bool {
    if v.contains(char::is_whitespace) || v.contains('@') {
        return false;
    }
    let lower = v.to_ascii_lowercase();
    let schemed = ["https://", "http://"]
        .iter()
        .find_map(|s| lower.strip_prefix(s));
    if let Some(rest) = schemed {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        return !host.is_empty()
            && host
                .chars()
                .all(|c| c.is_alphanumeric() || ".-:[]".contains(c));
    }
    let host = v.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.split(':').next().unwrap_or_default();
    let labels: Vec<&str> = host.split('.').collect();
    let tld = labels.last().copied().unwrap_or_default();
    let known_tld = tld.len() == 2 || GENERIC_TLDS.contains(&tld.to_ascii_lowercase().as_str());
    labels.len() >= 2
        && labels
            .iter()
            .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'))
        && tld.bytes().all(|b| b.is_ascii_alphabetic())
        && (lower.starts_with("www.") || (known_tld && tld.bytes().all(|b| b.is_ascii_lowercase())))
}

/// Generic top-level domains common in company web sites; a bare `name.ext` with another
/// ending (`report.pdf`) is not taken for a web address. Two-letter country domains are accepted.
#[rustfmt::skip]
const GENERIC_TLDS: [&str; 40] = [
    "com", "net", "org", "info", "biz", "edu", "gov", "int", "mil", "io", "ai", "app", "dev", "co",
    "tech", "online", "site", "shop", "store", "xyz", "cloud", "agency", "digital", "solutions",
    "group", "company", "consulting", "media", "studio", "design", "network", "systems", "global",
    "world", "email", "marketing", "software", "services", "pro", "health",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn web_addresses() {
        for text in [
            "https://acme.com",
            "http://localhost:8080/x",
            "www.globex.de",
            "WWW.GLOBEX.DE",
            "initech.io/about",
            "acme.co.uk",
            "shop.example.com?q=1",
        ] {
            assert!(is_web_address(text), "{text}");
        }
        for text in [
            "",
            "acme",
            "report.pdf",
            "J.Smith",
            "1.5",
            "bob@acme.com",
            "acme .com",
            "https://",
            "e.g.",
            "acme.com.",
        ] {
            assert!(!is_web_address(text), "{text}");
        }
    }
}
