//! The module graph points one way (STYLE.md, "One-way layers"): no top-level module of the
//! library imports another that imports it back, and the core never reaches the terminal UI
//! (`tui`, `ratatui`, `crossterm`). Read from the source text of src/, so a new import that
//! closes a loop fails here with the lines that make it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

mod cycles;
mod scan;

use cycles::unexpected_cycles;
use scan::{code_only, first_segments, ident_at, is_ident, path_sep};

/// Cycles tolerated, each the set of top-level modules in one loop: none. The graph is held to
/// no cycle at all.
const KNOWN_CYCLES: &[&[&str]] = &[];

/// Top-level modules that may use the terminal UI and its crates.
const UI: &[&str] = &["tui"];

/// One import of another top-level module: where it is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Site {
    file: String,
    line: usize,
}

/// For each top-level module, the other top-level modules it names, with the first place each.
type Graph = BTreeMap<String, BTreeMap<String, Site>>;

/// A source file as the checker reads it: its path under src/ and its text.
struct SourceFile {
    rel: PathBuf,
    text: String,
}

fn src_files(dir: &Path, root: &Path, out: &mut Vec<SourceFile>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            src_files(&path, root, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let rel = path.strip_prefix(root).expect("under src").to_path_buf();
            out.push(SourceFile { rel, text });
        }
    }
}

/// The module path a file declares (`transform/plan.rs` → `["transform", "plan"]`).
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .with_extension("")
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// Every top-level module each file names through `crate::`, `super::` climbing to the crate
/// root, or (from the binary's modules) `pipemap::`. `reexports` maps names the library root
/// re-exports (`Entity`) to the module that defines them.
fn graph(
    files: &[SourceFile],
    lib_modules: &BTreeSet<String>,
    bin_modules: &BTreeSet<String>,
    reexports: &BTreeMap<String, String>,
) -> Result<Graph, String> {
    let mut g = Graph::new();
    for file in files {
        let base = module_of(&file.rel);
        let Some(top) = base.first().cloned() else {
            continue;
        };
        let in_bin = bin_modules.contains(&top);
        let code = code_only(&file.text);
        let b = code.as_bytes();
        // Inline modules (`mod tests { … }`) open at a brace depth: `super` inside one climbs
        // out of it first.
        let mut inline: Vec<(String, usize)> = Vec::new();
        let mut depth = 0usize;
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'{' => {
                    depth += 1;
                    i += 1;
                    continue;
                }
                b'}' => {
                    depth -= 1;
                    if inline.last().is_some_and(|(_, d)| *d == depth) {
                        inline.pop();
                    }
                    i += 1;
                    continue;
                }
                c if !is_ident(c) || (i > 0 && is_ident(b[i - 1])) => {
                    i += 1;
                    continue;
                }
                _ => {}
            }
            let (word, end) = ident_at(b, i).expect("an identifier");
            i = end;
            if word == "mod" {
                if let Some((name, after)) = ident_at(b, end) {
                    let mut k = after;
                    while k < b.len() && b[k].is_ascii_whitespace() {
                        k += 1;
                    }
                    if b.get(k) == Some(&b'{') {
                        inline.push((name.to_string(), depth));
                    }
                }
                continue;
            }
            // The crate (library or binary) the path starts in, and the segments after it.
            let (crate_is_lib, segments) = match word {
                "crate" => match path_sep(b, end) {
                    Some(after) => (!in_bin, first_segments(b, after)),
                    None => continue,
                },
                "pipemap" if in_bin => match path_sep(b, end) {
                    Some(after) => (true, first_segments(b, after)),
                    None => continue,
                },
                "super" => {
                    let mut path: Vec<String> = base.clone();
                    path.extend(inline.iter().map(|(n, _)| n.clone()));
                    let mut k = end;
                    path.pop();
                    while let Some(after) = path_sep(b, k) {
                        match ident_at(b, after) {
                            Some(("super", e)) => {
                                path.pop();
                                k = e;
                            }
                            _ => {
                                k = after;
                                break;
                            }
                        }
                    }
                    i = k;
                    if !path.is_empty() {
                        continue;
                    }
                    (!in_bin, first_segments(b, k))
                }
                _ => continue,
            };
            let line = code[..i].matches('\n').count() + 1;
            for seg in segments {
                let target = if crate_is_lib {
                    if lib_modules.contains(&seg) {
                        seg
                    } else if let Some(m) = reexports.get(&seg) {
                        m.clone()
                    } else {
                        return Err(format!(
                            "{}:{line}: `{seg}` is neither a module of the library nor one \
                             of its root re-exports",
                            file.rel.display()
                        ));
                    }
                } else if bin_modules.contains(&seg) {
                    seg
                } else {
                    continue;
                };
                if target != top {
                    g.entry(top.clone())
                        .or_default()
                        .entry(target)
                        .or_insert_with(|| Site {
                            file: file.rel.display().to_string(),
                            line,
                        });
                }
            }
        }
    }
    Ok(g)
}

/// `mod x;` / `pub mod x;` declared in a crate root.
fn declared_modules(root_text: &str) -> BTreeSet<String> {
    let code = code_only(root_text);
    code.lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            l.strip_prefix("mod ")?
                .strip_suffix(';')
                .map(str::to_string)
        })
        .collect()
}

/// `pub use m::{A, B};` / `pub use m::A;` in the library root: each name → `m`.
fn root_reexports(lib_text: &str) -> BTreeMap<String, String> {
    let code = code_only(lib_text);
    let mut out = BTreeMap::new();
    for stmt in code.split(';') {
        let Some(rest) = stmt.trim().strip_prefix("pub use ") else {
            continue;
        };
        let Some((module, names)) = rest.split_once("::") else {
            continue;
        };
        let names = names.trim().trim_start_matches('{').trim_end_matches('}');
        for name in names.split(',') {
            let name = name.trim().rsplit("::").next().unwrap_or("").trim();
            if !name.is_empty() {
                out.insert(name.to_string(), module.trim().to_string());
            }
        }
    }
    out
}

fn project() -> (
    Vec<SourceFile>,
    BTreeSet<String>,
    BTreeSet<String>,
    BTreeMap<String, String>,
) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    src_files(&root, &root, &mut files);
    let text = |name: &str| {
        &files
            .iter()
            .find(|f| f.rel == Path::new(name))
            .unwrap_or_else(|| panic!("src/{name}"))
            .text
    };
    let lib = declared_modules(text("lib.rs"));
    let bin = declared_modules(text("main.rs"));
    let reexports = root_reexports(text("lib.rs"));
    (files, lib, bin, reexports)
}

#[test]
fn top_level_modules_import_one_way() {
    let (files, lib, bin, reexports) = project();
    assert!(lib.len() >= 10, "the library's modules: {lib:?}");
    let g = graph(&files, &lib, &bin, &reexports).unwrap_or_else(|e| panic!("{e}"));
    for (from, to) in &g {
        println!(
            "{from} → {}",
            to.keys().cloned().collect::<Vec<_>>().join(", ")
        );
    }
    let found = unexpected_cycles(&g, KNOWN_CYCLES);
    assert!(
        found.is_empty(),
        "top-level modules that import each other:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_core_never_reaches_the_terminal_ui() {
    let (files, lib, bin, reexports) = project();
    let g = graph(&files, &lib, &bin, &reexports).unwrap_or_else(|e| panic!("{e}"));
    let mut found = Vec::new();
    for (from, to) in &g {
        if lib.contains(from) && !UI.contains(&from.as_str()) {
            for ui in UI {
                if let Some(site) = to.get(*ui) {
                    found.push(format!("{from} imports {ui} ({}:{})", site.file, site.line));
                }
            }
        }
    }
    for file in &files {
        let top = module_of(&file.rel).first().cloned().unwrap_or_default();
        if !lib.contains(&top) || UI.contains(&top.as_str()) {
            continue;
        }
        let code = code_only(&file.text);
        for (n, line) in code.lines().enumerate() {
            for krate in ["ratatui", "crossterm"] {
                let uses = line.match_indices(krate).any(|(at, _)| {
                    let before = line[..at].bytes().last().is_none_or(|c| !is_ident(c));
                    let after = line[at + krate.len()..]
                        .bytes()
                        .next()
                        .is_none_or(|c| !is_ident(c));
                    before && after
                });
                if uses {
                    found.push(format!("{}:{}: {krate}", file.rel.display(), n + 1));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "the core reaches the UI:\n{}",
        found.join("\n")
    );
}

/// The checker itself, on a made-up crate: it must see each way of naming a module and report
/// the loop it closes.
#[test]
fn the_checker_sees_each_way_of_importing_and_the_loop() {
    let file = |rel: &str, text: &str| SourceFile {
        rel: PathBuf::from(rel),
        text: text.to_string(),
    };
    let files = [
        file(
            "lib.rs",
            "pub mod a;\npub mod b;\npub mod c;\npub mod d;\npub use d::Thing;\n",
        ),
        // A grouped `use` names two modules; comments and strings name none.
        file(
            "a/mod.rs",
            "use crate::{b::X, c};\n// crate::d\nconst S: &str = \"crate::d\";\nfn f(_: &'static str) {}\n",
        ),
        // `super::super` from a/inner.rs climbs to the crate root; inside `mod tests` it
        // climbs one level less.
        file(
            "a/inner.rs",
            "fn g() { super::super::Thing::new(); }\nmod tests { use super::super::helper; }\n",
        ),
        file("b.rs", "pub fn x() { crate::a::f(\"\"); }\n"),
        file("c.rs", "use ratatui::Frame;\n"),
        file("d.rs", "pub struct Thing;\n"),
    ];
    let lib = declared_modules(&files[0].text);
    let reexports = root_reexports(&files[0].text);
    assert_eq!(reexports.get("Thing").map(String::as_str), Some("d"));
    let g = graph(&files, &lib, &BTreeSet::new(), &reexports).unwrap();
    let names = |m: &str| {
        g.get(m)
            .map(|e| e.keys().cloned().collect::<Vec<_>>())
            .unwrap_or_default()
    };
    assert_eq!(names("a"), ["b", "c", "d"]);
    assert_eq!(names("b"), ["a"]);
    assert_eq!(
        g["a"]["d"],
        Site {
            file: "a/inner.rs".into(),
            line: 1
        }
    );
    let found = unexpected_cycles(&g, &[]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("a, b:"), "{}", found[0]);
    assert!(found[0].contains("a → b (a/mod.rs:1)"), "{}", found[0]);
    assert!(found[0].contains("b → a (b.rs:1)"), "{}", found[0]);
    assert!(unexpected_cycles(&g, &[&["b", "a"]]).is_empty());
    // A path to something the root neither declares nor re-exports is reported, not skipped.
    let stray = [file("a/mod.rs", "use crate::nowhere::X;\n")];
    assert!(
        graph(&stray, &lib, &BTreeSet::new(), &reexports)
            .unwrap_err()
            .contains("a/mod.rs:1")
    );
}
