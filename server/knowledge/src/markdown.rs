//! Markdown: ATX (`## Title`) and setext (underlined) headings give the heading path; code
//! fences are text, never headings.

use crate::{Document, KnowledgeError, Limits, outline::Outline};

/// How far down a YAML front matter block is looked for its end.
const FRONT_MATTER_LINES: usize = 200;

pub(crate) fn extract(text: &str, limits: &Limits) -> Result<Document, KnowledgeError> {
    let mut outline = Outline::new(limits);
    let lines: Vec<&str> = text.lines().collect();
    let mut start = 0;
    if let Some((end, title)) = front_matter(&lines) {
        if let Some(title) = title {
            outline.title(&title);
        }
        start = end;
    }

    let mut paragraph: Vec<String> = Vec::new();
    // The open code fence: its character and length; a closing fence must match both.
    let mut fence: Option<(char, usize)> = None;
    for line in &lines[start..] {
        if let Some(marker) = fence_marker(line) {
            match fence {
                None => fence = Some(marker),
                Some((c, n)) if marker.0 == c && marker.1 >= n => fence = None,
                Some(_) => {}
            }
            continue;
        }
        if fence.is_some() {
            if line.trim().is_empty() {
                outline.block(paragraph.iter().map(String::as_str), None)?;
                paragraph.clear();
            } else {
                paragraph.push((*line).to_owned());
            }
            continue;
        }
        if line.trim().is_empty() {
            outline.block(paragraph.iter().map(String::as_str), None)?;
            paragraph.clear();
        } else if let Some((level, heading)) = atx_heading(line) {
            outline.block(paragraph.iter().map(String::as_str), None)?;
            paragraph.clear();
            let heading = plain_inline(heading);
            if level == 1 {
                outline.title(&heading);
            }
            outline.heading(level, &heading)?;
        } else if let Some(level) = setext_underline(line).filter(|_| !paragraph.is_empty()) {
            let heading = paragraph.join(" ");
            paragraph.clear();
            if level == 1 {
                outline.title(&heading);
            }
            outline.heading(level, &heading)?;
        } else if is_thematic_break(line) {
            outline.block(paragraph.iter().map(String::as_str), None)?;
            paragraph.clear();
        } else {
            paragraph.push(plain_inline(line));
        }
    }
    outline.block(paragraph.iter().map(String::as_str), None)?;
    Ok(outline.finish())
}

/// A YAML front matter block (`---` on the first line to `---` or `...`): the line after it
/// and its `title:` when it has one.
fn front_matter(lines: &[&str]) -> Option<(usize, Option<String>)> {
    if lines.first().map(|line| line.trim_end()) != Some("---") {
        return None;
    }
    let end = lines
        .iter()
        .enumerate()
        .take(FRONT_MATTER_LINES)
        .skip(1)
        .find(|(_, line)| matches!(line.trim_end(), "---" | "..."))?
        .0;
    let title = lines[1..end].iter().find_map(|line| {
        let value = line.strip_prefix("title:")?.trim();
        let value = value.trim_matches(|c| c == '"' || c == '\'');
        (!value.is_empty()).then(|| value.to_owned())
    });
    Some((end + 1, title))
}

/// Up to three spaces of indent: more makes an indented code block in CommonMark.
fn unindent(line: &str) -> Option<&str> {
    let trimmed = line.trim_start_matches(' ');
    (line.len() - trimmed.len() <= 3).then_some(trimmed)
}

fn fence_marker(line: &str) -> Option<(char, usize)> {
    let line = unindent(line)?;
    let c = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let run = line.chars().take_while(|&x| x == c).count();
    (run >= 3).then_some((c, run))
}

/// `## Heading ##` → (2, "Heading").
fn atx_heading(line: &str) -> Option<(u8, &str)> {
    let line = unindent(line)?;
    let level = line.chars().take_while(|&c| c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let mut text = rest.trim();
    // A closing run of #s goes when a space precedes it (or it is all there is).
    let without = text.trim_end_matches('#');
    if without.is_empty() || without.ends_with([' ', '\t']) {
        text = without.trim_end();
    }
    Some((level as u8, text))
}

/// `===` under a paragraph makes it a level-1 heading, `---` a level-2 one.
fn setext_underline(line: &str) -> Option<u8> {
    let line = unindent(line)?.trim_end();
    if !line.is_empty() && line.chars().all(|c| c == '=') {
        Some(1)
    } else if line.len() >= 2 && line.chars().all(|c| c == '-') {
        Some(2)
    } else {
        None
    }
}

fn is_thematic_break(line: &str) -> bool {
    let Some(line) = unindent(line) else {
        return false;
    };
    let marks: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    marks.len() >= 3
        && ['*', '-', '_']
            .iter()
            .any(|&m| marks.chars().all(|c| c == m))
}

/// Inline links and images read as their text: `[our prices](/prices)` → "our prices", so the
/// URL's pieces do not pollute search.
fn plain_inline(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']').map(|at| open + at) else {
            break;
        };
        let after = &rest[close + 1..];
        let Some(target_end) = after.strip_prefix('(').and_then(|target| target.find(')')) else {
            out.push_str(&rest[..=close]);
            rest = after;
            continue;
        };
        let before = &rest[..open];
        out.push_str(before.strip_suffix('!').unwrap_or(before));
        out.push_str(&rest[open + 1..close]);
        rest = &after[target_end + 2..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_are_recognised_as_commonmark_does() {
        assert_eq!(atx_heading("## Shipping ##"), Some((2, "Shipping")));
        assert_eq!(atx_heading("#hashtag"), None);
        assert_eq!(atx_heading("####### seven"), None);
        assert_eq!(atx_heading("    # indented code"), None);
        assert_eq!(atx_heading("# C#"), Some((1, "C#")));
        assert_eq!(setext_underline("====="), Some(1));
        assert_eq!(setext_underline("- item"), None);
    }

    #[test]
    fn links_read_as_their_text() {
        assert_eq!(
            plain_inline("See [our prices](https://x.test/p) and ![a map](m.png) [x]"),
            "See our prices and a map [x]"
        );
    }
}
