"""A plan document as text: decoding, cleaning conversion noise, headings, sentences, quotes.

The cleaned text keeps, for every character, its offset in the original (decoded) text, so a
quote is always cut from the original and verified the way the loader verifies it
(:func:`projects.dataset.normalise_text`: whitespace-insensitive substring).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from projects.dataset import normalise_text
from projects.extract.errors import ExtractError
from projects.extract.rules import BOILERPLATE_LINE, HEADING_PATTERNS, NOISE_PATTERNS

CJK = re.compile(r"[\u3400-\u9fff]")
MAX_QUOTE = 80  # the loader's limit (geo.records.MAX_QUOTE)
SENTENCE_END = "。！？；;!?"


@dataclass
class Sentence:
    """One sentence of the cleaned text: ``start``/``end`` are offsets into the cleaned text."""

    index: int
    start: int
    end: int
    text: str
    section: str | None
    headings: tuple[str, ...]  # the heading path, outermost first, run-in heading last
    runin: str | None  # the run-in heading of its paragraph ("站北商贸商务文化区：…"), if any
    line: int  # 1-based line number in the original text


@dataclass
class Document:
    """A decoded, cleaned plan document."""

    path: Path
    raw: str
    encoding: str
    notes: list[str]
    text: str = ""
    offsets: list[int] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)
    normalised: str = ""

    def quote(self, start: int, end: int, keep: tuple[int, int] | None = None) -> str | None:
        """A verbatim quote (≤ 80 characters) for cleaned span ``[start, end)``.

        The quote is cut from the original text; when the span is too long or crosses removed
        noise (a bookmark, markup), it is narrowed around ``keep`` (the name it must show).
        Returns ``None`` if no verifiable quote contains ``keep``.
        """
        keep = keep or (start, end)
        lo, hi = start, end
        while True:
            q = self._raw_slice(lo, hi)
            if q is not None and len(q) <= MAX_QUOTE and normalise_text(q) in self.normalised:
                return q
            if hi - lo <= keep[1] - keep[0] and (lo, hi) == keep:
                return None
            # Narrow from the side farther from the name, one character at a time.
            left, right = keep[0] - lo, hi - keep[1]
            if left <= 0 and right <= 0:
                lo, hi = keep
            elif left >= right:
                lo += 1
            else:
                hi -= 1

    def _raw_slice(self, lo: int, hi: int) -> str | None:
        if hi <= lo:
            return None
        a, b = self.offsets[lo], self.offsets[hi - 1] + 1
        q = self.raw[a:b].strip()
        # Only whitespace may have been removed inside the span: otherwise the quote would carry
        # markup ([bookmark: …], <strong>, **) that is not the document's wording.
        if normalise_text(q) != normalise_text(self.text[lo:hi]):
            return None
        return q


def decode(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """Bytes → (text, encoding, notes). UTF-8 (with or without a BOM), UTF-16 with a BOM, GBK."""
    notes: list[str] = []
    if not data.strip():
        raise ExtractError(f"{name}: the file is empty: expected the plain text of a plan document")
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8):], "utf-8"
        notes.append(f"{name}: starts with a UTF-8 byte-order mark; read as UTF-8 without it")
        text = _strict(data, "utf-8", name)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
        text = _strict(data, "utf-16", name)
        notes.append(f"{name}: UTF-16 with a byte-order mark; converted to UTF-8")
    elif b"\x00" in data[:8192]:
        raise ExtractError(f"{name}: looks like a binary file (NUL bytes): expected plain text (UTF-8 or GBK)")
    else:
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            try:
                text, encoding = data.decode("gb18030"), "gbk"
            except UnicodeDecodeError:
                raise ExtractError(f"{name}: neither UTF-8 nor GBK text: expected the plain text of a plan document") from None
            notes.append(f"{name}: GBK (GB18030) text, converted to UTF-8 for reading")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\n\t")
    if control > max(5, len(text) // 200):
        raise ExtractError(f"{name}: looks like a binary file ({control} control characters): expected plain text")
    if not CJK.search(text):
        raise ExtractError(f"{name}: no Chinese text found: expected a plan document in Chinese")
    return text, encoding, notes


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ExtractError(f"{name}: not valid {encoding.upper()} after its byte-order mark ({exc.reason} at byte {exc.start})") from None


def read_document(path: Path) -> Document:
    """Read, decode and clean a plan document; raise :class:`ExtractError` on bad input."""
    path = Path(path)
    if not path.is_file():
        raise ExtractError(f"{path}: no such file")
    raw, encoding, notes = decode(path.read_bytes(), str(path))
    doc = Document(path=path, raw=raw, encoding=encoding, notes=notes)
    doc.text, doc.offsets = clean(raw)
    doc.normalised = normalise_text(raw)
    doc.sentences = split_sentences(doc)
    return doc


def clean(raw: str) -> tuple[str, list[int]]:
    """Remove conversion noise; return the cleaned text and, per character, its raw offset."""
    text, offsets = raw, list(range(len(raw)))
    for pattern in NOISE_PATTERNS:
        text, offsets = _delete(text, offsets, pattern)
    text, offsets = _delete(text, offsets, BOILERPLATE_LINE)
    text, offsets = _delete_spaces(text, offsets)
    text, offsets = _join_broken_lines(text, offsets)
    return text, offsets


_BREAK = re.compile(r"\n+")


def _join_broken_lines(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Join a paragraph a page break cut in two ("…大\n\n连创谷汇双创产业中心…").

    A break is inside a paragraph when the line before it is a paragraph line (over 48
    characters) that does not end a sentence, and the line after it starts with Chinese text and
    is no heading.
    """
    out, outoff, pos = [], [], 0
    for m in _BREAK.finditer(text):
        before = text[text.rfind("\n", 0, m.start()) + 1:m.start()]
        nxt_end = text.find("\n", m.end())
        after = text[m.end():nxt_end if nxt_end >= 0 else len(text)]
        if (len(before) > 48 and not re.search(r"[。！？；;：:!?”）)]$", before)
                and re.match(r"[\u4e00-\u9fff“（]", after) and heading_kind(after) is None):
            out.append(text[pos:m.start()])
            outoff.extend(offsets[pos:m.start()])
            pos = m.end()
    out.append(text[pos:])
    outoff.extend(offsets[pos:])
    return "".join(out), outoff


def _delete(text: str, offsets: list[int], pattern: re.Pattern) -> tuple[str, list[int]]:
    out, outoff, pos = [], [], 0
    for m in pattern.finditer(text):
        out.append(text[pos:m.start()])
        outoff.extend(offsets[pos:m.start()])
        pos = m.end()
    out.append(text[pos:])
    outoff.extend(offsets[pos:])
    return "".join(out), outoff


_SPACE = re.compile(r"[ \t\u3000\u00a0\u2002\u2003\ufeff]+")


def _delete_spaces(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Horizontal whitespace goes, except between two ASCII letters/digits ("IBM Watson").

    Page breaks and justification in converted documents put spaces inside Chinese words
    ("房 屋征收"); Chinese text has no spaces of its own.
    """
    out, outoff, pos = [], [], 0
    for m in _SPACE.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        after = text[m.end()] if m.end() < len(text) else ""
        if before.isascii() and before.isalnum() and after.isascii() and after.isalnum():
            continue
        out.append(text[pos:m.start()])
        outoff.extend(offsets[pos:m.start()])
        pos = m.end()
    out.append(text[pos:])
    outoff.extend(offsets[pos:])
    return "".join(out), outoff


_RUNIN_COLON = re.compile(r"^(?:——)?((?:[^，,。；;：:、！？\n“”\"（）()]|（\d+项）|\(\d+项\)){2,24}?)[：:](?=.)")
# A numbered title run into its paragraph: "1、空间布局。“一轴”是…", "（二）优化布局：…". It heads the
# paragraphs after it too, like a heading on its own line.
_NUMBERED_RUNIN = re.compile(r"^((?:\d{1,2}[、.．]|[（(][一二三四五六七八九十\d]{1,2}[）)])[^，,。；;：:！？\n“”\"]{2,14})[。：:](?=.{20,})")
_RUNIN_STOP = re.compile(r"^(?:——)?([^，,。；;：:、！？\n“”\"]{2,20})。(?=.)")


def heading_kind(line: str) -> str | None:
    """The heading pattern a line matches ("chapter", "cn" …), or None for a paragraph line."""
    if len(line) > 48 or line.endswith(("。", "；", ";", "，", ",")) or "。" in line[:-1]:
        return None
    for kind, pattern in HEADING_PATTERNS:
        if pattern.match(line):
            return kind
    return None


def runin_heading(line: str) -> str | None:
    """A paragraph's run-in heading: "站北商贸商务文化区：…", "——香炉礁国际商贸物流区。…".

    A short first sentence ending in 。 counts only when a paragraph follows it (40+ characters).
    """
    m = _RUNIN_COLON.match(line)
    if m:
        return m.group(1)
    m = _RUNIN_STOP.match(line)
    if m and re.match(r"[一二三四五六七八九十]+是", m.group(1)):
        return None  # "七是北水南调入连工程全面竣工通水。": an enumerated finding, a sentence
    return m.group(1) if m and len(line) - m.end() >= 40 else None


def _is_plain_heading(lines: list[str], i: int) -> bool:
    """An unnumbered heading line: short, no punctuation, between an empty line or heading and a paragraph."""
    line = lines[i]
    if not (2 <= len(line) <= 40) or re.search(r"[。，,；;：:！？]", line) or not CJK.search(line):
        return False
    nxt = next((l for l in lines[i + 1:] if l.strip()), "")
    return len(nxt) > 48


def _heading_text(doc: Document, start: int, length: int) -> str:
    """A heading as written: its spaces kept (collapsed), its noise removed ("专栏1  重点…" → "专栏1 重点…")."""
    raw = doc.raw[doc.offsets[start]:doc.offsets[start + length - 1] + 1]
    for pattern in NOISE_PATTERNS:
        raw = pattern.sub("", raw)
    return re.sub(r"\s+", " ", raw).strip()


def split_sentences(doc: Document) -> list[Sentence]:
    """Sentences of the cleaned text with the heading path each one sits under."""
    sentences: list[Sentence] = []
    stack: list[tuple[str, str]] = []  # (kind, heading text)
    lines = doc.text.split("\n")
    pos = 0
    for i, line in enumerate(lines):
        start = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        kind = heading_kind(line)
        if kind is None and not sentences and not stack and not re.search(r"[。；;！？]", line):
            continue  # the title lines above the first sentence are not sentences
        if kind is None and _is_plain_heading(lines, i):
            if not sentences:
                continue  # a title before the first paragraph is the document's title, not a section
            kind = "plain"
        if kind:
            line = _heading_text(doc, start, len(line)) or line
            if kind == "plain":
                stack = [(kind, line)]
            else:
                kinds = [k for k, _ in stack]
                if kind in kinds:
                    stack = stack[:kinds.index(kind)]
                stack.append((kind, line))
            continue
        m = _NUMBERED_RUNIN.match(line)
        if m and (kind := heading_kind(m.group(1))):
            kinds = [k for k, _ in stack]
            if kind in kinds:
                stack = stack[:kinds.index(kind)]
            stack.append((kind, m.group(1)))
        runin = None if m and kind else runin_heading(line)
        path = [text for _, text in stack]
        boxes = [n for n, (k, _) in enumerate(stack) if k == "box"]
        if boxes:  # a 专栏 box is cited by its own number, as the documents do
            path = path[boxes[-1]:]
        if runin:
            path.append(runin)
        section = " ".join(path) if path else None
        raw_line = doc.offsets[start] if start < len(doc.offsets) else 0
        line_no = doc.raw.count("\n", 0, raw_line) + 1
        s = 0
        for m in re.finditer(f"[{SENTENCE_END}]|$", line):
            e = m.end()
            if e > s and line[s:e].strip(SENTENCE_END + " "):
                sentences.append(Sentence(len(sentences), start + s, start + e, line[s:e], section, tuple(path), runin, line_no))
            s = e
            if e >= len(line):
                break
    return sentences
