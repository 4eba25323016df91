from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from fupin.core.idnumber import (
    PROVINCE_PREFIXES,
    IdInfo,
    InvalidIdNumber,
    check_digit,
    cross_check,
    is_valid,
    make,
    normalize,
    parse,
    validate_id_number,
)

TODAY = date.today()
GB_EXAMPLE = "11010519491231002X"  # GB 11643-1999: Beijing Chaoyang, 1949-12-31, female
GB_EXAMPLE_1880 = "440524188001010014"  # the standard's other example: right check digit, 1880
CHARACTERS = "0123456789X"


def with_check(first17: str) -> str:
    return first17 + check_digit(first17)


def code_of(value, today=None) -> str:
    with pytest.raises(InvalidIdNumber) as info:
        parse(value, today)
    return info.value.code


prefixes = st.builds(
    lambda province, rest: province + rest,
    st.sampled_from(sorted(PROVINCE_PREFIXES)),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
)
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
order_codes = st.integers(0, 999).map(lambda n: f"{n:03d}")
valid_numbers = st.builds(
    lambda prefix, birth, order: with_check(f"{prefix}{birth:%Y%m%d}{order}"),
    prefixes,
    birth_dates,
    order_codes,
)


# Known examples


def test_gb_standard_example():
    info = parse(GB_EXAMPLE)
    assert info == IdInfo(GB_EXAMPLE, "110105", date(1949, 12, 31), "F")
    assert check_digit(GB_EXAMPLE[:17]) == "X"
    assert is_valid(GB_EXAMPLE) and is_valid(GB_EXAMPLE.lower())


def test_gb_example_born_1880_is_before_1900():
    assert check_digit(GB_EXAMPLE_1880[:17]) == "4"
    assert code_of(GB_EXAMPLE_1880) == "birth_date"


def test_made_examples():
    man = make("520102", date(1990, 1, 1), 0, "M")
    woman = make("520102", date(1990, 1, 1), 0, "F")
    assert man == "520102199001010018" and woman == "52010219900101000X"
    assert parse(man).sex == "M" and parse(woman).sex == "F"
    assert parse(make("830000", date(2000, 2, 29), 499, "F")).region_prefix == "830000"


@pytest.mark.parametrize(
    "value,code",
    [
        ("", "length"),
        ("1101051949123100", "length"),
        ("110105491231002", "length"),  # old 15-digit number
        ("11010519491231002X1", "length"),
        ("1101051949123100X2", "characters"),
        ("11010519491231002Y", "characters"),
        ("11010519491231OO2X", "characters"),
        ("\u0661\u0661010519491231002X", "characters"),  # Arabic-Indic digits are not ASCII
        (with_check("91010519491231002"), "province"),
        (with_check("00010519491231002"), "province"),
        (with_check("16010519491231002"), "province"),
        (with_check("11010519490230002"), "birth_date"),
        (with_check("11010519491301002"), "birth_date"),
        (with_check("11010520230229002"), "birth_date"),
        (with_check("11010519490001002"), "birth_date"),
        (with_check("11010519490100002"), "birth_date"),
        (with_check("11010518991231002"), "birth_date"),
        (with_check(f"110105{TODAY + timedelta(days=1):%Y%m%d}002"), "future"),
        ("110105194912310021", "check_digit"),
        ("110105194912310020", "check_digit"),
    ],
)
def test_invalid_examples(value, code):
    assert code_of(value) == code
    assert not is_valid(value)
    with pytest.raises(ValidationError) as info:
        validate_id_number(value)
    assert info.value.code == code


def test_messages_are_english_and_keep_the_number_out():
    with translation.override("en"):
        with pytest.raises(InvalidIdNumber) as info:
            parse("1101051949")
        assert str(info.value) == "An ID number has 18 characters; this one has 10."
        with pytest.raises(ValidationError) as error:
            validate_id_number("1101051949")
        assert error.value.messages == ["An ID number has 18 characters; this one has 10."]
        for value in ["110105194912310021", with_check("11010519490230002")]:
            with pytest.raises(InvalidIdNumber) as info:
                parse(value)
            assert "19491231" not in str(info.value) and "1949" not in str(info.value)
    assert isinstance(info.value, ValueError)


def test_birth_today_is_fine_and_tomorrow_is_future():
    day = date(2024, 5, 1)
    number = make("110105", day, 3, "M")
    assert parse(number, today=day).birth_date == day
    assert code_of(number, today=day - timedelta(days=1)) == "future"


def test_age_on():
    info = parse(make("110105", date(2000, 2, 29), 1, "F"))
    assert info.age_on(date(2000, 2, 29)) == 0
    assert info.age_on(date(2018, 2, 28)) == 17
    assert info.age_on(date(2018, 3, 1)) == 18
    assert info.age_on(date(2020, 2, 29)) == 20
    with pytest.raises(ValueError):
        info.age_on(date(2000, 2, 28))


def test_cross_check():
    info = parse(GB_EXAMPLE)
    assert cross_check(info) == []
    assert cross_check(info, sex="F", birth_date=date(1949, 12, 31)) == []
    with translation.override("en"):
        problems = cross_check(info, sex="M", birth_date=date(1949, 12, 30))
    assert len(problems) == 2 and all(isinstance(p, str) for p in problems)
    assert "woman" in problems[0]
    assert len(cross_check(parse(make("110105", date(1980, 1, 1), 7, "M")), sex="F")) == 1
    with pytest.raises(ValueError):
        cross_check(info, sex="female")


def test_normalize():
    assert normalize(" 11010519491231002x ") == GB_EXAMPLE
    assert normalize("\u3000１１０１０５ １９４９１２３１ ００２ｘ\u3000") == GB_EXAMPLE
    assert normalize("11010519491231002Ｘ") == GB_EXAMPLE
    assert normalize(None) == ""


def test_province_prefixes():
    expected = {*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47)}
    expected |= {*range(50, 55), *range(61, 66), 71, 81, 82, 83}
    assert {int(p) for p in PROVINCE_PREFIXES} == expected
    assert "91" not in PROVINCE_PREFIXES


def test_make_rejects_bad_arguments():
    for args in [
        ("11010", date(1990, 1, 1), 0, "M"),
        ("910105", date(1990, 1, 1), 0, "M"),
        ("110105", date(1899, 12, 31), 0, "M"),
        ("110105", date(1990, 1, 1), 500, "M"),
        ("110105", date(1990, 1, 1), -1, "M"),
        ("110105", date(1990, 1, 1), 0, "male"),
    ]:
        with pytest.raises(ValueError):
            make(*args)


def test_check_digit_rejects_bad_input():
    for value in ["1101051949123100", "1101051949123100X", "１１０１０５１９４９１２３１００２"]:
        with pytest.raises(ValueError):
            check_digit(value)


# Properties


@given(prefixes, birth_dates, order_codes)
def test_generated_numbers_parse_back(prefix, birth, order):
    number = with_check(f"{prefix}{birth:%Y%m%d}{order}")
    assert is_valid(number)
    validate_id_number(number)
    info = parse(number)
    assert (info.number, info.region_prefix, info.birth_date) == (number, prefix, birth)
    assert info.sex == ("M" if int(order[2]) % 2 else "F")


@given(valid_numbers)
def test_any_single_character_change_fails(number):
    for position in range(18):
        for character in CHARACTERS:
            if character != number[position]:
                changed = number[:position] + character + number[position + 1 :]
                assert not is_valid(changed), (position, character)


@given(valid_numbers)
def test_check_digit_alone_catches_every_digit_substitution(number):
    # MOD 11-2 catches them whatever the other rules say, e.g. a change to another province.
    for position in range(17):
        for digit in "0123456789":
            if digit != number[position]:
                changed = number[:position] + digit + number[position + 1 : 17]
                assert check_digit(changed) != number[17], (position, digit)


@given(valid_numbers)
def test_any_adjacent_transposition_fails(number):
    for position in range(17):
        a, b = number[position], number[position + 1]
        if a != b:
            swapped = number[:position] + b + a + number[position + 2 :]
            assert not is_valid(swapped), position


@given(valid_numbers, st.sampled_from([c for c in CHARACTERS if c != "X"]))
def test_another_province_fails_on_the_check_digit(number, digit):
    changed = number[0] + digit + number[2:]
    if changed != number and changed[:2] in PROVINCE_PREFIXES:
        assert code_of(changed) == "check_digit"


@given(
    prefixes,
    st.one_of(
        st.tuples(st.integers(1900, 2024), st.just(2), st.integers(30, 31)),
        st.tuples(st.integers(1900, 2024), st.integers(13, 99), st.integers(1, 28)),
        st.tuples(st.integers(1900, 2024), st.just(0), st.integers(1, 28)),
        st.tuples(st.integers(1900, 2024), st.sampled_from([4, 6, 9, 11]), st.just(31)),
        st.tuples(st.integers(1900, 2024), st.integers(1, 12), st.just(0)),
        st.tuples(st.sampled_from([1900, 2023, 2100 - 1]), st.just(2), st.just(29)),
        st.tuples(st.integers(0, 1899), st.integers(1, 12), st.integers(1, 28)),
    ),
    order_codes,
)
def test_impossible_dates_fail_with_birth_date(prefix, ymd, order):
    year, month, day = ymd
    number = with_check(f"{prefix}{year:04d}{month:02d}{day:02d}{order}")
    assert code_of(number, today=date(2100, 1, 1)) == "birth_date"


@given(prefixes, st.dates(min_value=TODAY + timedelta(days=1)), order_codes)
def test_future_dates_fail_with_future(prefix, birth, order):
    number = with_check(f"{prefix}{birth:%Y%m%d}{order}")
    assert code_of(number) == "future"
    assert is_valid(number, today=birth)


FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@given(valid_numbers, st.booleans(), st.booleans())
def test_full_width_lower_case_and_spaces_normalise(number, full_width, spaces):
    typed = number.lower()
    if full_width:
        typed = typed.translate(FULL_WIDTH)
    if spaces:
        typed = f"\u3000{typed[:6]} {typed[6:14]}\u3000{typed[14:]} "
    assert normalize(typed) == number
    assert is_valid(typed) and parse(typed).number == number


@given(prefixes, birth_dates, st.sampled_from(["M", "F"]))
def test_make_gives_distinct_valid_numbers(prefix, birth, sex):
    numbers = [make(prefix, birth, seq, sex) for seq in range(500)]
    assert len(set(numbers)) == 500
    for number in numbers:
        info = parse(number)
        assert (info.region_prefix, info.birth_date, info.sex) == (prefix, birth, sex)
