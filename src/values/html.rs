//! HTML in text cells: whole e-mail documents (Dynamics 365 e-mail and appointment bodies, up to
//! tens of kilobytes of `<html><head>…`) become readable plain text with their links kept, and
//! HTML entities (`&gt;`, `&amp;`, `&#39;`) in any text become the characters they stand for.

/// Whether a cell holds HTML markup rather than text that merely mentions a `<`: it starts with
/// a tag, a doctype or a comment and closes an element (`</p>`), or, anywhere, breaks a line
/// with `<br>` or closes a paragraph, division, list item, link or span (`Hi<br>there`, as
/// HubSpot's and Pipedrive's notes are written).
pub fn is_html(s: &str) -> bool {
    let text = s.trim_start();
    if !text.contains('<') {
        return false;
    }
    let head: String = text.chars().take(4096).collect();
    let lower = head.to_ascii_lowercase();
    const CLOSERS: [&str; 9] = [
        "<br>", "<br/>", "<br />", "</p>", "</div>", "</li>", "</a>", "</span>", "</td>",
    ];
    if CLOSERS.iter().any(|c| lower.contains(c)) {
        return true;
    }
    text.starts_with('<')
        && (lower.starts_with("<!doctype html")
            || lower.starts_with("<html")
            || lower.starts_with("<!--")
            || (lower.contains("</") && opens_known_tag(&lower)))
}

/// The text starts with a tag HTML bodies start with.
fn opens_known_tag(lower: &str) -> bool {
    const TAGS: [&str; 16] = [
        "p", "div", "span", "br", "table", "font", "b", "i", "u", "a", "ul", "ol", "h1", "h2",
        "body", "meta",
    ];
    let name: String = lower[1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    TAGS.contains(&name.as_str())
}

/// An HTML body as plain text: paragraphs and line breaks as new lines, lists as `* ` lines,
/// links as `[text][1]` with `[1]: https://…` at the end, scripts, styles and the head left out.
/// Markup that cannot be rendered is returned with its tags as written (nothing is lost).
pub fn html_to_text(html: &str) -> String {
    let rendered = html2text::config::plain()
        .link_footnotes(true)
        .no_table_borders()
        .no_link_wrapping()
        .string_from_read(html.as_bytes(), 10_000);
    match rendered {
        Ok(text) => tidy(&text),
        Err(_) => html.to_string(),
    }
}

/// Lines trimmed at their end, runs of blank lines as one.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines().map(str::trim_end) {
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

/// Decodes HTML entities (`&amp;`, `&gt;`, `&nbsp;`, `&#39;`, `&#x2019;`) when the text has any;
/// a `&` that starts no entity (`R&D`, `AT&T`) stays as written.
pub fn decode_entities(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('&') || !s.contains(';') {
        return std::borrow::Cow::Borrowed(s);
    }
    let decoded = html_escape::decode_html_entities(s);
    match decoded {
        std::borrow::Cow::Borrowed(_) => std::borrow::Cow::Borrowed(s),
        std::borrow::Cow::Owned(text) => std::borrow::Cow::Owned(text.replace('\u{a0}', " ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape of a Dynamics 365 e-mail body (Outlook's HTML), with made-up content.
    const OUTLOOK: &str = "<html><head>\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">\n<style>p {margin:0}</style></head>\n<body><div class=\"WordSection1\"><p class=\"MsoNormal\">Hello Sam,</p>\n<p class=\"MsoNormal\">The filter &gt; 5 microns is in stock.&nbsp;See <a href=\"https://example.com/filters\">our catalogue</a>.</p>\n<ul><li>Café A-100</li><li>Café S-200</li></ul></div></body></html>";

    #[test]
    fn e_mail_documents_become_text_with_links() {
        assert!(is_html(OUTLOOK));
        let text = html_to_text(OUTLOOK);
        assert!(text.starts_with("Hello Sam,"), "{text}");
        assert!(
            text.contains("The filter > 5 microns is in stock."),
            "{text}"
        );
        assert!(text.contains("our catalogue"), "{text}");
        assert!(text.contains("https://example.com/filters"), "{text}");
        assert!(text.contains("Café A-100"), "{text}");
        for markup in ["<p", "<html", "margin:0", "&gt;", "Content-Type"] {
            assert!(!text.contains(markup), "{markup} in {text}");
        }
    }

    #[test]
    fn fragments_and_breaks() {
        assert!(is_html("<p>One</p><p>Two</p>"));
        assert!(is_html("<div>Line<br>next</div>"));
        assert!(is_html("<!DOCTYPE html><html><body>x</body></html>"));
        assert!(is_html("Hi Sam,<br>see you <b>Monday</b>"));
        assert_eq!(
            html_to_text("Hi Sam,<br>see you Monday"),
            "Hi Sam,\nsee you Monday"
        );
        let text = html_to_text("<p>One</p><p>Two<br>Three</p>");
        assert_eq!(text, "One\n\nTwo\nThree");
    }

    #[test]
    fn text_that_only_mentions_angle_brackets_is_not_html() {
        for text in [
            "a < b and c > d",
            "<3 thanks",
            "Price <100 EUR",
            "<unknown>tag</unknown>",
            "Jane <jane@example.com>",
            "",
        ] {
            assert!(!is_html(text), "{text}");
        }
    }

    #[test]
    fn entities_are_decoded_and_lone_ampersands_kept() {
        assert_eq!(decode_entities("Smith &amp; Sons"), "Smith & Sons");
        assert_eq!(decode_entities("5 &gt; 3 &lt; 9"), "5 > 3 < 9");
        assert_eq!(decode_entities("O&#39;Brien"), "O'Brien");
        assert_eq!(decode_entities("O&#x2019;Brien"), "O\u{2019}Brien");
        assert_eq!(decode_entities("a&nbsp;b"), "a b");
        assert_eq!(decode_entities("R&D; AT&T"), "R&D; AT&T");
        assert_eq!(decode_entities("no entity"), "no entity");
    }
}
