import pytest

from companion.adapters.career import read_period


@pytest.mark.parametrize("text, expected", [
    ("2021年4月 〜 現在", ("2021年4月", None, True)),
    ("2021年4月～2023年3月", ("2021年4月", "2023年3月", False)),
    ("Oct 2019 - Dec 2024", ("Oct 2019", "Dec 2024", False)),
    ("Apr 2021 – Present (3 yrs)", ("Apr 2021", None, True)),
    ("2013 - 2017", ("2013", "2017", False)),
    ("2021/04 - 現在", ("2021/04", None, True)),
    ("- 現在", (None, None, True)),
    ("2020", ("2020", None, False)),
])
def test_periods(text, expected):
    assert read_period(text) == expected


@pytest.mark.parametrize("text", [None, "", "エンジニア", "2020年新卒入社 エンジニア",
                                  "株式会社サンプル 2021", "x" * 100])
def test_not_periods(text):
    assert read_period(text) is None
