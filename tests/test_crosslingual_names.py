"""Facts aligned across languages in the cross-check: people's names across scripts, quotes in
two languages, and facts corroborated only across languages."""

from __future__ import annotations

from crosswire.crosscheck import names_xlang, status
from crosswire.crosscheck.quotes import CROSS_LANGUAGE_NOTE, Utterance, anchors, match, same_speaker, speaker_key


def test_a_russian_name_is_transliterated_by_the_bgn_system_of_its_language():
    assert names_xlang.latin("Вадим Денисенко", "ru") == "vadim denisenko"
    assert names_xlang.latin("Вадим Денисенко", "uk") == "vadym denysenko"
    assert names_xlang.latin("Лукашенко") == "lukashenko"  # Cyrillic of no known language: Russian rules
    assert names_xlang.latin("Łukaszenka") == "lukaszenka"
    assert names_xlang.latin("Kemal Durmaz") == "kemal durmaz"


def test_one_person_in_three_spellings_is_one_person_and_another_person_is_not():
    assert names_xlang.same_person("Вадим Денисенко", "Vadim Denisenko", "ru") is True
    assert names_xlang.same_person("Vadim Denisenko", "Vadym Denysenko") is True
    assert names_xlang.same_person("Лукашенко", "Alexander Lukashenko", "ru") is True
    assert names_xlang.same_person("Łukaszenka", "Lukashenko") is True
    assert names_xlang.same_person("Лукашэнка", "Lukashenko", "be") is True
    assert names_xlang.same_person("Vadim Denisenko", "Viktor Khrenin") is False
    assert names_xlang.same_person("Петров", "Petrenko", "ru") is False
    assert names_xlang.same_person("Vadim Denisenko", "Dmitry Denisenko") is False  # another given name
    assert names_xlang.same_person("", "Lukashenko") is None


def test_speakers_written_in_cyrillic_compare_with_their_latin_spelling():
    assert speaker_key("Вадим Денисенко", "person") == "p:vadim denisenko"
    assert same_speaker(speaker_key("Вадим Денисенко", "person"), speaker_key("Vadym Denysenko", "person")) is True
    assert same_speaker(speaker_key("Лукашенко", "person"), speaker_key("Aleksandr Lukashenko", "person")) is True
    assert same_speaker(speaker_key("Кемаль Дурмаз", "person"), speaker_key("Selin Akgül", "person")) is False


def _u(article: str, speaker: str | None, text: str) -> Utterance:
    return Utterance(article, "quote", speaker, None, "person" if speaker else None, text, 0, len(text), f"{article}-q")


def test_quotes_in_two_languages_match_only_when_the_speaker_and_the_numbers_agree():
    en = _u("A", "Marek Lis", "We sent 14 engines and 60 firefighters to the motorway within the hour")
    ru = _u("B", "Марек Лис", "Мы направили на трассу 14 машин и 60 пожарных в течение часа")
    other_numbers = _u("C", "Marek Lis", "Wysłaliśmy na autostradę 12 wozów i 50 strażaków w ciągu godziny")
    other_speaker = _u("D", "Anna Kowalczyk", "Wir haben innerhalb einer Stunde 14 Fahrzeuge und 60 Feuerwehrleute geschickt")
    clusters = match([en, ru, other_numbers, other_speaker])
    joined = [c for c in clusters if len(c.members) > 1]
    assert [sorted(m.article for m in c.members) for c in joined] == [["A", "B"]]
    assert joined[0].note == CROSS_LANGUAGE_NOTE and joined[0].languages == ["en", "ru"]
    assert all(c.note is None for c in clusters if len(c.members) == 1)


def test_a_speakers_unmatched_quote_in_another_language_is_shown_beside_the_first():
    first = _u("A", "Kemal Durmaz", "Search and rescue teams are working at every collapsed building tonight")
    other = _u("B", "Selin Akgül", "The buildings damaged in February were already empty, the mayor said")
    again = _u("C", "Кемаль Дурмаз", "Спасатели работают у каждого разрушенного здания этой ночью")
    order = [c.members[0].article for c in match([first, other, again])]
    assert order == ["A", "C", "B"]  # no number or name in common: not one quote, but side by side
    assert all(len(c.members) == 1 for c in match([first, other, again]))


def test_quote_anchors_are_digits_and_names_written_in_capitals_inside_a_sentence():
    nums, names = anchors("We reached Gdańsk at 6:40 and found 12 people, said the chief")
    assert nums == {"6:40", "12"} and "gdansk" in names and "said" not in names


def test_a_fact_corroborated_by_one_english_and_one_russian_source_says_only_across_languages():
    facts = [{"status": "corroborated", "values": [{"articles": ["en1", "ru1"]}]},
             {"status": "corroborated", "values": [{"articles": ["en1", "en2", "ru1"]}]},
             {"status": "single_source", "values": [{"articles": ["en1"]}]}]
    langs = {"en1": "en", "en2": "en", "ru1": "ru"}
    keys = {"en1": "outlet:a", "en2": "outlet:b", "ru1": "outlet:c"}
    status.mark_languages(facts, langs, keys)
    assert facts[0]["corroboration"] == "across_languages" and facts[0]["languages"] == ["en", "ru"]
    assert "corroboration" not in facts[1] and facts[1]["languages"] == ["en", "ru"]  # two English outlets agree
    assert "languages" not in facts[2]


def _count_article(aid: str, text: str, number: str, noun: str) -> "StoryArticle":
    from crosswire.crosscheck.pubdates import StoryArticle

    start = text.index(number)
    value = float(number)
    fact = {"id": f"{aid}-c", "article_id": aid, "kind": "count", "about": noun, "text": number, "start": start,
            "end": start + len(number), "value": {"value": value, "low": value, "high": value, "qualifier": None,
                                                  "unit": None}, "detail": {}}
    return StoryArticle(aid, "t", text, f"outlet {aid}", "2025-02-03", "metadata", facts=[fact])


def test_counts_of_one_noun_in_two_languages_are_one_fact_when_their_values_agree():
    from crosswire.crosscheck.align import join_translated_counts
    from crosswire.crosscheck.read_counts import count_slots

    articles = [
        _count_article("en", "The earthquake destroyed 12 buildings in the Buca district, the agency said on Monday.", "12",
                       "buildings"),
        _count_article("de", "Das Erdbeben zerstörte im Bezirk Buca 12 Gebäude, teilte die Behörde am Montag mit.", "12",
                       "Gebäude"),
        _count_article("ru", "Землетрясение разрушило 12 зданий в районе Буджа, сообщило агентство в понедельник.",
                       "12", "зданий"),
        _count_article("es", "El terremoto destruyó 15 escuelas en el distrito de Buca, según la agencia este lunes.",
                       "15", "escuelas"),
    ]
    slots = join_translated_counts(count_slots(articles), articles)
    by_noun = {s.about: sorted(o.article for o in s.observations) for s in slots}
    assert by_noun == {"buildings": ["de", "en", "ru"], "escuelas": ["es"]}


def test_counts_in_a_story_of_one_language_are_left_as_they_are():
    from crosswire.crosscheck.align import join_translated_counts
    from crosswire.crosscheck.read_counts import count_slots

    articles = [_count_article("a", "Rescuers searched 12 buildings in the district after the quake on Monday.", "12",
                               "buildings"),
                _count_article("b", "Inspectors closed 12 houses in the district after the quake on Monday.", "12",
                               "houses")]
    assert [s.about for s in join_translated_counts(count_slots(articles), articles)] == ["buildings", "houses"]
