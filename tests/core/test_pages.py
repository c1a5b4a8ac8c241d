"""Pages in Swedish by default, in English and Arabic (right to left) on request."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_start_page_in_swedish_with_skip_link(client):
    page = client.get("/").content.decode()
    assert '<html lang="sv" dir="ltr"' in page
    assert 'href="#main"' in page and 'id="main"' in page
    assert "Ansök om ekonomiskt bistånd" in page


@pytest.mark.parametrize(
    ("language", "direction", "heading"),
    [
        ("en", "ltr", "Apply for financial assistance"),
        ("ar", "rtl", "التقدم بطلب للحصول على المساعدة المالية"),
    ],
)
def test_language_switcher_changes_language_and_direction(client, language, direction, heading):
    response = client.post(reverse("set_language"), {"language": language, "next": "/"}, follow=True)
    page = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}"' in page
    assert heading in page


def test_every_language_is_offered_in_its_own_name(client):
    page = client.get("/").content.decode()
    for code, name in [("sv", "Svenska"), ("en", "English"), ("ar", "العربية")]:
        assert f'value="{code}" lang="{code}"' in page
        assert name in page
