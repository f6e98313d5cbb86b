"""portal.core.masking hides card, ID and mobile numbers that validate, and leaves look-alikes alone."""

import pytest

from portal.core.masking import id_number_valid, luhn_valid, mask_personal_data


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("卡号6222021234567894请查", "卡号************7894请查"),
        ("card 4111 1111 1111 1111 ok", "card **** **** **** 1111 ok"),
        ("amex 378282246310005.", "amex ***********0005."),
        ("19 digits 6212-2612-0200-1234-567", "19 digits ****-****-****-***4-567"),
    ],
)
def test_luhn_valid_card_numbers_are_masked_to_the_last_four(text, masked):
    result = mask_personal_data(text)

    assert result.text == masked
    assert result.found == {"card": 1}


@pytest.mark.parametrize(
    "text",
    ["4111111111111112", "订单号20240101123456789", "6222 0212 3456 7890", "123456789012", "金额 1234567.89 元"],
)
def test_numbers_that_fail_luhn_or_length_stay(text):
    result = mask_personal_data(text)

    assert result.text == text
    assert not result.changed
    assert result.message() == ""


def test_id_number_with_valid_check_digit_is_masked():
    result = mask_personal_data("身份证110101199003074514，请核实")

    assert result.text == "身份证110*************14，请核实"
    assert result.found == {"id_number": 1}


@pytest.mark.parametrize("number", ["110101199003074513", "11010119901307451X", "11010119900307451"])
def test_id_numbers_with_a_wrong_check_digit_or_date_or_length_stay(number):
    assert mask_personal_data(f"ID {number} here").text == f"ID {number} here"


def test_id_check_digit_x_is_recognised():
    # 11010519491231002X is the textbook example with check digit X.
    assert id_number_valid("11010519491231002X")
    assert id_number_valid("11010519491231002x")
    assert mask_personal_data("号码 11010519491231002X").found == {"id_number": 1}


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("手机13812345678", "手机138****5678"),
        ("call +86 139-1234-5678 now", "call +86 139****5678 now"),
        ("电话 199 8765 4321", "电话 199****4321"),
    ],
)
def test_mainland_mobile_numbers_are_masked(text, masked):
    result = mask_personal_data(text)

    assert result.text == masked
    assert result.found == {"mobile": 1}


@pytest.mark.parametrize("text", ["12812345678", "座机 010-12345678", "138123456789"])
def test_numbers_that_are_not_mobiles_stay(text):
    assert mask_personal_data(text).text == text


def test_several_kinds_are_counted_and_explained():
    result = mask_personal_data("卡 4111111111111111，手机 13812345678，13912345678")

    assert result.found == {"card": 1, "mobile": 2}
    assert result.kinds == ["card", "mobile"]
    assert result.message() == (
        "To protect your privacy we hid a bank card number and a mobile number in your text. "
        "Never post card, ID or phone numbers in public."
    )


def test_the_explanation_is_translated():
    from django.utils import translation

    with translation.override("zh-hans"):
        message = mask_personal_data("手机13812345678").message()

    assert "手机号" in message


def test_luhn_helper():
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398710")
    assert not luhn_valid("7992-7398")


def test_empty_text():
    assert mask_personal_data("").text == ""
    assert mask_personal_data(None).text == ""
