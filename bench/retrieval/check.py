#!/usr/bin/env python3
"""Checks the retrieval set: questions.json against the documents in docs/.

    python3 bench/retrieval/check.py

Plain Python 3 standard library, except for the PDF, whose text is read with pypdf
(`pip install pypdf`, e.g. in a venv: `python3 -m venv /tmp/rsvenv &&
/tmp/rsvenv/bin/pip install pypdf`, then run this script with /tmp/rsvenv/bin/python).
The DOCX is read with zipfile + ElementTree, the HTML with html.parser.

Each document is turned into the text a reader would extract, as a list of blocks:
a PDF page; a DOCX paragraph or table-cell paragraph; an HTML block element's text;
a Markdown or TXT paragraph (lines between blank lines; each list item on its own).
Whitespace is collapsed. A phrase must sit inside one block, so a phrase that spans a
page break or a table-cell boundary fails.

It checks:
  - the schema: ids q01.. unique and in order, lang en|pt, answerable bool; answerable
    questions name an existing source and give 1-2 expect phrases; unanswerable ones
    carry neither;
  - every expect phrase occurs verbatim (same case and accents) in one block of its
    source document, and in no other document of the set, so that a hit identifies the
    right document;
  - for faq.html, every phrase occurs inside <main> and never in the page's boilerplate
    (cookie banner, header, navigation, ad, newsletter, footer);
  - for every unanswerable question, none of the words listed for it below occurs in
    any document (a guard against the documents answering it after an edit).
Exit status 0 when all checks pass; it ends with an 'N passed, N failed' line.
"""

import html.parser
import json
import pathlib
import re
import sys
import zipfile
import xml.etree.ElementTree as ET

HERE = pathlib.Path(__file__).resolve().parent
DOCS = HERE / "docs"
QUESTIONS = HERE / "questions.json"

# Words whose presence in any document would suggest an "unanswerable" question has
# become answerable. Matched case-insensitively as regular expressions.
UNANSWERABLE_GUARDS = {
    "do you sell gift cards": [r"gift ?cards?", r"cart(ã|a)o[- ]presente", r"vale[- ]presente"],
    "trade discount": [r"designers?\b", r"architects?", r"arquitet", r"trade (discount|programme|program)", r"\bB2B\b"],
    "are you hiring": [r"hiring", r"\bjobs?\b", r"careers?", r"vagas?\b", r"trabalhe conosco"],
    "FSC": [r"\bFSC\b", r"certified wood", r"reflorest", r"sustainab"],
    "rent furniture": [r"\brent(al|ing)?\b", r"alug", r"subscription"],
    "take away my old sofa": [r"old (sofa|furniture|mattress)", r"haul", r"m(ó|o)veis? (velhos?|antigos?)", r"descarte"],
    "aplicativo": [r"aplicativo", r"\bapp\b", r"app store", r"google play"],
    "Amazon": [r"amazon", r"mercado livre", r"marketplace"],
    "indicar um amigo": [r"indica(r|ção|cao|ções)", r"referral", r"refer a friend", r"indique"],
    "bitcoin": [r"bitcoin", r"criptomoeda", r"crypto"],
    "cozinha planejada": [r"cozinha", r"kitchen", r"planejad"],
    "student discount": [r"student", r"estudante", r"universit"],
    "110 ou 220": [r"\b110\s*v?\b", r"\b220\s*v?\b", r"\bvolts?\b", r"voltage", r"voltagem", r"bivolt"],
}


def collapse(text):
    return re.sub(r"\s+", " ", text).strip()


def pdf_blocks(path):
    from pypdf import PdfReader  # the one non-stdlib dependency

    return [page.extract_text() or "" for page in PdfReader(str(path)).pages]


def docx_blocks(path):
    ns = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
    blocks = []
    for p in root.iter(ns + "p"):  # body paragraphs and the paragraphs inside table cells
        parts = []
        for el in p.iter():
            if el.tag == ns + "t":
                parts.append(el.text or "")
            elif el.tag in (ns + "tab", ns + "br"):
                parts.append(" ")
        blocks.append("".join(parts))
    return blocks


BLOCK_TAGS = {
    "p", "div", "section", "article", "aside", "header", "footer", "nav", "main", "ul", "ol",
    "li", "h1", "h2", "h3", "h4", "h5", "h6", "address", "form", "button", "table", "tr",
    "td", "th", "br", "title", "small", "strong", "span", "a",
}
SKIP_TAGS = {"script", "style", "head"}


class HtmlBlocks(html.parser.HTMLParser):
    """Splits an HTML page into text blocks, remembering whether each is inside <main>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []  # (in_main, text)
        self.current = []
        self.main_depth = 0
        self.skip_depth = 0

    def flush(self):
        text = collapse("".join(self.current))
        if text:
            self.blocks.append((self.main_depth > 0, text))
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in SKIP_TAGS:
            self.skip_depth += 1
            return
        if tag in BLOCK_TAGS and tag not in ("strong", "span", "a", "small"):
            self.flush()
        if tag == "main":
            self.main_depth += 1

    def handle_endtag(self, tag):
        if tag in SKIP_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
            return
        if tag in BLOCK_TAGS and tag not in ("strong", "span", "a", "small"):
            self.flush()
        if tag == "main":
            self.main_depth -= 1

    def handle_data(self, data):
        if not self.skip_depth:
            self.current.append(data)


def html_parse(path):
    parser = HtmlBlocks()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    parser.flush()
    return parser.blocks


def html_blocks(path):
    return [text for _, text in html_parse(path)]


def markdown_to_text(line):
    line = re.sub(r"^\s{0,3}#{1,6}\s+", "", line)  # heading marks
    line = re.sub(r"^\s*([-*+]|\d+\.)\s+", "", line)  # list marks
    line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # links
    line = line.replace("**", "").replace("`", "")
    line = re.sub(r"(?<![\w*])\*(?!\s)([^*]+?)\*(?![\w*])", r"\1", line)  # *emphasis*
    return line


def paragraph_blocks(text, markdown):
    blocks, current = [], []
    for line in text.splitlines():
        is_item = markdown and re.match(r"^\s*([-*+]|\d+\.)\s+", line)
        if not line.strip() or is_item or (markdown and line.lstrip().startswith("#")):
            if current:
                blocks.append(" ".join(current))
            current = []
        if line.strip():
            current.append(markdown_to_text(line) if markdown else line)
            if markdown and line.lstrip().startswith("#"):
                blocks.append(" ".join(current))
                current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def document_blocks(path):
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        blocks = pdf_blocks(path)
    elif suffix == ".docx":
        blocks = docx_blocks(path)
    elif suffix in (".html", ".htm"):
        blocks = html_blocks(path)
    elif suffix == ".md":
        blocks = paragraph_blocks(path.read_text(encoding="utf-8"), markdown=True)
    elif suffix == ".txt":
        blocks = paragraph_blocks(path.read_text(encoding="utf-8"), markdown=False)
    else:
        raise SystemExit(f"unknown document type: {path.name}")
    return [b for b in (collapse(x) for x in blocks) if b]


def main():
    passed, failed = 0, 0
    problems = []

    def check(ok, message):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            problems.append(message)

    docs = {p.name: document_blocks(p) for p in sorted(DOCS.iterdir()) if p.is_file()}
    questions = json.loads(QUESTIONS.read_text(encoding="utf-8"))
    check(isinstance(questions, list) and len(questions) >= 48, "questions.json must be an array of at least 48")

    faq_boilerplate = " \n ".join(t for in_main, t in html_parse(DOCS / "faq.html") if not in_main)

    for i, q in enumerate(questions, 1):
        qid = q.get("id")
        check(qid == f"q{i:02d}", f"question {i}: id {qid!r}, expected q{i:02d}")
        check(q.get("lang") in ("en", "pt"), f"{qid}: lang must be en or pt")
        check(isinstance(q.get("question"), str) and q["question"].strip(), f"{qid}: empty question")
        answerable = q.get("answerable")
        check(isinstance(answerable, bool), f"{qid}: answerable must be true or false")
        if answerable:
            keys = {"id", "lang", "question", "answerable", "source", "expect"}
            check(set(q) == keys, f"{qid}: keys must be {sorted(keys)}, got {sorted(q)}")
            source = q.get("source")
            check(source in docs, f"{qid}: unknown source {source!r}")
            expect = q.get("expect") or []
            check(isinstance(expect, list) and 1 <= len(expect) <= 2, f"{qid}: give 1-2 expect phrases")
            for phrase in expect:
                phrase_c = collapse(phrase)
                check(len(phrase_c) >= 8, f"{qid}: expect phrase too short to be specific: {phrase!r}")
                if source in docs:
                    check(any(phrase_c in b for b in docs[source]),
                          f"{qid}: {phrase!r} not found in one block of {source}")
                others = [name for name, blocks in docs.items()
                          if name != source and any(phrase_c in b for b in blocks)]
                check(not others, f"{qid}: {phrase!r} also occurs in {', '.join(others)}")
                if source == "faq.html":
                    check(phrase_c not in collapse(faq_boilerplate),
                          f"{qid}: {phrase!r} occurs in faq.html boilerplate")
        else:
            keys = {"id", "lang", "question", "answerable"}
            check(set(q) == keys, f"{qid}: an unanswerable question has keys {sorted(keys)}, got {sorted(q)}")

    all_text = "\n".join(" ".join(blocks) for blocks in docs.values())
    for topic, patterns in UNANSWERABLE_GUARDS.items():
        for pattern in patterns:
            m = re.search(pattern, all_text, re.IGNORECASE)
            check(m is None, f"unanswerable guard '{topic}': /{pattern}/ matches {m.group(0)!r}" if m else "")

    answerable = [q for q in questions if q.get("answerable")]
    unanswerable = [q for q in questions if q.get("answerable") is False]
    by_lang = {lang: sum(1 for q in questions if q.get("lang") == lang) for lang in ("en", "pt")}
    print(f"documents: {len(docs)} ({', '.join(f'{n} {sum(len(b.split()) for b in bl)} words' for n, bl in docs.items())})")
    print(f"questions: {len(questions)}; en {by_lang['en']}, pt {by_lang['pt']}; "
          f"answerable {len(answerable)}, unanswerable {len(unanswerable)}")
    for source in docs:
        n = sum(1 for q in answerable if q.get("source") == source)
        print(f"  {source}: {n} questions")
    for p in problems:
        print("FAIL", p)
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
