"""Resident ID numbers (公民身份号码, GB 11643-1999): normalise, check, parse, build.

An ID number has 18 characters:

    RRRRRR YYYYMMDD SSS C
    |      |        |   `- check digit, ISO 7064 MOD 11-2 over the first 17 ("X" stands for 10)
    |      |        `----- order code; its last digit (the 17th character) is odd for a man
    |      `-------------- date of birth
    `--------------------- address code (GB/T 2260) of where the number was first issued

Only the province part of the address code is checked: a resident keeps the number when moving,
and counties are re-coded over time, so the last four digits of the prefix may name a county
elsewhere or one that no longer exists. The old 15-digit numbers are not accepted.

Pure functions, no database. Messages are lazily translated; none of them repeats the number
or the date of birth (they are personal data and error messages end up in logs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LENGTH = 18
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2**(17 - i) mod 11
CHECK_CHARACTERS = "10X98765432"  # indexed by (weighted sum mod 11)
EARLIEST_BIRTH = date(1900, 1, 1)
DIGITS = frozenset("0123456789")

# First two digits that name a province-level division. Source: GB/T 2260 (中华人民共和国行政区划
# 代码), whose province codes have been stable since Chongqing (50) was added in 1997:
#   11-15 North (京津冀晋蒙), 21-23 North-east (辽吉黑), 31-37 East (沪苏浙皖闽赣鲁),
#   41-46 Centre-south (豫鄂湘粤桂琼), 50-54 South-west (渝川贵云藏),
#   61-65 North-west (陕甘青宁新), 71 Taiwan, 81 Hong Kong, 82 Macao.
# 81, 82 and 83 also begin the numbers on residence permits for Hong Kong, Macao and Taiwan
# residents (港澳台居民居住证, State Council 2018), which use the same 18-character format;
# 83 (Taiwan residents) is not in GB/T 2260 but is included for these permits.
# 9x is deliberately absent: 91 appears in some old tables as "abroad" and the 2023 foreigners'
# permanent residence ID card (外国人永久居留身份证) starts with 9; neither is a resident ID number.
PROVINCE_PREFIXES: frozenset[str] = frozenset(
    [f"{n}" for n in range(11, 16)]
    + [f"{n}" for n in range(21, 24)]
    + [f"{n}" for n in range(31, 38)]
    + [f"{n}" for n in range(41, 47)]
    + [f"{n}" for n in range(50, 55)]
    + [f"{n}" for n in range(61, 66)]
    + ["71", "81", "82", "83"]
)

MESSAGES = {
    "length": _("An ID number has 18 characters; this one has %(n)s."),
    "characters": _(
        "The first 17 characters of an ID number are digits and the last is a digit or X."
    ),
    "province": _("An ID number starts with a province code; %(prefix)s is not one."),
    "birth_date": _(
        "Characters 7 to 14 of an ID number are the date of birth (YYYYMMDD); "
        "they do not form a real date."
    ),
    "before_1900": _("The date of birth in this ID number is before 1900."),
    "future": _("The date of birth in this ID number is in the future."),
    "check_digit": _(
        "The check digit (the last character) does not match; a character is probably mistyped."
    ),
}
SEX_MISMATCH = {
    "M": _("The ID number is a man's (its 17th digit is odd), but the sex given is female."),
    "F": _("The ID number is a woman's (its 17th digit is even), but the sex given is male."),
}
BIRTH_DATE_MISMATCH = _(
    "The date of birth given does not match the one in the ID number (characters 7 to 14)."
)

_FULL_WIDTH = {0xFF10 + i: str(i) for i in range(10)} | {0xFF38: "X", 0xFF58: "x"}


class InvalidIdNumber(ValueError):
    """Why a value is not an ID number. `code` is one of the `CODES`."""

    CODES = ("length", "characters", "province", "birth_date", "future", "check_digit")

    def __init__(self, code: str, params: dict | None = None, *, message_key: str | None = None):
        self.code = code
        self.template = MESSAGES[message_key or code]
        self.params = params or {}
        super().__init__(code)

    @property
    def message(self) -> str:
        """The message in the active language."""
        return self.template % self.params if self.params else str(self.template)

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class IdInfo:
    number: str
    region_prefix: str
    birth_date: date
    sex: str  # "M" or "F"

    @property
    def province_prefix(self) -> str:
        return self.region_prefix[:2]

    def age_on(self, day: date) -> int:
        """Completed years on `day` (the birthday counts; 29 February turns on 1 March)."""
        if day < self.birth_date:
            raise ValueError("the day is before the date of birth")
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - before_birthday


def normalize(value: str) -> str:
    """Remove all whitespace (including U+3000), map full-width digits and Ｘ/ｘ to ASCII,
    upper-case a trailing x. Does not validate."""
    if value is None:
        return ""
    text = "".join(str(value).split()).translate(_FULL_WIDTH)
    if text.endswith("x"):
        text = text[:-1] + "X"
    return text


def check_digit(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character for 17 ASCII digits."""
    if len(first17) != LENGTH - 1 or not set(first17) <= DIGITS:
        raise ValueError("check_digit needs exactly 17 ASCII digits")
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARACTERS[total % 11]


def parse(value: str, today: date | None = None) -> IdInfo:
    """Check `value` and return what it says; raise `InvalidIdNumber` on the first rule broken,
    in the order length, characters, province, birth_date, future, check_digit."""
    number = normalize(value)
    if len(number) != LENGTH:
        raise InvalidIdNumber("length", {"n": len(number)})
    if not set(number[:17]) <= DIGITS or number[17] not in DIGITS | {"X"}:
        raise InvalidIdNumber("characters")
    if number[:2] not in PROVINCE_PREFIXES:
        raise InvalidIdNumber("province", {"prefix": number[:2]})
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdNumber("birth_date") from None
    if birth < EARLIEST_BIRTH:
        raise InvalidIdNumber("birth_date", message_key="before_1900")
    if birth > (today or date.today()):
        raise InvalidIdNumber("future")
    if check_digit(number[:17]) != number[17]:
        raise InvalidIdNumber("check_digit")
    return IdInfo(
        number=number,
        region_prefix=number[:6],
        birth_date=birth,
        sex="M" if int(number[16]) % 2 else "F",
    )


def is_valid(value: str, today: date | None = None) -> bool:
    try:
        parse(value, today)
    except InvalidIdNumber:
        return False
    return True


def validate_id_number(value: str) -> None:
    """Django validator. It accepts what `normalize` can fix (full-width digits, a lower-case x,
    spaces), so store `normalize(value)`, not the raw input."""
    try:
        parse(value)
    except InvalidIdNumber as exc:
        raise ValidationError(exc.template, code=exc.code, params=exc.params or None) from None


def make(region_prefix: str, birth: date, seq: int, sex: str) -> str:
    """A valid number for demo data and tests.

    The order code is `seq // 5` as two digits, then the sex digit `2 * (seq % 5)`, plus 1 for a
    man; so seq 0..499 gives 500 different order codes for each sex (seq 0 for a woman is 000).
    """
    if len(region_prefix) != 6 or not set(region_prefix) <= DIGITS:
        raise ValueError("region_prefix must be 6 ASCII digits")
    if region_prefix[:2] not in PROVINCE_PREFIXES:
        raise ValueError(f"{region_prefix[:2]} is not a province prefix")
    if birth < EARLIEST_BIRTH:
        raise ValueError("birth must not be before 1900-01-01")
    if not 0 <= seq <= 499:
        raise ValueError("seq must be in 0..499")
    if sex not in ("M", "F"):
        raise ValueError('sex must be "M" or "F"')
    sex_digit = 2 * (seq % 5) + (sex == "M")
    first17 = f"{region_prefix}{birth:%Y%m%d}{seq // 5:02d}{sex_digit}"
    return first17 + check_digit(first17)


def cross_check(info: IdInfo, sex: str | None = None, birth_date: date | None = None) -> list[str]:
    """Messages (in the active language) for the given values that disagree with the number.
    `sex` is "M" or "F"; None or "" means not given."""
    problems: list[str] = []
    if sex:
        if sex not in ("M", "F"):
            raise ValueError('sex must be "M" or "F"')
        if sex != info.sex:
            problems.append(str(SEX_MISMATCH[info.sex]))
    if birth_date is not None and birth_date != info.birth_date:
        problems.append(str(BIRTH_DATE_MISMATCH))
    return problems
