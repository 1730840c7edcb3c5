"""Cutting topic files into passages (real spaCy pipelines)."""

from knowledge import documents
from knowledge.passages import MAX_WORDS, MIN_WORDS, passages, sentences
from knowledge.settings import get_settings

TOPIC = """---
id: demo-{lang}
topic: demo
area: training
lang: {lang}
title: {title}
organisations: [Actiris]
url: https://www.actiris.brussels
audience: everyone
last_checked: 2026-11-21
---

## {first}
{sentences}

## {second}
- **Actiris**: one. Site: https://www.actiris.brussels
- **VDAB Brussel**: two.
"""


def document(tmp_path, lang, title, first, second, text):
    path = tmp_path / f"demo.{lang}.md"
    path.write_text(TOPIC.format(lang=lang, title=title, first=first, second=second, sentences=text))
    return documents.read(path)


def test_a_french_sentence_cut_before_its_verb_is_joined_again():
    # fr_core_news_md cuts after "À Bruxelles"; a piece without final punctuation joins the next.
    found = list(
        sentences(
            "fr",
            "À Bruxelles, les adultes peuvent suivre des cours en soirée. "
            "Les deux grands réseaux sont la promotion sociale et les CVO.",
        )
    )
    assert found == [
        "À Bruxelles, les adultes peuvent suivre des cours en soirée.",
        "Les deux grands réseaux sont la promotion sociale et les CVO.",
    ]


def test_dutch_sentences_come_from_the_sentencizer():
    assert list(sentences("nl", "Je schrijft je in bij Actiris. Dat is gratis! Wat nu?")) == [
        "Je schrijft je in bij Actiris.",
        "Dat is gratis!",
        "Wat nu?",
    ]


def test_passages_keep_title_topic_and_section_and_never_cross_sections(tmp_path):
    text = " ".join(f"Zin nummer {n} gaat over een opleiding voor werkzoekenden in Brussel." for n in range(7))
    doc = document(tmp_path, "nl", "Een opleiding", "Waarover gaat het?", "Bij wie kan je terecht?", text)
    found = passages(doc)
    assert [p.section for p in found] == ["Waarover gaat het?"] * 2 + ["Bij wie kan je terecht?"]
    assert all(p.title == "Een opleiding" and p.topic == "demo" and p.lang == "nl" for p in found)
    assert [p.id for p in found] == ["demo-nl#0", "demo-nl#1", "demo-nl#2"]
    # Three sentences, then four: the short tail joined the group before it.
    assert found[0].text.count("Zin nummer") == 3 and found[1].text.count("Zin nummer") == 4


def test_list_items_stay_whole_one_per_line_without_markdown(tmp_path):
    doc = document(
        tmp_path, "fr", "Une formation", "De quoi s'agit-il ?", "Qui contacter ?", "Une phrase assez courte."
    )
    contacts = passages(doc)[-1]
    assert contacts.text == "Actiris: one. Site: https://www.actiris.brussels\nVDAB Brussel: two."
    assert "https://" not in contacts.for_embedding()
    assert contacts.for_embedding().startswith("Une formation. Qui contacter ?")


def test_the_real_content_gives_passages_of_a_few_sentences():
    found = [p for d in documents.read_all(get_settings().content_dir) for p in passages(d)]
    lengths = sorted(len(p.text.split()) for p in found)
    assert {p.lang for p in found} == {"fr", "nl"}
    assert lengths[len(lengths) // 2] >= MIN_WORDS and lengths[-1] <= 2 * MAX_WORDS
    assert all(p.text and p.title and p.url.startswith("https://") for p in found)
