"""The glossary (appendices/glossary.md): an English-ordered and a Chinese-ordered table that agree.

A cell of the Chinese column reads ``standard / alternative; notes: word of the notes``: the
standard term first, other terms in common use after " / ", and the source notes' own word, where it
differs, after "; notes: ".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "appendices" / "glossary.md"
NOTES = "; notes: "
LINK = re.compile(r"^\{doc\}`\.\./chapters/([\w-]+)`$")

# Every term the glossary must hold: an English term (matched inside the English cell, ignoring case
# and hyphens) and the Chinese terms of the same row (matched exactly, ignoring spaces).
REQUIRED = [
    ("learning rate", "学习率"),
    ("step size", "步长"),
    ("loss function", "损失函数"),
    ("hyperparameter", "超参数"),
    ("Hessian", "黑塞矩阵"),
    ("eigenvalue", "特征值"),
    ("Newton's method", "牛顿法"),
    ("steepest descent", "最速下降法"),
    ("exact line search", "精确线搜索"),
    ("descent direction", "下降方向"),
    ("oscillation", "振荡"),
    ("divergence", "发散"),
    ("simulated annealing", "模拟退火"),
    ("Robbins-Monro conditions", "Robbins-Monro 条件"),
    ("step decay", "阶梯衰减"),
    ("inverse-time decay", "逆时衰减"),
    ("warm restarts", "热重启"),
    ("Gaussian orthogonal ensemble", "高斯正交系综"),
    ("monkey saddle", "猴鞍面"),
    ("strict saddle", "严格鞍点"),
    ("quasi-Newton", "拟牛顿法"),
    ("L-BFGS", "L-BFGS"),
    ("adaptive learning rate", "自适应学习率"),
    ("extremum", "极值"),
    ("geometric series", "几何级数"),
    ("geometric series", "等比级数"),
    ("logistic", "Logistic 函数"),
    ("plateau", "高原"),
    ("plateau", "平坦区域"),
    ("gradient clipping", "梯度裁剪"),
    ("exploding gradients", "梯度爆炸"),
    ("residual connection", "残差连接"),
    ("weight averaging", "权重平均"),
    ("stochastic weight averaging", "随机权重平均"),
    ("variance reduction", "方差缩减"),
    ("SVRG", "随机方差缩减梯度"),
    ("random reshuffling", "随机重排"),
    ("critical batch size", "临界批大小"),
    ("linear scaling rule", "线性缩放规则"),
    ("Rprop", "Rprop"),
    ("centered RMSprop", "中心化 RMSprop"),
    ("RAdam", "RAdam"),
    ("warm-up", "预热"),
    ("one-cycle", "单周期策略"),
    ("learning-rate range test", "学习率范围测试"),
    ("reduce on plateau", "平台期降低学习率"),
    ("saddle-free Newton", "无鞍牛顿法"),
    ("Hessian-free optimization", "无 Hessian 优化"),
    ("edge of stability", "稳定性边缘"),
    ("rounding error", "舍入误差"),
    ("truncation error", "截断误差"),
    ("finite differences", "有限差分"),
    ("central difference", "中心差分"),
    ("complex step", "复步长法"),
    ("Polyak-Ruppert averaging", "Polyak-Ruppert 平均"),
    ("bias correction", "偏差修正"),
    ("exponentially weighted moving average", "指数加权移动平均"),
    ("condition number", "条件数"),
    ("Wolfe conditions", "Wolfe 条件"),
    ("conjugate directions", "共轭方向"),
]

# Words of the notes that must appear only as the notes' alias of a standard term.
NOTES_WORDS = [
    ("learning rate", "学习速率"),
    ("geometric series", "级数"),
    ("plateau", "平稳区"),
]


def _cells(line: str) -> list[str]:
    assert "\\|" not in line, f"escaped pipe in a glossary row: {line}"
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def _tables(text: str) -> list[list[list[str]]]:
    """Every Markdown table of the page: header row first, the delimiter row dropped."""
    tables, current = [], []
    for line in text.splitlines() + [""]:
        if line.lstrip().startswith("|"):
            current.append(_cells(line))
        elif current:
            tables.append(
                [row for row in current if not re.fullmatch(r"[-:| ]+", "|".join(row))]
            )
            current = []
    return tables


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _english_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("-", " "))


def names(cell: str) -> tuple[list[str], list[str]]:
    """The standard and alternative terms of a Chinese cell, and the notes' words."""
    main, _, notes = cell.partition(NOTES)
    standard = [term.strip() for term in main.split(" / ")]
    aliases = [term.strip() for term in notes.split(" / ")] if notes else []
    return standard, aliases


@pytest.fixture(scope="module")
def tables() -> dict[str, list[tuple[str, str, str]]]:
    """The two tables as (English, Chinese, chapter link) rows, keyed by the language they are ordered by."""
    found = _tables(GLOSSARY.read_text(encoding="utf-8"))
    assert len(found) == 2, (
        f"the glossary should hold exactly two tables, found {len(found)}"
    )
    by_english, by_chinese = found
    assert by_english[0] == ["English", "中文", "chapter"], by_english[0]
    assert by_chinese[0] == ["中文", "English", "chapter"], by_chinese[0]
    for table in found:
        bad = [row for row in table if len(row) != 3]
        assert not bad, f"rows without exactly three cells: {bad}"
    return {
        "english": [(en, zh, where) for en, zh, where in by_english[1:]],
        "chinese": [(en, zh, where) for zh, en, where in by_chinese[1:]],
    }


@pytest.mark.parametrize("order", ["english", "chinese"])
def test_chinese_terms_are_unique(tables, order):
    """No Chinese term (standard, alternative or word of the notes) stands in two rows."""
    seen: dict[str, str] = {}
    clashes = []
    for en, zh, _ in tables[order]:
        standard, aliases = names(zh)
        assert all(standard) and all(aliases), (
            f"empty term in the Chinese cell of {en!r}: {zh!r}"
        )
        assert zh.count(";") == (1 if aliases else 0), (
            f"malformed Chinese cell of {en!r}: {zh!r}"
        )
        for term in standard + aliases:
            key = _squash(term)
            if key in seen and seen[key] != en:
                clashes.append((term, seen[key], en))
            seen[key] = en
    assert not clashes, (
        f"Chinese terms in more than one row (term, row, row): {clashes}"
    )


@pytest.mark.parametrize("order", ["english", "chinese"])
def test_english_terms_are_unique(tables, order):
    keys = [_english_key(en) for en, _, _ in tables[order]]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    assert not repeated, f"English terms in more than one row: {repeated}"


def test_both_tables_hold_the_same_pairs(tables):
    english = {(en, zh) for en, zh, _ in tables["english"]}
    chinese = {(en, zh) for en, zh, _ in tables["chinese"]}
    assert len(english) == len(tables["english"]) and len(chinese) == len(
        tables["chinese"]
    )
    assert english - chinese == set(), "only in the English-ordered table"
    assert chinese - english == set(), "only in the Chinese-ordered table"
    assert sorted(tables["english"]) == sorted(tables["chinese"]), (
        "a pair links to different chapters"
    )


def test_english_table_is_alphabetical(tables):
    terms = [en for en, _, _ in tables["english"]]
    keys = [en.lower() for en in terms]
    out_of_order = [
        (terms[i], terms[i + 1]) for i in range(len(terms) - 1) if keys[i] > keys[i + 1]
    ]
    assert not out_of_order, f"English rows out of alphabetical order: {out_of_order}"


def test_chinese_table_starts_with_latin_names_in_alphabetical_order(tables):
    """The stated order of the Chinese table, as far as it can be checked without a pinyin library."""
    latin = [bool(re.match(r"[A-Za-z0-9]", zh)) for _, zh, _ in tables["chinese"]]
    assert latin == sorted(latin, reverse=True), (
        "a term that begins with a Latin name follows a Chinese one"
    )
    leading = [
        zh.lower()
        for (_, zh, _), is_latin in zip(tables["chinese"], latin, strict=True)
        if is_latin
    ]
    assert leading == sorted(leading)


def test_every_row_links_to_an_existing_chapter(tables):
    broken = []
    for en, _, where in tables["english"]:
        match = LINK.match(where)
        stem = ROOT / "chapters" / (match.group(1) if match else "")
        if not match or not any(
            stem.with_suffix(suffix).exists() for suffix in (".ipynb", ".md")
        ):
            broken.append((en, where))
    assert not broken, f"links that do not name a chapter file: {broken}"


def _row(tables, english: str, chinese: str):
    for en, zh, where in tables["english"]:
        standard, _ = names(zh)
        if _english_key(english) in _english_key(en) and _squash(chinese) in map(
            _squash, standard
        ):
            return en, zh, where
    return None


@pytest.mark.parametrize(("english", "chinese"), REQUIRED, ids=[e for e, _ in REQUIRED])
def test_required_term_is_present(tables, english, chinese):
    assert _row(tables, english, chinese), (
        f"no row pairs {english!r} with the standard term {chinese!r}"
    )


def test_plateau_points_to_the_chapter_on_saddles_and_plateaus(tables):
    _, _, where = _row(tables, "plateau", "高原")
    assert "14_saddles_plateaus" in where


@pytest.mark.parametrize(
    ("english", "word"), NOTES_WORDS, ids=[e for e, _ in NOTES_WORDS]
)
def test_words_of_the_notes_are_aliases_not_standard_terms(tables, english, word):
    rows = [(en, zh) for en, zh, _ in tables["english"] if word in names(zh)[1]]
    assert [_english_key(english) in _english_key(en) for en, _ in rows] == [True], rows
    standard = [term for _, zh, _ in tables["english"] for term in names(zh)[0]]
    assert all(_squash(word) != _squash(term) for term in standard)


def test_learning_rate_is_written_one_way(tables):
    """学习率 throughout: the notes' 学习速率 appears only as their alias, never in a standard term."""
    standard = [term for _, zh, _ in tables["english"] for term in names(zh)[0]]
    assert not [term for term in standard if "学习速率" in term]
    assert "逻辑函数" not in GLOSSARY.read_text(encoding="utf-8"), (
        "the logistic function is Logistic 函数"
    )
