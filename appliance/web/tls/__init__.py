"""HTTPS on the LAN, the panel's part (the ``tls`` blueprint): the office's certificate authority
for download (``/tls/ca.crt``) and how to trust it on Windows and Android (``/tls``). Both are open
to everyone: a certificate authority is public, and people need it before their browser trusts
the panel. See docs/tls.md."""
from __future__ import annotations

from flask import Blueprint, Flask, abort, render_template, send_file

from ...tls.state import enabled_port, files
from ..auth import appliance

bp = Blueprint("tls", __name__, url_prefix="/tls")


@bp.get("/ca.crt")
def ca_certificate():
    path = files(appliance().state_dir).ca
    if not path.exists():
        abort(404)
    return send_file(path, mimetype="application/x-x509-ca-cert", as_attachment=True,
                     download_name="motcua-ca.crt", max_age=0)


@bp.get("")
def install():
    state = appliance().state_dir
    path = files(state).ca
    from ...tls import certs  # cryptography (~15 MB) loaded by this page, not by every start
    fingerprint = certs.fingerprint(path.read_bytes()) if path.exists() else None
    return render_template("tls/install.html", fingerprint=fingerprint, port=enabled_port(state))


def register(app: Flask) -> None:
    app.register_blueprint(bp)
