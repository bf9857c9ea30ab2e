"""The wizard's services from the catalog, and its device choices: the udev-named USB device
(offered only when its /dev name exists, named from the known USB ids), simulated, none."""
import pytest

from appliance.domain.errors import DomainError
from appliance.services import office_setup


def usb_device(sysfs, name, vendor, product, manufacturer=""):
    d = sysfs / name
    d.mkdir(parents=True)
    (d / "idVendor").write_text(vendor + "\n")
    (d / "idProduct").write_text(product + "\n")
    if manufacturer:
        (d / "manufacturer").write_text(manufacturer + "\n")


def test_choices_name_what_is_plugged_in_by_usb_id(tmp_path):
    sysfs, dev = tmp_path / "sys", tmp_path / "dev"
    dev.mkdir()
    usb_device(sysfs, "1-1", "04b8", "0202", "EPSON")
    usb_device(sysfs, "1-2", "1a86", "7523")
    usb_device(sysfs, "usb1", "1d6b", "0002")  # a root hub: never a device of ours
    printer = office_setup.device_choices("printer", tmp_path / "state", dev, sysfs)
    assert [c.key for c in printer] == ["usb", "sim", "none"]
    assert printer[0].detected is False and "Epson" in printer[0].found and "04b8:0202" in printer[0].found
    (dev / "motcua-pager").touch()
    pager = office_setup.device_choices("pager", tmp_path / "state", dev, sysfs)
    assert pager[0].detected and "1a86:7523" in pager[0].found and "Epson" not in pager[0].found
    assert office_setup.default_choice(pager) == "usb" and office_setup.default_choice(printer) == "sim"
    assert pager[1].url == f"sim://{(tmp_path / 'state').resolve() / 'devices' / 'pager'}"


def test_services_from_the_catalog_and_counters(empty_appliance):
    offers = office_setup.service_offers(empty_appliance.catalog())
    codes = [o.code for o in offers]
    assert {"HT", "CT"} <= set(codes) and len(set(o.prefix for o in offers)) == len(offers)
    assert any("Đăng ký khai sinh" in o.procedures for o in offers)
    with pytest.raises(DomainError):
        office_setup.set_up_services(empty_appliance.db, offers, ["HT"], 0, "admin")
    with pytest.raises(DomainError):
        office_setup.set_up_services(empty_appliance.db, offers, [], 2, "admin")
    office_setup.set_up_services(empty_appliance.db, offers, ["HT"], 2, "admin")
    office_setup.set_up_services(empty_appliance.db, offers, ["HT", "CT"], 3, "admin")  # again: kept, extended
    from appliance.store import office_store
    counters = office_store.list_counters(empty_appliance.db.conn())
    assert [c["id"] for c in counters] == [1, 2, 3] and sorted(counters[2]["services"]) == ["CT", "HT"]
