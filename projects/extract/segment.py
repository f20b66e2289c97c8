"""Chinese word segmentation: jieba, taught the plan documents' vocabulary.

The domain words (project suffixes such as 地块改造, status phrases such as 开工建设, the verbs that
open a clause) are added to a private jieba tokenizer so they come out as one token each; the
rules then work on tokens, never in the middle of a word ("大学" is not the end of "大学生").
"""

from __future__ import annotations

import logging
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
    base.initialize()
    for word, _kind, _strength in PROJECT_SUFFIXES:
        base.add_word(word, freq=50000, tag="n")
    for word in [*LEAD_WORDS, *TRAIL_WORDS, *STATUS_PHRASES, *status_keywords()]:
        if len(word) > 1:
            base.add_word(word, freq=50000, tag="v")
    pos = jieba.posseg.POSTokenizer(base)
    for word in PLACE_WORDS:
        _add_place(pos, word)
    return pos


def _add_place(pos: jieba.posseg.POSTokenizer, word: str) -> None:
    pos.tokenizer.add_word(word, freq=20000, tag="ns")
    pos.word_tag_tab[word] = "ns"


def add_places(words) -> None:
    """Teach the tokenizer place names (the catalog's streets, zones, districts): tagged ns."""
    pos = tokenizer()
    new = [w for w in words if w and pos.word_tag_tab.get(w) != "ns"]
    for word in new:
        _add_place(pos, word)
    if new:
        tokens.cache_clear()


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
