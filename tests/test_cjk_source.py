"""A Chinese source (``-s zh``): its sentences, its length against English, its numbers and names."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tqcheck.core.align import GALE_CHURCH, LengthModel, Letters, char_class, deviation, length_model
from tqcheck.core.segments import split_sentences
from tqcheck.langs import LanguageFileError, language
from tqcheck.langs.language import _languages
from tqcheck.langs.quantities import extract

SOURCE = "新技术让我们能够看到并研究以前从未见过的大脑结构和过程，并更好地理解它们是如何运作的。"
GOOD = ("New technologies let us see and study brain structures and processes never seen before, and better "
        "understand how they work.")


def _sentences(text: str) -> list[str]:
    return [text[s.start:s.end] for s in split_sentences(text, 0, len(text))]


@pytest.mark.parametrize(("text", "sentences"), [
    ("我们看到了光。然后呢？他走了！", ["我们看到了光。", "然后呢？", "他走了！"]),
    ("在几分之一秒内就能穿越数千公里。 在这个过程中，空间发生弯曲。",
     ["在几分之一秒内就能穿越数千公里。", "在这个过程中，空间发生弯曲。"]),
    # A closing quotation mark with no space after it: the sentence goes on ("…”他说").
    ("“好！”他说。我走了。", ["“好！”他说。", "我走了。"]),
    ("「はい。」と言った。次に行く。", ["「はい。」と言った。", "次に行く。"]),
    ("真的吗？！是的。", ["真的吗？！", "是的。"]),
])
def test_sentences_end_at_ideographic_stops(text, sentences):
    assert _sentences(text) == sentences


@pytest.mark.parametrize(("text", "value"), [
    ("三千五百二十人", 3520), ("一百万倍", 1_000_000), ("140亿年", 14_000_000_000),
    ("1.3亿人", 130_000_000), ("二十万", 200_000), ("十五", 15), ("两个", 2),
])
def test_chinese_numerals(text, value):
    (q,) = extract(text, "zh")
    assert ("n", value) in q.keys


def test_lone_han_multiplier_is_no_figure_and_hundreds_still_multiply():
    (q,) = extract("这十分重要", "zh")  # 十分: "very"
    assert not q.reportable
    assert [sorted(q.keys) for q in extract("three hundred and twenty", "en")] == [[("n", 320)]]
    assert [sorted(q.keys) for q in extract("cent quatre-vingts", "fr")] == [[("n", 180)]]


def test_length_model_of_a_pair_comes_from_the_language_files():
    assert length_model("fr", "en") == GALE_CHURCH
    zh = length_model("zh", "en")
    assert zh.variance == language("zh").length["variance"] and zh.target == GALE_CHURCH.target
    assert zh.source("新技术") == pytest.approx(3 * language("zh").length["weight"])
    assert length_model("en", "zh") == LengthModel(zh.variance, zh.target, zh.source)
    assert abs(deviation(zh.source(SOURCE), zh.target(GOOD), zh)) < 1 < abs(deviation(len(SOURCE), len(GOOD)))


#: Latin words inside Chinese text are copied into the translation as they are.
LATIN_SOURCE = "我在GitHub上读了PyTorch和TensorFlow的README文件。"
LATIN_GOOD = "I read the README files of PyTorch and TensorFlow on GitHub."


def test_a_length_model_weighs_each_class_of_character_apart():
    zh = length_model("zh", "en")
    assert [char_class(c) for c in "新A7，. 。"] == [None, "latin", "latin", "punctuation", "punctuation", "space",
                                                     "punctuation"]
    assert zh.source("GitHub") < zh.source("新技术")  # six Latin letters stand for fewer than three Han
    han_only = zh._replace(source=Letters(zh.source.weight))
    assert abs(deviation(zh.source(LATIN_SOURCE), len(LATIN_GOOD), zh)) < 1.5
    assert deviation(han_only.source(LATIN_SOURCE), len(LATIN_GOOD), han_only) < -3  # would look cut


@pytest.mark.parametrize(("length", "problem"), [
    ("{weight: 2, space: -1}", "not negative"),  # a class weight below zero
    ("{wieght: 2}", "wieght"),  # a misspelt key
])
def test_a_bad_length_entry_is_a_language_file_error(tmp_path, monkeypatch, length, problem):
    (tmp_path / "xq.yaml").write_text(f"name: Toyish\nlength: {length}\n", encoding="utf-8")
    monkeypatch.setenv("TQCHECK_LANGS", str(tmp_path))
    _languages.cache_clear()
    with pytest.raises(LanguageFileError, match=problem):
        language("xq")
    _languages.cache_clear()


def _scan(tmp_path, rows: list[tuple[str, str]]) -> dict:
    path = tmp_path / "zh-en.tsv"
    path.write_text("".join(f"{s}\t{t}\n" for s, t in rows), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "tqcheck", "scan", "-s", "zh", "-t", "en", "--no-model",
                           "--format", "json", "--fail-on", "never", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    (result,) = json.loads(done.stdout)["files"]
    return result


def test_cli_checks_a_chinese_source(tmp_path):
    result = _scan(tmp_path, [
        (SOURCE, GOOD),
        ("一个叫LIGO的实验将能检测到这些波。赛昂人在黎明时分袭击了卡布里卡。",
         "An experiment called LIGO will detect these waves. The Cylons attacked Caprica at dawn."),
        ("这座城市有1.3亿居民。", "The city has 13 million inhabitants."),
        (SOURCE, "New technologies help us."),
        (LATIN_SOURCE, LATIN_GOOD),
    ])
    found = sorted((f["rule"], f["text"]) for f in result["findings"])
    assert found == [("tq/source-length-short", "New technologies help us."),
                     ("tq/source-number", "13 million")]


def test_length_findings_from_chinese_wait_for_four_standard_deviations(tmp_path):
    """Correct translations of Chinese stray to 3.5 standard deviations of the length model (the
    human translations of the MQM talks), so ``tq/source-length-*`` report from 4 on: this correct
    translation of a long source (WMT21 TED, a system's output the rater marked No-error) lies 3.5
    short and gets no finding, where a French source's limit of 3 would report it."""
    from tqcheck.checks.source_length import LIMIT, limit

    source = ("又或者说，我们会不会只是多元宇宙中的一个分支– 每个分支都曾经历过自己的大爆炸– "
              "也许它们中的一些存在嗡嗡作响的黑洞， 也许有些没有– 也许一些存在有意识的生命，也许有些不存在– "
              "它们不属于我们的过去，也不存在于我们的未来， 而是以某种方式与我们联系在一起？")
    target = ("Or, are we just a branch of the multiverse-each branch has experienced its own Big Bang-maybe some "
              "of them have buzzing black holes, maybe some don't-maybe some have conscious life, maybe some "
              "don't-they don't belong to our past or our future, but are connected to us in some way?")
    zh = length_model("zh", "en")
    assert limit("zh", "en") == 4.0 and limit("en", "zh") == 4.0 and limit("fr", "en") == LIMIT == 3.0
    assert LIMIT < -deviation(zh.source(source), zh.target(target), zh) < limit("zh", "en")
    assert not [f for f in _scan(tmp_path, [(source, target)])["findings"] if f["rule"].startswith("tq/source-length")]
    cut = _scan(tmp_path, [("我想让你注意冰山的形状它在水面上的变形。" * 3, "I want you to look.")])["findings"]
    assert [f["rule"] for f in cut if f["rule"].startswith("tq/source-length")] == ["tq/source-length-short"]


def test_a_length_limit_is_a_positive_number(tmp_path, monkeypatch):
    (tmp_path / "xq.yaml").write_text("name: Toyish\nlength: {limit: 0}\n", encoding="utf-8")
    monkeypatch.setenv("TQCHECK_LANGS", str(tmp_path))
    _languages.cache_clear()
    with pytest.raises(LanguageFileError, match="positive"):
        language("xq")
    _languages.cache_clear()
