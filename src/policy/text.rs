//! From a document to sentences with line numbers: plain text and
//! Markdown line by line, HTML through html5ever's tokenizer (the nearest
//! heading kept for each sentence). Then words: [`words`] splits a sentence
//! into normalised tokens (lower case, «ё» as «е») with their byte ranges,
//! always at char boundaries.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// Characters of a sentence kept in a statement; a longer one is cut at a
/// char boundary and ends with `…`.
pub(crate) const MAX_SENTENCE_SHOWN: usize = 600;

/// A paragraph, list item, table cell or heading: text that sentences are
/// cut from, with the line each part of it came from.
#[derive(Debug, Default)]
pub(crate) struct Block {
    pub text: String,
    /// (byte offset in `text`, line), ascending.
    lines: Vec<(usize, u32)>,
    pub heading: Option<String>,
}

impl Block {
    /// Append a line's text, separated from what came before by a space.
    fn push(&mut self, s: &str, line: u32) {
        if s.trim().is_empty() {
            return;
        }
        if !self.text.is_empty() && !self.text.ends_with(char::is_whitespace) {
            self.text.push(' ');
        }
        self.push_raw(s, line);
    }

    /// Append text as it is (HTML text arrives in pieces: «Мы», «&nbsp;», «не»).
    fn push_raw(&mut self, s: &str, line: u32) {
        if s.is_empty() {
            return;
        }
        if self.lines.last().is_none_or(|(_, l)| *l != line) {
            // The offset of the first non-blank character of the piece.
            let lead = s.len() - s.trim_start().len();
            self.lines.push((self.text.len() + lead, line));
        }
        self.text.push_str(s);
    }

    fn line_at(&self, offset: usize) -> u32 {
        match self.lines.partition_point(|(o, _)| *o <= offset) {
            0 => self.lines.first().map_or(1, |(_, l)| *l),
            i => self.lines[i - 1].1,
        }
    }
}

/// One sentence of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Sentence {
    pub text: String,
    pub line: u32,
    pub heading: Option<String>,
}

/// Cut blocks into sentences: at `.`, `!`, `?` or `…` followed by white
/// space and a capital letter, a digit, a quote or the end; not after a
/// short lower-case abbreviation («ст.», «ч.», «т. е.»).
pub(crate) fn sentences(blocks: &[Block]) -> Vec<Sentence> {
    let mut out = Vec::new();
    for b in blocks {
        let text = &b.text;
        let mut start = 0;
        for (i, c) in text.char_indices() {
            if !matches!(c, '.' | '!' | '?' | '…') {
                continue;
            }
            let end = i + c.len_utf8();
            let rest = &text[end..];
            let after = rest.trim_start();
            let spaced = after.len() < rest.len();
            let next_ok = match after.chars().next() {
                None => true,
                Some(n) => {
                    spaced && (n.is_uppercase() || n.is_ascii_digit() || "«\"“(—-".contains(n))
                }
            };
            if !next_ok || (c == '.' && abbreviation(&text[start..i])) {
                continue;
            }
            emit(b, start, end, &mut out);
            start = end;
        }
        emit(b, start, text.len(), &mut out);
    }
    out
}

/// The word before a period is a lower-case abbreviation of at most two
/// letters («ст», «ч», «п», «г», «т. е»).
fn abbreviation(before: &str) -> bool {
    let word: Vec<char> = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphabetic())
        .collect();
    !word.is_empty() && word.len() <= 2 && word.iter().all(|c| c.is_lowercase())
}

fn emit(b: &Block, start: usize, end: usize, out: &mut Vec<Sentence>) {
    let raw = &b.text[start..end];
    let lead = raw.len() - raw.trim_start().len();
    let s = raw.trim();
    if !s.chars().any(char::is_alphabetic) {
        return;
    }
    out.push(Sentence {
        text: s.to_string(),
        line: b.line_at(start + lead),
        heading: b.heading.clone(),
    });
}

/// A sentence as shown in a statement: white space collapsed, control and
/// bidirectional-override characters replaced by U+FFFD (the text came
/// from outside and goes to terminals), at most [`MAX_SENTENCE_SHOWN`]
/// characters.
pub(crate) fn shown(s: &str) -> String {
    let mut out = String::new();
    let mut n = 0;
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
            n += 1;
        }
        for c in w.chars() {
            if n >= MAX_SENTENCE_SHOWN {
                out.push('…');
                return out;
            }
            let unsafe_char = c.is_control()
                || ('\u{202a}'..='\u{202e}').contains(&c)
                || ('\u{2066}'..='\u{2069}').contains(&c);
            out.push(if unsafe_char { '\u{fffd}' } else { c });
            n += 1;
        }
    }
    out
}

/// Plain text or Markdown → blocks. A blank line, a heading (`#`, or a
/// Setext underline), a list item (`-`, `*`, `+`, `—`, `•`, `1.`) or a
/// table row starts a new block; Markdown emphasis, code marks and link
/// targets are dropped.
pub(crate) fn markdown_blocks(text: &str) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut cur = Block::default();
    let mut heading: Option<String> = None;
    let mut fenced = false;
    let flush = |cur: &mut Block, blocks: &mut Vec<Block>, heading: &Option<String>| {
        if !cur.text.trim().is_empty() {
            let mut b = std::mem::take(cur);
            b.heading = heading.clone();
            blocks.push(b);
        } else {
            *cur = Block::default();
        }
    };
    for (i, raw) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let t = raw.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            fenced = !fenced;
            flush(&mut cur, &mut blocks, &heading);
            continue;
        }
        if t.is_empty() {
            flush(&mut cur, &mut blocks, &heading);
            continue;
        }
        if !fenced && t.starts_with('#') {
            flush(&mut cur, &mut blocks, &heading);
            let h = clean_inline(t.trim_start_matches('#').trim());
            let mut b = Block::default();
            b.push(&h, line);
            heading = Some(shown(&h));
            b.heading = heading.clone();
            blocks.push(b);
            continue;
        }
        if !fenced
            && !cur.text.is_empty()
            && (t.chars().all(|c| c == '=') || t.chars().all(|c| c == '-'))
        {
            // Setext heading: the block so far is the heading.
            let h = shown(&cur.text);
            flush(&mut cur, &mut blocks, &heading);
            if let Some(last) = blocks.last_mut() {
                last.heading = Some(h.clone());
            }
            heading = Some(h);
            continue;
        }
        let (item, body) = list_item(t);
        if item || t.starts_with('|') || t.starts_with('>') {
            flush(&mut cur, &mut blocks, &heading);
        }
        let body = body.trim_start_matches('>').trim();
        cur.push(&clean_inline(&body.replace('|', " ")), line);
    }
    flush(&mut cur, &mut blocks, &heading);
    blocks
}

/// Whether the line starts a list item, and its text.
fn list_item(t: &str) -> (bool, &str) {
    for marker in ["- ", "* ", "+ ", "— ", "– ", "• "] {
        if let Some(rest) = t.strip_prefix(marker) {
            return (true, rest);
        }
    }
    // «1. Текст», «1) Текст», nested «1.2.3. Текст».
    let b = t.as_bytes();
    let mut j = 0;
    let mut numbered = false;
    loop {
        let d = b[j..].iter().take_while(|c| c.is_ascii_digit()).count();
        if d == 0 {
            break;
        }
        j += d;
        numbered = j < b.len() && (b[j] == b'.' || b[j] == b')');
        if !numbered {
            break;
        }
        j += 1;
    }
    if numbered && t[j..].starts_with(' ') {
        return (true, &t[j..]);
    }
    (false, t)
}

/// Drop Markdown inline marks: `**`, `__`, backticks, `[text](url)` → text.
fn clean_inline(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.char_indices().peekable();
    let mut skip_to: Option<usize> = None;
    let mut no_close_from: Option<usize> = None;
    while let Some((i, c)) = chars.next() {
        if skip_to.is_some_and(|e| i < e) {
            continue;
        }
        match c {
            '*' | '`' => {}
            '_' if chars.peek().is_some_and(|(_, n)| *n == '_') => {
                chars.next();
            }
            ']' if s[i + 1..].starts_with('(') && no_close_from.is_none() => {
                // `](url)`: skip to the closing parenthesis; when there is
                // none, later `](` are not searched again (linear time).
                match s[i + 1..].find(')') {
                    Some(close) => skip_to = Some(i + 1 + close + 1),
                    None => no_close_from = Some(i),
                }
            }
            '[' | ']' => {}
            _ => out.push(c),
        }
    }
    out
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "dd",
    "dt",
    "dl",
    "td",
    "th",
    "tr",
    "table",
    "br",
    "hr",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "blockquote",
    "pre",
    "form",
    "figure",
    "figcaption",
    "address",
    "details",
    "summary",
    "body",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

const SKIPPED_TAGS: &[&str] = &["script", "style", "template", "svg", "math", "title"];

#[derive(Default)]
struct HtmlState {
    blocks: Vec<Block>,
    cur: Block,
    heading: Option<String>,
    in_heading: bool,
    /// Depth inside script/style/template/svg/title: text there is not read.
    skip: u32,
}

impl HtmlState {
    fn flush(&mut self) {
        if self.cur.text.trim().is_empty() {
            self.cur = Block::default();
            return;
        }
        let mut b = std::mem::take(&mut self.cur);
        if self.in_heading {
            let h = shown(&b.text);
            self.heading = Some(h);
        }
        b.heading = self.heading.clone();
        self.blocks.push(b);
    }
}

struct HtmlSink(RefCell<HtmlState>);

impl TokenSink for HtmlSink {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        let line = u32::try_from(line).unwrap_or(u32::MAX);
        let mut st = self.0.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                if SKIPPED_TAGS.contains(&name) {
                    if tag.kind == TagKind::StartTag && !tag.self_closing {
                        st.skip = st.skip.saturating_add(1);
                    } else if tag.kind == TagKind::EndTag {
                        st.skip = st.skip.saturating_sub(1);
                    }
                    if tag.kind == TagKind::StartTag && !tag.self_closing {
                        match name {
                            "script" => return TokenSinkResult::RawData(RawKind::ScriptData),
                            "style" => return TokenSinkResult::RawData(RawKind::Rawtext),
                            "title" => return TokenSinkResult::RawData(RawKind::Rcdata),
                            _ => {}
                        }
                    }
                    return TokenSinkResult::Continue;
                }
                if BLOCK_TAGS.contains(&name) {
                    st.flush();
                    let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
                    if heading {
                        st.in_heading = tag.kind == TagKind::StartTag;
                    }
                }
            }
            Token::CharacterTokens(t) => {
                if st.skip > 0 {
                    return TokenSinkResult::Continue;
                }
                // The tokenizer reports the line where the text ends.
                let newlines = t.matches('\n').count();
                let mut l = line.saturating_sub(u32::try_from(newlines).unwrap_or(0));
                for (k, part) in t.split('\n').enumerate() {
                    if k > 0 {
                        l = l.saturating_add(1);
                        st.cur.push_raw(" ", l.max(1));
                    }
                    st.cur.push_raw(part, l.max(1));
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }

    fn end(&self) {
        self.0.borrow_mut().flush();
    }
}

/// HTML → blocks, each with the nearest heading above it.
pub(crate) fn html_blocks(text: &str) -> Vec<Block> {
    let sink = HtmlSink(RefCell::new(HtmlState::default()));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let queue = BufferQueue::default();
    queue.push_back(StrTendril::from(text));
    let _ = tokenizer.feed(&queue);
    tokenizer.end();
    tokenizer.sink.0.into_inner().blocks
}

/// A word of a sentence: normalised, with its byte range in the sentence
/// and whether it starts with a capital letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub norm: String,
    pub start: usize,
    pub end: usize,
    pub capital: bool,
}

/// Lower case, «ё» as «е».
pub(crate) fn normalise(s: &str) -> String {
    s.chars()
        .flat_map(char::to_lowercase)
        .map(|c| if c == 'ё' { 'е' } else { c })
        .collect()
}

/// The words of `s`: maximal runs of letters and digits.
pub(crate) fn words(s: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in s.char_indices().chain(std::iter::once((s.len(), ' '))) {
        let inside = i < s.len() && c.is_alphanumeric();
        match (start, inside) {
            (None, true) => start = Some(i),
            (Some(b), false) => {
                let w = &s[b..i];
                out.push(Word {
                    norm: normalise(w),
                    start: b,
                    end: i,
                    capital: w.chars().next().is_some_and(char::is_uppercase),
                });
                start = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sent(md: &str) -> Vec<(u32, String)> {
        sentences(&markdown_blocks(md))
            .into_iter()
            .map(|s| (s.line, s.text))
            .collect()
    }

    #[test]
    fn sentences_keep_their_lines_and_skip_abbreviations() {
        let got = sent(
            "# Политика\n\nСогласно ч. 5 ст. 18 152-ФЗ данные хранятся в РФ. Второе\nпредложение здесь.\n\n- пункт списка;\n- ещё **один** [пункт](https://x.ru).\n",
        );
        assert_eq!(
            got,
            [
                (1, "Политика".to_string()),
                (
                    3,
                    "Согласно ч. 5 ст. 18 152-ФЗ данные хранятся в РФ.".to_string()
                ),
                (3, "Второе предложение здесь.".to_string()),
                (6, "пункт списка;".to_string()),
                (7, "ещё один пункт.".to_string()),
            ]
        );
        let s = sentences(&markdown_blocks("## Раздел 2\nТекст раздела.\n"));
        assert_eq!(s[1].heading.as_deref(), Some("Раздел 2"));
    }

    #[test]
    fn html_keeps_lines_and_the_nearest_heading() {
        let html = "<html><head><title>T</title><script>var a = 'в России.';</script></head>\n<body>\n<h2>Хранение</h2>\n<p>Данные хранятся\nв России.</p>\n<h2>Передача</h2><p>Мы&nbsp;не передаём данные.</p></body></html>";
        let s = sentences(&html_blocks(html));
        let got: Vec<_> = s
            .iter()
            .map(|s| (s.line, s.text.as_str(), s.heading.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (3, "Хранение", Some("Хранение")),
                (4, "Данные хранятся в России.", Some("Хранение")),
                (6, "Передача", Some("Передача")),
                (6, "Мы\u{a0}не передаём данные.", Some("Передача")),
            ]
        );
    }

    #[test]
    fn words_are_normalised_at_char_boundaries() {
        let w = words("Яндекс.Метрика, «Ёлка» e-mail");
        let n: Vec<_> = w.iter().map(|w| w.norm.as_str()).collect();
        assert_eq!(n, ["яндекс", "метрика", "елка", "e", "mail"]);
        assert!(w[0].capital && !w[3].capital);
        assert_eq!(
            &"Яндекс.Метрика, «Ёлка» e-mail"[w[2].start..w[2].end],
            "Ёлка"
        );
    }

    #[test]
    fn long_sentences_are_cut_at_a_char_boundary() {
        let s = "я".repeat(MAX_SENTENCE_SHOWN + 10);
        let out = shown(&s);
        assert_eq!(out.chars().count(), MAX_SENTENCE_SHOWN + 1);
        assert!(out.ends_with('…'));
        assert_eq!(shown("a\u{1b}[31m  b\u{202e}"), "a\u{fffd}[31m b\u{fffd}");
    }
}
