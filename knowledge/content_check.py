"""Checks the topic files in knowledge/content/ before anything uses them.

`python -m knowledge.content_check` (part of `make test`) prints one line per
problem, naming the file and the reason, and exits 1 when there is any.
What is checked: the front matter (present, valid YAML, every field, valid
values, a `summary` of one line and at most 200 characters, `id` and the file
name agreeing with `topic` and `lang`), each topic in both French and Dutch,
links to other topic files, and empty sections.
"""

from __future__ import annotations

import datetime
import re
import sys
from pathlib import Path

import yaml

from common.vocabulary import CONTENT_AREAS, LANGUAGES
from knowledge.documents import sections, split_front_matter
from knowledge.sheets import ROLE_HEADINGS, section_role

CONTENT_DIR = Path(__file__).resolve().parent / "content"
TEXT_FIELDS = ("id", "topic", "area", "lang", "title", "url", "audience")
FILE_NAME = re.compile(r"^(?P<topic>[a-z0-9_]+)\.(?P<lang>[a-z]{2})\.md$")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
# The summary opens every answer built from the sheet, above the chosen section:
# a visitor must take it in at a glance, so one short line.
SUMMARY_MAX = 200


def summary_problems(summary: object, limit: int = SUMMARY_MAX) -> list[str]:
    # splitlines() also catches a YAML block scalar's trailing newline and \r, \u2028…
    if isinstance(summary, str) and summary.strip() and summary.splitlines() == [summary] and len(summary) <= limit:
        return []
    length = f" (it has {len(summary)})" if isinstance(summary, str) and len(summary) > limit else ""
    return [f"'summary' must be a non-empty single line of at most {limit} characters{length}"]


def front_matter_problems(meta: object, path: Path) -> list[str]:
    if not isinstance(meta, dict):
        return ["the front matter is not a set of 'key: value' lines"]
    problems = [
        f"missing or empty '{key}'"
        for key in TEXT_FIELDS
        if not isinstance(meta.get(key), str) or not meta[key].strip()
    ]
    organisations = meta.get("organisations")
    if (
        not isinstance(organisations, list)
        or not organisations
        or not all(isinstance(o, str) and o.strip() for o in organisations)
    ):
        problems.append("'organisations' must be a list of at least one name")
    problems += summary_problems(meta.get("summary"))
    if not isinstance(meta.get("last_checked"), datetime.date):
        problems.append("'last_checked' must be a date written YYYY-MM-DD")
    area, lang = meta.get("area"), meta.get("lang")
    if isinstance(area, str) and area.strip() and area not in CONTENT_AREAS:
        problems.append(f"'area' is '{area}', not one of {', '.join(sorted(CONTENT_AREAS))}")
    if isinstance(lang, str) and lang.strip() and lang not in LANGUAGES:
        problems.append(f"'lang' is '{lang}', not fr or nl")
    if isinstance(meta.get("url"), str) and not meta["url"].startswith("https://"):
        problems.append("'url' must start with https://")
    name = FILE_NAME.match(path.name)
    if not name:
        problems.append("the file name must be <topic>.<lang>.md")
    elif (meta.get("topic"), meta.get("lang")) != (name["topic"], name["lang"]):
        problems.append(f"'topic' and 'lang' must match the file name ({name['topic']}, {name['lang']})")
    if meta.get("topic") and meta.get("lang") and meta.get("id") != f"{meta['topic']}-{meta['lang']}":
        problems.append(f"'id' must be '{meta.get('topic')}-{meta.get('lang')}'")
    return problems


def body_problems(body: str, path: Path) -> list[str]:
    problems = []
    found = sections(body)
    if not found:
        problems.append("no section ('## …' heading)")
    lang = path.name.split(".")[-2] if path.name.count(".") >= 2 else ""
    roles = {section_role(heading) for heading, _ in found}
    # The assistant finds the introduction, the contacts and the counsellor paragraph by these headings.
    problems += [
        f"no section '## {headings[lang]}' (write the heading exactly so)"
        for role, headings in ROLE_HEADINGS.items()
        if lang in headings and role not in roles
    ]
    for heading, text in found:
        if not text:
            problems.append(f"section '## {heading}' is empty")
    for target in LINK.findall(body):
        if "://" in target or target.startswith(("mailto:", "#")):
            continue
        if not (path.parent / target.split("#")[0]).is_file():
            problems.append(f"link to '{target}', which does not exist")
    return problems


def check(directory: Path = CONTENT_DIR) -> list[str]:
    """Every problem found, as 'file: reason'."""
    problems: list[str] = []
    languages_by_topic: dict[str, set[str]] = {}
    for path in sorted(directory.glob("*.md")):
        found: list[str] = []
        try:
            raw, body = split_front_matter(path.read_text(encoding="utf-8"))
            meta = yaml.safe_load(raw)
        except (ValueError, yaml.YAMLError) as error:
            found.append(f"invalid front matter: {str(error).splitlines()[0]}")
        else:
            found += front_matter_problems(meta, path) + body_problems(body, path)
            if isinstance(meta, dict) and meta.get("lang") in LANGUAGES and meta.get("topic"):
                languages_by_topic.setdefault(str(meta["topic"]), set()).add(meta["lang"])
        problems += [f"{path.name}: {problem}" for problem in found]
    for topic, languages in sorted(languages_by_topic.items()):
        for missing in sorted(set(LANGUAGES) - languages):
            present = ", ".join(f"{topic}.{lang}.md" for lang in sorted(languages))
            problems.append(f"{present}: topic '{topic}' has no {missing} version")
    return problems


def main() -> int:
    problems = check()
    for problem in problems:
        print(problem)
    count = len(list(CONTENT_DIR.glob("*.md")))
    print(f"{count} content files checked, {len(problems)} problem(s).")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
