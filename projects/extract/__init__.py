"""Drafting catalog entries from a new plan document: ``zonemap extract`` and ``zonemap review``.

The pipeline, one module per step, each a readable table of rules:

- :mod:`projects.extract.text`: reading (UTF-8, a BOM, GBK), cleaning conversion noise, the
  section headings, sentences with their offsets into the original text;
- :mod:`projects.extract.rules`: the domain vocabulary (project suffixes and kinds, status
  words, list headers, zone suffixes) — data, not code;
- :mod:`projects.extract.names`: project names in a sentence (jieba segmentation plus the rules);
- :mod:`projects.extract.match`: a proposed name against the catalog (name, alias, fuzzy);
- :mod:`projects.extract.draft`: the draft entries and their verified quotes, written atomically;
- :mod:`projects.extract.review`: the terminal review and the ``review`` field the loader reads.

This ``__init__`` imports nothing heavy: the loader imports :mod:`projects.extract.fields`.
"""
