"""Issue #15 items 4 (mapping specs) and 10: lists whose Kyrgyz letters were lost, bad mapping specs."""

import pytest

from academy.errors import DomainError
from courses.services import imports

HEADER = "Аты-жөнү;Телефон;E-mail\r\n"


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_windows_1251_csv_with_lost_kyrgyz_letters_is_refused(tmp_path):
    # What Excel's plain "CSV" writes on Russian Windows for "Төлөгөнов Өмүрбек": ө, Ө, ү become "?".
    text = "ФИО;Телефон\r\nТөлөгөнов Өмүрбек;0700123456\r\n"
    data = text.encode("cp1251", errors="replace")
    assert "Т?л?г?нов ?м?рбек".encode("cp1251") in data  # real bytes, as Excel writes them
    path = write(tmp_path, "тизме.csv", data)
    with pytest.raises(DomainError) as error:
        imports.read_table(path, "тизме.csv")
    assert error.value.code == "lost_letters"
    assert "CSV UTF-8" in str(error.value.message) and ".xlsx" in str(error.value.message)
    assert "Т?л?г?нов" in str(error.value.message)


def test_utf8_file_that_already_lost_its_letters_is_refused_too(tmp_path):
    path = write(tmp_path, "list.csv", (HEADER + "Жу?ушев Ы?дырыс;0700123456;a@example.org\r\n").encode("utf-8"))
    with pytest.raises(DomainError):
        imports.read_table(path, "list.csv")


def test_windows_1251_csv_with_only_russian_letters_is_read(tmp_path):
    data = "ФИО;Телефон;Комментарий\r\nЁлкина Алёна;0700123456;Кто? Она.\r\n".encode("cp1251")
    table = imports.read_table(write(tmp_path, "список.csv", data), "список.csv")
    assert table.rows[0][1][0] == "Ёлкина Алёна"


def test_utf8_kyrgyz_csv_is_read(tmp_path):
    data = (HEADER + "Төлөгөнов Өмүрбек;0700123456;t@example.org\r\n").encode("utf-8-sig")
    table = imports.read_table(write(tmp_path, "list.csv", data), "list.csv")
    assert table.rows[0][1][0] == "Төлөгөнов Өмүрбек"


HEADERS = ["Аты-жөнү", "Телефон", "E-mail"]


@pytest.mark.parametrize(
    "spec",
    [
        "¹=email",  # a superscript digit: str.isdigit() says yes, int() says no
        '{"¹": "email"}',
        '{"E-mail": {"nested": "json"}}',
        '{"E-mail": ["email"]}',
        "[" * 5000 + "]" * 5000,
        '{"1": "email", "2": ' + "[" * 3000 + "]" * 3000 + "}",
        "99=email",
    ],
)
def test_bad_mapping_specs_are_a_clear_error(spec):
    with pytest.raises(DomainError) as error:
        imports.parse_mapping_spec(spec, HEADERS)
    assert error.value.field == "mapping"


def test_good_mapping_spec_still_works():
    assert imports.parse_mapping_spec("1=full_name;3=email", HEADERS) == {0: "full_name", 2: "email"}
    assert imports.check_mapping({"0": "full_name", "2": "email"}, HEADERS) == {0: "full_name", 2: "email"}
    with pytest.raises(DomainError):
        imports.check_mapping({"¹": "email"}, HEADERS)
