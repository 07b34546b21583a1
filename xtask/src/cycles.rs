//! `cargo xtask cycles`: the circles among a crate's source files, and
//! among its top-level modules (issue 39 asks for none of either).
//!
//! Each `.rs` file is a module (`lib.rs` the crate, `a.rs` and `a/mod.rs`
//! `crate::a`). A file depends on the file of every module it names, in a
//! `use` or in a path inside its code (`crate::…`, `super::…`, `self::…`),
//! resolved to the longest module path that is a file; names of its own
//! ancestors (`use super::Thing`) are not counted, being how a module
//! reaches what its parent gathers. `#[cfg(test)]` items are left out. The
//! files are parsed with `syn`, so grouped and nested `use` trees and
//! inline modules are read as the compiler reads them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// Print the circles of the crate whose sources are in `src`; how many
/// there are (file circles, module circles).
pub(crate) fn report(src: &Path) -> Result<(usize, usize), String> {
    let files = modules(src)?;
    let by_path: BTreeMap<&[String], &Path> = files
        .iter()
        .map(|(file, module)| (module.as_slice(), file.as_path()))
        .collect();
    let mut edges: BTreeMap<&Path, BTreeSet<&Path>> = BTreeMap::new();
    for (file, module) in &files {
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let ast = syn::parse_file(&text)
            .map_err(|e| format!("{}: not Rust syn can read: {e}", file.display()))?;
        let mut names = Names {
            here: module.clone(),
            found: Vec::new(),
        };
        names.visit_file(&ast);
        let out = edges.entry(file.as_path()).or_default();
        for path in names.found {
            let Some(target) = (1..=path.len())
                .rev()
                .find_map(|n| by_path.get(&path[..n]).map(|f| (n, *f)))
            else {
                continue;
            };
            let (n, target) = target;
            // An ancestor (or itself): not a dependency between files.
            if module.starts_with(&path[..n]) {
                continue;
            }
            out.insert(target);
        }
    }
    let short = |p: &Path| p.strip_prefix(src).unwrap_or(p).display().to_string();
    let file_circles = circles(&edges);
    for c in &file_circles {
        let names: Vec<String> = c.iter().map(|p| short(p)).collect();
        println!("file circle: {}", names.join(" ↔ "));
    }
    // The same graph with each file standing for its top-level module.
    let top = |p: &Path| -> String {
        files
            .iter()
            .find(|(f, _)| f == p)
            .and_then(|(_, m)| m.first().cloned())
            .unwrap_or_else(|| "crate".into())
    };
    let mut module_edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (from, tos) in &edges {
        let a = top(from);
        for to in tos {
            let b = top(to);
            if a != b {
                module_edges.entry(a.clone()).or_default().insert(b);
            }
        }
    }
    let module_circles = circles(&module_edges);
    for c in &module_circles {
        println!("module circle: {}", c.join(" ↔ "));
    }
    Ok((file_circles.len(), module_circles.len()))
}

/// Every `.rs` file under `src` with its module path.
fn modules(src: &Path) -> Result<Vec<(PathBuf, Vec<String>)>, String> {
    let mut out = Vec::new();
    let mut dirs = vec![src.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|x| x != "rs") {
                continue;
            }
            let rel = path.strip_prefix(src).map_err(|e| e.to_string())?;
            let mut module: Vec<String> = rel
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            out.push((path, module));
        }
    }
    out.sort();
    Ok(out)
}

/// The module paths a file names, made absolute (without `crate`).
struct Names {
    /// The module being read (the file's, then any inline one inside it).
    here: Vec<String>,
    found: Vec<Vec<String>>,
}

impl Names {
    /// `segments` as an absolute module path: from the crate, `super`,
    /// `self`, or (a bare name) from the module being read, where only a
    /// child module of it can resolve to a file.
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let (first, rest) = segments.split_first()?;
        let mut base = match first.as_str() {
            "crate" => Vec::new(),
            "self" => self.here.clone(),
            "super" => {
                let mut b = self.here.clone();
                b.pop();
                b
            }
            _ => {
                let mut b = self.here.clone();
                b.extend(segments.iter().cloned());
                return Some(b);
            }
        };
        let mut rest = rest;
        while let Some(("super", tail)) = rest.split_first().map(|(h, t)| (h.as_str(), t)) {
            base.pop();
            rest = tail;
        }
        base.extend(rest.iter().cloned());
        Some(base)
    }

    fn use_tree(&mut self, prefix: &mut Vec<String>, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(p) => {
                prefix.push(p.ident.to_string());
                self.use_tree(prefix, &p.tree);
                prefix.pop();
            }
            syn::UseTree::Name(n) => {
                prefix.push(n.ident.to_string());
                self.record(prefix);
                prefix.pop();
            }
            syn::UseTree::Rename(r) => {
                prefix.push(r.ident.to_string());
                self.record(prefix);
                prefix.pop();
            }
            syn::UseTree::Glob(_) => self.record(prefix),
            syn::UseTree::Group(g) => {
                for t in &g.items {
                    self.use_tree(prefix, t);
                }
            }
        }
    }

    fn record(&mut self, segments: &[String]) {
        if let Some(path) = self.absolute(segments) {
            self.found.push(path);
        }
    }
}

/// Whether `attrs` hold `#[cfg(test)]`.
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string().trim() == "test")
    })
}

impl<'ast> Visit<'ast> for Names {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        let attrs = match item {
            syn::Item::Mod(m) => &m.attrs,
            syn::Item::Use(u) => &u.attrs,
            syn::Item::Fn(f) => &f.attrs,
            syn::Item::Impl(i) => &i.attrs,
            _ => return syn::visit::visit_item(self, item),
        };
        if !is_test(attrs) {
            syn::visit::visit_item(self, item);
        }
    }

    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        // `mod x;` names a file that is a node of its own.
        if m.content.is_some() {
            self.here.push(m.ident.to_string());
            syn::visit::visit_item_mod(self, m);
            self.here.pop();
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        self.use_tree(&mut Vec::new(), &u.tree);
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        self.record(&segments);
        syn::visit::visit_path(self, p);
    }

    fn visit_macro(&mut self, m: &'ast syn::Macro) {
        // Paths inside a macro's tokens (`format!`, `json!`, `on_pool!`)
        // are read as one path per `a::b::c` run of tokens.
        let text = m.tokens.to_string();
        for run in text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':' || c == ' '))
        {
            let segments: Vec<String> = run.split("::").map(|s| s.trim().to_owned()).collect();
            if segments.len() > 1 && segments.iter().all(|s| !s.is_empty() && !s.contains(' ')) {
                self.record(&segments);
            }
        }
        syn::visit::visit_macro(self, m);
    }
}

/// The strongly connected components of more than one node (Tarjan's
/// algorithm), each sorted; sorted by their first node.
fn circles<N: Ord + Clone>(edges: &BTreeMap<N, BTreeSet<N>>) -> Vec<Vec<N>> {
    struct State<N> {
        index: BTreeMap<N, usize>,
        low: BTreeMap<N, usize>,
        stack: Vec<N>,
        on: BTreeSet<N>,
        out: Vec<Vec<N>>,
    }
    fn strong<N: Ord + Clone>(v: &N, edges: &BTreeMap<N, BTreeSet<N>>, s: &mut State<N>) {
        let i = s.index.len();
        s.index.insert(v.clone(), i);
        s.low.insert(v.clone(), i);
        s.stack.push(v.clone());
        s.on.insert(v.clone());
        for w in edges.get(v).into_iter().flatten() {
            if !s.index.contains_key(w) {
                strong(w, edges, s);
                let lw = s.low[w];
                if lw < s.low[v] {
                    s.low.insert(v.clone(), lw);
                }
            } else if s.on.contains(w) {
                let iw = s.index[w];
                if iw < s.low[v] {
                    s.low.insert(v.clone(), iw);
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut c = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(&w);
                let done = &w == v;
                c.push(w);
                if done {
                    break;
                }
            }
            if c.len() > 1 {
                c.sort();
                s.out.push(c);
            }
        }
    }
    let mut s = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v) {
            strong(v, edges, &mut s);
        }
    }
    s.out.sort();
    s.out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn circles_are_the_components_of_more_than_one_node() {
        let edges: BTreeMap<u8, BTreeSet<u8>> = [
            (1, BTreeSet::from([2])),
            (2, BTreeSet::from([3])),
            (3, BTreeSet::from([1, 4])),
            (4, BTreeSet::from([5])),
            (5, BTreeSet::new()),
            (6, BTreeSet::from([6])),
        ]
        .into();
        assert_eq!(circles(&edges), vec![vec![1, 2, 3]]);
    }

    #[test]
    fn files_name_siblings_not_ancestors() {
        let dir = std::env::temp_dir().join(format!("xtask-cycles-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("a")).expect("mkdir");
        let write = |name: &str, text: &str| std::fs::write(dir.join(name), text).expect("write");
        write("lib.rs", "mod a; mod b; pub use a::X;");
        write("a/mod.rs", "mod p; mod q; pub struct X; pub use p::P;");
        write("a/p.rs", "use super::{q::Q, X}; pub struct P;");
        write("a/q.rs", "pub struct Q; fn f() -> super::p::P { todo() }");
        write(
            "b.rs",
            "use crate::a::X; #[cfg(test)] mod tests { use crate::a::q::Q; }",
        );
        let (files, modules) = report(&dir).expect("reads");
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            (files, modules),
            (1, 0),
            "p and q name each other; nothing else"
        );
    }
}
