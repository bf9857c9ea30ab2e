import pytest

from appliance.domain.vnwords import (
    LETTER_NAMES,
    letter_name,
    number_as_digits,
    number_to_words,
    number_words,
    split_ticket,
    ticket_to_words,
)

TABLE = {
    0: "không",
    1: "một",
    4: "bốn",
    5: "năm",
    10: "mười",
    11: "mười một",
    14: "mười bốn",
    15: "mười lăm",
    20: "hai mươi",
    21: "hai mươi mốt",
    24: "hai mươi bốn",
    25: "hai mươi lăm",
    31: "ba mươi mốt",
    45: "bốn mươi lăm",
    55: "năm mươi lăm",
    99: "chín mươi chín",
    100: "một trăm",
    101: "một trăm linh một",
    104: "một trăm linh bốn",
    105: "một trăm linh năm",
    110: "một trăm mười",
    111: "một trăm mười một",
    115: "một trăm mười lăm",
    121: "một trăm hai mươi mốt",
    200: "hai trăm",
    999: "chín trăm chín mươi chín",
    1000: "một nghìn",
    1005: "một nghìn không trăm linh năm",
    1010: "một nghìn không trăm mười",
    1015: "một nghìn không trăm mười lăm",
    1100: "một nghìn một trăm",
    2021: "hai nghìn không trăm hai mươi mốt",
    10000: "mười nghìn",
    15000: "mười lăm nghìn",
    21000: "hai mươi mốt nghìn",
    100000: "một trăm nghìn",
    200005: "hai trăm nghìn không trăm linh năm",
    1000000: "một triệu",
    1001001: "một triệu không trăm linh một nghìn không trăm linh một",
    2000001: "hai triệu không trăm linh một",
    1000000000: "một tỷ",
    1000000005: "một tỷ không trăm linh năm",
    999999999999: ("chín trăm chín mươi chín tỷ chín trăm chín mươi chín triệu "
                   "chín trăm chín mươi chín nghìn chín trăm chín mươi chín"),
}


@pytest.mark.parametrize("n,words", TABLE.items())
def test_number_words_table(n, words):
    assert number_to_words(n) == words


def test_words_are_nfc_and_single_spaced():
    import unicodedata
    for n in range(0, 1001):
        text = number_to_words(n)
        assert unicodedata.is_normalized("NFC", text)
        assert "  " not in text and text == text.strip()


def test_mot_mot_and_lam_nam_everywhere_below_1000():
    for n in range(0, 1000):
        words = number_words(n)
        tens = n // 10 % 10
        if n % 10 == 1 and tens >= 2:
            assert words[-1] == "mốt", n
        if n % 10 == 1 and tens < 2:
            assert words[-1] == "một", n
        if n % 10 == 5 and tens >= 1:
            assert words[-1] == "lăm", n
        if n % 10 == 5 and tens == 0:
            assert words[-1] == "năm", n
        assert ("mười" in words) == (tens == 1), n
        assert ("mươi" in words) == (tens >= 2), n
        assert ("linh" in words) == (n >= 100 and tens == 0 and n % 10 != 0), n


def test_southern_and_optional_variants():
    assert number_to_words(105, zero_tens="lẻ") == "một trăm lẻ năm"
    assert number_to_words(1005, thousand="ngàn", zero_tens="lẻ") == "một ngàn không trăm lẻ năm"
    assert number_to_words(24, four="tư") == "hai mươi tư"
    assert number_to_words(14, four="tư") == "mười bốn"
    assert number_to_words(4, four="tư") == "bốn"
    assert number_to_words(124000, four="tư") == "một trăm hai mươi tư nghìn"


@pytest.mark.parametrize("bad", [-1, 10**12, 10**15])
def test_out_of_range(bad):
    with pytest.raises(ValueError, match="Chỉ đọc được số"):
        number_to_words(bad)


@pytest.mark.parametrize("bad", [1.5, "12", True, None])
def test_not_an_integer(bad):
    with pytest.raises(TypeError, match="Cần một số nguyên"):
        number_to_words(bad)


def test_bad_option():
    with pytest.raises(ValueError, match="zero_tens"):
        number_to_words(105, zero_tens="le")


def test_number_as_digits():
    assert number_as_digits("015") == "không một năm"
    assert number_as_digits(2024) == "hai không hai bốn"
    with pytest.raises(ValueError, match="không phải là một dãy chữ số"):
        number_as_digits("12a")


def test_tickets():
    assert ticket_to_words("A015") == "A mười lăm"
    assert ticket_to_words("a015") == "A mười lăm"
    assert ticket_to_words("B021", spell_letters=True) == "bê hai mươi mốt"
    assert ticket_to_words("C105", spell_letters=True) == "xê một trăm linh năm"
    assert ticket_to_words("007") == "bảy"
    assert ticket_to_words("A-0024", four="tư") == "A hai mươi tư"
    assert split_ticket("HT0001") == ("HT", 1)
    for bad in ("", "A", "15A", "A 1 5", "Ω12"):
        with pytest.raises(ValueError):
            split_ticket(bad)


def test_letter_names():
    assert letter_name("d") == "dê"
    assert letter_name("Đ") == "đê"
    assert letter_name("K") == "ca"
    assert len(LETTER_NAMES) == 27
