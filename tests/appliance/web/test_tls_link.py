"""The admin overview offers the HTTPS page (the office's authority, install instructions)."""


def test_the_admin_overview_links_to_the_https_page(admin_client):
    page = admin_client.get("/admin").get_data(as_text=True)
    assert 'href="/tls"' in page and "Windows, Android" in page
