"""Cleaning stage: keep the article, drop the page (no Dagster).

``clean_document(raw_text, source_name, template_keys)`` -> ``records.CleanedDocument``

Plain text / Markdown path (what the corpus mostly is: captures of news pages), line by line:

1. normalise: NFC, newlines, horizontal whitespace collapsed; a ``date YYYY-MM-DD`` header is taken off the
   first line; Markdown images removed, Markdown links reduced to their text; hard-wrapped sentences rejoined.
2. classify every line from the evidence it carries, jusText-style: length, terminal punctuation, stop-word
   density (English only; other languages use length and punctuation), page-furniture vocabulary
   (``data/boilerplate_*.txt``), the publisher's own appeals, timestamps / date-only lines, related-link prefixes
   ("Read also: ..."), repetition inside the page, and the corpus (``template_keys``: lines repeated across many
   documents of the same source folder) -> GOOD / NEAR / SHORT / BAD.
3. context: the body starts at the first GOOD paragraph; section cut-offs ("Related Posts", "MORE ABOUT",
   "Tags:", "Leave a Reply", ...) end it; a "READ ALSO" marker drops the headline lines after it; runs of
   headline-like lines (lists of other articles, with or without timestamps) are dropped; a NEAR sentence is
   kept next to article text; a single short line (sub-heading, one-line quote) only between article text.
4. title: the headline-like line before the body (preferring one followed by a byline/date or repeated).
5. published date, an ordered cascade that refuses to guess (``published_date_source`` says which fired):
   ``byline`` (a date line between the headline and the body, or right above the headline, or right after a
   standfirst that opens the body; "Published" preferred to "Updated"), ``dateline`` ("MIAMI (March 14, 2023) --" at
   the start of the first paragraph), ``header`` (``date YYYY-MM-DD``), for HTML ``html_meta``; else None.
   Never a capture date above the headline, never a date inside a related-links list, never a year guessed.

HTML (``.html``/``.htm`` or text that clearly is an HTML document) goes through trafilatura first.

This module is the entry point and the context rules (steps 3 and the assembly); the other steps have a module
each: ``lines`` (1: normalisation, the line record), ``boilerplate`` (2: line classes, vocabulary),
``templates`` (the corpus's template lines), ``title`` (4), ``published_date`` (5).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date

from defcomm_assets.core.records import CleanedDocument
from defcomm_assets.stages.clean_documents.boilerplate import (
    _BULLET,
    BAD,
    GOOD,
    NEAR,
    SHORT,
    _classify,
    _headline_like,
    _vocab,
)
from defcomm_assets.stages.clean_documents.language import detect_language
from defcomm_assets.stages.clean_documents.lines import (
    _BY_LINE,
    _HEADER,
    _continues,
    _has_label,
    _is_term,
    _label,
    _Line,
    _normalise,
    _replace_non_ascii_not_alnum,
    _tidy_lines,
)
from defcomm_assets.stages.clean_documents.published_date import _published
from defcomm_assets.stages.clean_documents.templates import _classified_line_key
from defcomm_assets.stages.clean_documents.title import _GLUED_BYLINE, _pick_title

__all__ = ["clean_document", "explain", "body_fingerprint"]


_HTML_SNIFF = re.compile(r"\A\s*(?:<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<html)", re.IGNORECASE)
_HTML_TAGS = re.compile(r"</?(?:html|head|body|div|p|span|a|article|section|nav|script|meta|br)\b[^>]*>", re.I)


def body_fingerprint(clean_text: str) -> str:
    """Exact-duplicate fingerprint of a cleaned body: case, whitespace and punctuation folded."""
    norm = unicodedata.normalize("NFKC", clean_text or "").casefold()
    # keep exactly the characters for which str.isalnum() is true (what re.sub(r"[\W_]+", "", norm) keeps): the
    # ASCII ones go in one byte-table pass (an ASCII byte never occurs inside a UTF-8 multi-byte character);
    # the regex then only looks at what is left, mostly letters, with few matches (curly quotes, dashes)
    data = norm.encode("utf-8", "surrogatepass").translate(None, _ASCII_NOT_ALNUM_BYTES)
    if not data.isascii():
        rest = data.decode("utf-8", "surrogatepass")
        if not rest.isalnum():
            data = _replace_non_ascii_not_alnum(rest, "").encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


_ASCII_NOT_ALNUM_BYTES = bytes(c for c in range(128) if not chr(c).isalnum())


def is_html(raw_text: str, source_name: str = "") -> bool:
    name = source_name.lower()
    if name.endswith((".html", ".htm", ".xhtml")):
        return True
    head = (raw_text or "")[:2000]
    if _HTML_SNIFF.match(head):
        return True
    return len(_HTML_TAGS.findall(head)) >= 8


def clean_document(raw_text: str, source_name: str = "",
                   template_keys: frozenset[str] = frozenset()) -> CleanedDocument:
    """Article body (sentences verbatim, NFC, whitespace tidied, paragraphs separated by a blank line, the
    headline as first paragraph), title, published date (+ which rule found it) and language of a raw page."""
    raw_text = raw_text or ""
    if is_html(raw_text, source_name):
        return _clean_html(raw_text, template_keys)
    return _clean_text(raw_text, template_keys)


def _prose_sample(lines: list[_Line]) -> str:
    parts, size, seen = [], 0, set()
    for ln in lines:
        t = ln.text
        if (len(t) >= 60 or (_is_term(t) and len(t) >= 25)) and t not in seen:
            seen.add(t)  # a block repeated on the page weighs once
            parts.append(t)
            size += len(t)
            if size >= 1000:
                break
    return " ".join(parts) if parts else " ".join(ln.text for ln in lines)[:1000]


def explain(raw_text: str, template_keys: frozenset[str] = frozenset()) -> list[tuple[str, str, str, bool]]:
    """Why each line of a plain-text page was kept or dropped: (line, class, rule, kept), for debugging and
    for per-rule statistics. ``class`` is good/near/short/bad, ``rule`` the rule that decided a drop
    (vocab, date, cut, run, dup, related, soft, template, ...) or "" (classification and context)."""
    trace: list = []
    _clean_text(raw_text, template_keys, trace=trace)
    return [(ln.text, ln.cls, ln.kind, ln.keep) for ln in trace]


def _clean_text(raw_text: str, template_keys: frozenset[str], meta_date: date | None = None,
                meta_title: str | None = None, trace: list | None = None) -> CleanedDocument:
    voc = _vocab()
    text = _normalise(raw_text)
    header_date = None
    hm = _HEADER.match(text)
    if hm:
        try:
            header_date = date(int(hm[1]), int(hm[2]), int(hm[3]))
        except ValueError:
            header_date = None
        text = text[hm.end():]

    lines: list[_Line] = []
    gap = False
    n_wrapped = 0
    for t in _tidy_lines(text):
        if not t:
            gap = True
            continue
        if lines and not gap and _continues(lines[-1].text, t):
            lines[-1].text += " " + t  # a hard-wrapped sentence continues on this line
            n_wrapped += 1
            continue
        lines.append(_Line(len(lines), t, gap))
        gap = False
    n_total = len(lines) + n_wrapped
    if not lines:
        return CleanedDocument("", None, header_date, "header" if header_date else None, "und", 0, 0, 0)

    language = detect_language(_prose_sample(lines))
    english = language == "en"
    _classify(lines, english, voc)

    # repeated lines inside the page (captions shown twice, newsletter blocks, the headline twice)
    counts: dict[str, int] = {}
    for ln in lines:
        ln.key = ln.label or ln.text.lower()
        counts[ln.key] = counts.get(ln.key, 0) + 1
    seen: set[str] = set()
    for ln in lines:
        if counts[ln.key] > 1 and ln.cls != BAD:
            if ln.cls != GOOD or ln.key in seen:
                ln.cls, ln.kind = BAD, "dup"
        seen.add(ln.key)

    # lines that the corpus says are template for this folder
    if template_keys:
        tmpl = [ln for ln in lines if ln.cls != BAD and _classified_line_key(ln) in template_keys]
        if tmpl:
            good_total = sum(ln.n for ln in lines if ln.cls == GOOD)
            good_tmpl = sum(ln.n for ln in tmpl if ln.cls == GOOD)
            spare_good = good_total and (good_total - good_tmpl) < 0.3 * good_total  # a syndicated copy
            for ln in tmpl:
                if ln.cls == GOOD and (spare_good or (ln.term and len(ln.words) < 25)):
                    continue  # a syndicated copy / a stock sentence ("The ministry gave no details.")
                ln.cls, ln.kind = BAD, "template"

    # a headline immediately followed by a date/timestamp line is an item of a list of articles
    for a, b in zip(lines, lines[1:]):
        if (b.kind == "date" and a.cls in (GOOD, NEAR, SHORT) and not a.term and a.n < 200
                and not _BY_LINE.match(a.text)):
            a.kind = "headline+date"

    # before the article: a list of other articles (headline, date, headline, date) is neither headline nor byline
    first_body = next((ln.i for ln in lines if ln.cls == GOOD and ln.kind != "headline+date"), len(lines))
    heads = [ln.i for ln in lines[:first_body] if ln.kind == "headline+date"]
    for a, b in zip(heads, heads[1:]):
        if b - a <= 3:
            for j in (a, a + 1, b, b + 1):
                if lines[j].kind in ("headline+date", "date"):
                    lines[j].kind = "list"

    def is_body(ln: _Line) -> bool:
        return ln.cls == GOOD and ln.kind != "headline+date"

    body_start = next((ln.i for ln in lines if is_body(ln)), None)
    if body_start is None:
        # a short item without any long paragraph: its sentences are the body
        for ln in lines:
            if ln.cls == NEAR and ln.term:
                ln.cls = GOOD
        body_start = next((ln.i for ln in lines if is_body(ln)), None)

    title_ln = _pick_title(lines, body_start if body_start is not None else len(lines), counts)

    if body_start is not None:
        _select_body(lines, body_start, is_body)

    kept = [ln for ln in lines if ln.keep]
    title = meta_title or (title_ln.text if title_ln is not None else None)
    if title is None and kept and not kept[0].term and kept[0].n <= 250 and len(kept) > 1:
        title = kept[0].text  # the page opens with its headline, long enough to pass for a paragraph
    if title:
        title = _GLUED_BYLINE.sub("", title).strip() or title

    paragraphs = _paragraphs(kept)
    if title:
        title_label = _label(title)  # once, not once per comparison
        if not any(_has_label(p, title_label) for p in paragraphs[:3]):  # (this covers the first paragraph too)
            paragraphs.insert(0, title)
    clean_text = "\n\n".join(paragraphs)

    pub, src = _published(lines, title_ln, body_start, header_date)
    if pub is None and meta_date is not None:
        pub, src = meta_date, "html_meta"

    removed = [ln for ln in lines if not ln.keep and ln is not title_ln]
    if trace is not None:
        trace.extend(lines)
    return CleanedDocument(
        clean_text=clean_text,
        title=title,
        published_date=pub,
        published_date_source=src,
        language=language,
        lines_total=n_total,
        lines_removed=len(removed),
        chars_removed=sum(ln.n for ln in removed),
    )


def _select_body(lines: list[_Line], body_start: int, is_body) -> None:
    n = len(lines)
    # section cut-off once the body has started
    end = n
    for ln in lines[body_start + 1:]:
        if ln.kind == "cut":
            end = ln.i
            break
    # "READ ALSO": the headline lines after it, up to the next paragraph of text, are related links
    dropping = False
    for ln in lines[body_start:end]:
        if ln.kind == "soft":
            dropping = True
            continue
        if dropping:
            if is_body(ln):
                dropping = False
            else:
                ln.cls, ln.kind = BAD, ln.kind or "related"
    # runs of headline-like lines (with their timestamps) are lists of other articles
    run: list[_Line] = []

    def flush():
        if sum(1 for x in run if _headline_like(x) or x.kind == "headline+date") >= 2:
            intro = lines[run[0].i - 1] if run[0].i > 0 else None
            if (intro is not None and intro.text.endswith(":") and intro.cls in (GOOD, NEAR)
                    and all(_BULLET.match(x.text) and not x.kind for x in run)):
                for x in run:  # "The package includes:" + a bulleted list: part of the article
                    x.kind = "item"
                run.clear()
                return
            for x in run:
                if x.cls != BAD:
                    x.cls, x.kind = BAD, "run"
        run.clear()

    for ln in lines[body_start:end]:
        if (_headline_like(ln) or ln.kind in ("date", "headline+date")) and not (ln.cls == GOOD and ln.term) \
                and not (ln.i == end - 1 and _CUT_OFF.match(ln.text)):  # no headline ends "... discussed the"
            run.append(ln)
        else:
            flush()
    flush()

    body = lines[body_start:end]
    good = [ln for ln in body if is_body(ln)]
    if not good:
        return
    for ln in good:
        ln.keep = True
    # NEAR sentences next to article text (propagates through consecutive sentences)
    changed = True
    while changed:
        changed = False
        for ln in lines[:end]:
            if ln.keep or ln.cls != NEAR or ln.kind == "headline+date" or not (
                    ln.term or ln.i == end - 1 and _CUT_OFF.match(ln.text)):
                continue  # (the page's last line cut off mid-sentence is a sentence too: "... discussed the")
            prev = _neighbour(lines, ln.i, -1, 0, end)
            nxt = _neighbour(lines, ln.i, +1, 0, end)
            if (prev is not None and prev.keep) or (nxt is not None and nxt.keep):
                ln.keep = True
                changed = True
    # a single short line (sub-heading, one-line quote) between kept text
    last_kept = max(ln.i for ln in lines[:end] if ln.keep)
    for ln in lines[body_start:last_kept]:
        if ln.keep or ln.cls not in (NEAR, SHORT) or ln.kind:
            continue
        p = lines[ln.i - 1] if ln.i > 0 else None
        q = lines[ln.i + 1] if ln.i + 1 < n else None
        if p is not None and q is not None and p.keep and q.cls in (GOOD, NEAR) and (q.keep or q.term):
            ln.keep = True
    # the items of a bulleted list introduced by a kept line
    for ln in lines[body_start:end]:
        if ln.kind == "item" and ln.i > 0 and lines[ln.i - 1].keep:
            ln.keep = True
    # a line that introduces what follows ("Note from the author:") goes when what follows went
    for ln in reversed(lines[:end]):
        if ln.keep and ln.cls != GOOD and ln.text.endswith(":"):
            q = lines[ln.i + 1] if ln.i + 1 < n else None
            if q is None or not q.keep:
                ln.keep = False


# furniture inside the article (a photo caption, a share bar, a timestamp) does not part a sentence from its text
_TRANSPARENT = frozenset(("caption", "date"))


_CUT_OFF = re.compile(r"[A-Z][^.!?]*(?:\s\S+){5,}\s(?:the|a|an|of|and|to|in|on|for|with|at|by|from|that|its|their|his|"
                      r"her|our)\s*$")


def _neighbour(lines: list[_Line], i: int, step: int, lo: int, hi: int) -> _Line | None:
    """Nearest line in direction ``step`` that is not SHORT (jusText: short blocks are transparent) nor
    in-article furniture."""
    j = i + step
    while lo <= j < hi:
        if lines[j].cls != SHORT and lines[j].kind not in _TRANSPARENT:
            return lines[j]
        j += step
    return None


def _paragraphs(kept: list[_Line]) -> list[str]:
    # hard-wrapped sentences were rejoined before classification (``_continues``); every kept line is a paragraph
    return [ln.text for ln in kept]


def _clean_html(raw_html: str, template_keys: frozenset[str]) -> CleanedDocument:
    try:
        import trafilatura  # lazy: ~0.8 s to import (lxml, htmldate, courlan), only for the rare HTML page

        doc = trafilatura.bare_extraction(
            raw_html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # a broken page is cleaned as text rather than lost
        doc = None
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        stripped = re.sub(r"(?is)<(script|style)\b.*?</\1>|<[^>]+>", "\n", raw_html)
        return _clean_text(stripped, template_keys)
    meta_date = None
    if getattr(doc, "date", None):
        try:
            meta_date = date.fromisoformat(str(doc.date)[:10])
        except ValueError:
            meta_date = None
    title = (doc.title or "").strip() or None
    text = doc.text
    if title and not text.lstrip().startswith(title):
        text = title + "\n\n" + text
    res = _clean_text(text, template_keys, meta_date=meta_date, meta_title=title)
    return res
