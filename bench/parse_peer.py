#!/usr/bin/env python3
"""The peer for gonogo's parse stage: markdown-it-py (CommonMark + task lists) tokenising the
same file and collecting the task items, with nothing else done."""
import sys
from markdown_it import MarkdownIt

md = MarkdownIt("commonmark").enable("table")
tokens = md.parse(open(sys.argv[1], encoding="utf-8").read())
items = sum(1 for t in tokens if t.type == "inline" and t.content.startswith(("[ ]", "[x]")))
print(items)
