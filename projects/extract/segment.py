"""Chinese word segmentation: jieba, taught the plan documents' vocabulary.

The domain words (project suffixes such as 地块改造, status phrases such as 开工建设, the verbs that
open a clause) are added to a private jieba tokenizer so they come out as one token each; the
rules then work on tokens, never in the middle of a word ("大学" is not the end of "大学生").
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from functools import lru_cache

import jieba
import jieba.posseg

from projects.extract.rules import LEAD_WORDS, PLACE_WORDS, PROJECT_SUFFIXES, TRAIL_WORDS
from projects.extract.statuses import status_keywords

jieba.setLogLevel(logging.WARNING)

# Extra status phrases, so they segment whole (their meaning still comes from projects.status).
STATUS_PHRASES = [
    "开工建设", "投入使用", "投入运营", "建成投产", "建成投用", "完工达效", "投产达效", "建成达效", "竣工通车",
    "开门纳客", "试营业", "主体完工", "封顶", "前期推进", "实施建设", "加快推进", "重点实施", "重点推进", "相继投入使用",
]


@dataclass(frozen=True)
class Token:
    word: str
    flag: str  # jieba part of speech: n, ns (place), nr (person), nz, v, d …
    start: int
    end: int


@lru_cache(maxsize=1)
def tokenizer() -> jieba.posseg.POSTokenizer:
    """The jieba tokenizer with the domain vocabulary (built once per process)."""
    base = jieba.Tokenizer()
    # jieba caches its dictionary in the temporary folder under one shared name; a cache another
    # user wrote cannot be replaced (jieba then prints a traceback): one cache file per user.
    base.cache_file = f"jieba.u{os.getuid()}.cache" if hasattr(os, "getuid") else None
    base.initialize()
    for word, _kind, _strength in PROJECT_SUFFIXES:
        base.add_word(word, freq=50000, tag="n")
    for word in [*LEAD_WORDS, *TRAIL_WORDS, *STATUS_PHRASES, *status_keywords()]:
        if len(word) > 1:
            base.add_word(word, freq=50000, tag="v")
    pos = jieba.posseg.POSTokenizer(base)
    for word in PLACE_WORDS:
        _add_place(pos, word)
    pos.word_tag_tab.update(base.user_word_tag_tab)
    base.user_word_tag_tab = {}
    _BASE.update(freq=dict(base.FREQ), total=base.total, tags=dict(pos.word_tag_tab))
    return pos


_BASE: dict = {}  # the domain vocabulary before any catalog's places: add_places starts from it


def _add_place(pos: jieba.posseg.POSTokenizer, word: str) -> None:
    pos.tokenizer.add_word(word, freq=20000, tag="ns")
    pos.word_tag_tab[word] = "ns"


def add_places(words) -> None:
    """Teach the tokenizer the place names of one catalog (its streets, zones, districts), tagged ns.

    They replace the places an earlier call taught: one process may extract against several
    catalogs (the benchmark holds each document out in turn), and a catalog that still held a
    document must not teach its zone names to the extraction that holds it out.
    """
    pos = tokenizer()
    pos.tokenizer.FREQ = dict(_BASE["freq"])
    pos.tokenizer.total = _BASE["total"]
    pos.tokenizer.user_word_tag_tab = {}
    pos.word_tag_tab = dict(_BASE["tags"])
    for word in dict.fromkeys(w for w in words if w):
        if pos.word_tag_tab.get(word) != "ns":
            _add_place(pos, word)
    tokens.cache_clear()
    for clear in _CACHES:
        clear()


_CACHES: list = []  # cache_clear of caches built on tokens (names.ctx_of)


def on_new_places(clear) -> None:
    """Register a cache's ``cache_clear``: called when add_places changes the vocabulary."""
    _CACHES.append(clear)


@lru_cache(maxsize=65536)
def tokens(text: str) -> tuple[Token, ...]:
    """Tokens of ``text`` with their parts of speech and offsets."""
    out, pos = [], 0
    for pair in tokenizer().cut(text, HMM=True):
        out.append(Token(pair.word, pair.flag, pos, pos + len(pair.word)))
        pos += len(pair.word)
    return tuple(out)


def boundaries(text: str) -> set[int]:
    """Offsets in ``text`` where one token ends and the next begins (0 and len included)."""
    b = {0, len(text)}
    for t in tokens(text):
        b.add(t.end)
    return b
