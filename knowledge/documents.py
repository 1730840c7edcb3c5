"""Reads the topic files of knowledge/content/: front matter, then '## ' sections."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HEADING = re.compile(r"^#{1,6}\s+(?P<title>.*)$")


@dataclass
class Document:
    meta: dict
    sections: list[tuple[str, str]] = field(default_factory=list)  # (heading, body text)

    def __getattr__(self, name):
        try:
            return self.meta[name]
        except KeyError:
            raise AttributeError(name) from None


def split_front_matter(text: str) -> tuple[str, str]:
    if not text.startswith("---\n"):
        raise ValueError("no front matter (the file must start with a line '---')")
    end = text.find("\n---", 4)
    if end < 0:
        raise ValueError("the front matter is not closed by a line '---'")
    return text[4:end], text[end + 4 :]


def sections(body: str) -> list[tuple[str, str]]:
    """(heading, text) for each heading; text before the first heading is not a section."""
    found: list[tuple[str, list[str]]] = []
    for line in body.splitlines():
        heading = HEADING.match(line)
        if heading:
            found.append((heading["title"].strip(), []))
        elif found:
            found[-1][1].append(line)
    return [(heading, "\n".join(lines).strip()) for heading, lines in found]


def read(path: Path) -> Document:
    raw, body = split_front_matter(path.read_text(encoding="utf-8"))
    return Document(yaml.safe_load(raw), sections(body))


def read_all(directory: Path) -> list[Document]:
    """Every topic file, in file-name order; assumes `make check-content` passed."""
    return [read(path) for path in sorted(directory.glob("*.md"))]
