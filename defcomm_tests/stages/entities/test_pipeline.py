"""The pipeline: assembled in code from registered factories, serialisable, cached, multiprocess-safe."""

import spacy

from defcomm_assets.stages.entities.mentions import extract_mentions
from defcomm_assets.stages.entities.pipeline import build_pipeline, get_pipeline
from defcomm_tests.paths import SEEDS


def test_default_pipeline_is_blank_english_plus_rules():
    nlp = build_pipeline()
    assert nlp.lang == "en"
    assert nlp.pipe_names == ["defcomm_sentences", "defcomm_gazetteer", "defcomm_mentions"]
    assert not any(n in nlp.pipe_names for n in ("ner", "parser", "tagger"))


def test_get_pipeline_is_cached_per_model():
    assert get_pipeline() is get_pipeline(None)


def test_sentences_and_entities_on_the_doc():
    text = "Gen. Mark Milley met U.S. officials. Polish Defense Minister Jan Kowalczyk arrived.\nNew line"
    doc = get_pipeline()(text)
    assert [s.text.strip() for s in doc.sents] == [
        "Gen. Mark Milley met U.S. officials.", "Polish Defense Minister Jan Kowalczyk arrived.", "New line"]
    ents = {(e.text, e.label_) for e in doc.ents}
    assert ("Jan Kowalczyk", "PERSON") in ents and ("U.S.", "GPE") in ents and ("Polish", "NORP") in ents


def test_to_disk_and_back(tmp_path):
    nlp = build_pipeline()
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert loaded.pipe_names == nlp.pipe_names
    text = "Defence Minister of Ukraine Rustem Umerov spoke with his Polish counterpart."
    assert extract_mentions(loaded(text)) == extract_mentions(nlp(text))


def test_two_processes_give_the_same_mentions():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] * 2
    nlp = get_pipeline()
    one = [extract_mentions(d) for d in nlp.pipe(texts, batch_size=2)]
    two = [extract_mentions(d) for d in nlp.pipe(texts, batch_size=2, n_process=2)]
    assert one == two
    assert sum(len(m) for m in one) > 100


def test_statistical_model_option_adds_rules_on_top(tmp_path):
    """A user model (here a stand-in whose 'ner' is an EntityRuler, saved to disk) feeds its PERSON spans to the
    rules; without it the same unknown name has no context and is not a person."""
    model = spacy.blank("en")
    ruler = model.add_pipe("entity_ruler", name="ner")
    ruler.add_patterns([{"label": "PERSON", "pattern": "Bartholomew Quenby"}])
    model.to_disk(tmp_path / "model")
    nlp = build_pipeline(str(tmp_path / "model"))
    assert nlp.pipe_names[0] == "ner" and nlp.pipe_names[-1] == "defcomm_mentions"
    text = "The talks with Bartholomew Quenby went well in Warsaw."
    assert [m.text for m in extract_mentions(nlp(text)) if m.label == "PERSON"] == ["Bartholomew Quenby"]
    assert [m.text for m in extract_mentions(build_pipeline()(text)) if m.label == "PERSON"] == []


def test_missing_model_is_a_clear_error():
    import pytest

    with pytest.raises(RuntimeError, match="not installed"):
        build_pipeline("en_core_web_definitely_not_installed")


def test_mentions_pipe_in_two_processes_matches_one():
    from defcomm_assets.stages.entities.pipeline import mentions_pipe

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))] * 2
    one = list(mentions_pipe(texts, batch_size=3))
    two = list(mentions_pipe(texts, batch_size=3, n_process=2))
    assert one == two == [extract_mentions(d) for d in get_pipeline().pipe(texts)]


def test_a_saved_defcomm_pipeline_loads_as_a_model(tmp_path):
    """The rules it already holds are rebuilt once, after its other components (no duplicate component)."""
    build_pipeline().to_disk(tmp_path / "nlp")
    nlp = build_pipeline(str(tmp_path / "nlp"))
    assert nlp.pipe_names == ["defcomm_sentences", "defcomm_gazetteer", "defcomm_mentions"]
    text = "Defence Minister of Ukraine Rustem Umerov spoke with his Polish counterpart."
    assert extract_mentions(nlp(text)) == extract_mentions(build_pipeline()(text))


def test_any_component_that_sets_entities_feeds_the_rules(tmp_path):
    model = spacy.blank("en")
    model.add_pipe("entity_ruler").add_patterns([{"label": "PERSON", "pattern": "Bartholomew Quenby"}])
    model.to_disk(tmp_path / "model")
    nlp = build_pipeline(str(tmp_path / "model"))
    text = "The talks with Bartholomew Quenby went well in Warsaw."
    assert [m.text for m in extract_mentions(nlp(text)) if m.label == "PERSON"] == ["Bartholomew Quenby"]


def test_a_model_that_cannot_be_loaded_is_one_clear_error(tmp_path):
    import pytest

    model = spacy.blank("en")
    model.add_pipe("entity_ruler")
    model.to_disk(tmp_path / "model")
    config = tmp_path / "model" / "config.cfg"
    config.write_text(config.read_text().replace('factory = "entity_ruler"', 'factory = "no_such_factory"'))
    with pytest.raises(RuntimeError, match="could not be loaded: .*no_such_factory"):
        build_pipeline(str(tmp_path / "model"))
