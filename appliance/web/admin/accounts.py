"""Admin: personal user accounts and API tokens.

A new account, or a reset, gets a generated password that is shown once on the page (never put
in the session cookie or the log) and must be changed at first login. Tokens are shown once too;
only their hash is kept. The last active administrator can be neither deactivated nor demoted,
and nobody changes their own role or deactivates themselves.
"""
from __future__ import annotations

from typing import Any

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ...domain.errors import DomainError
from ...services import accounts
from ...store import accounts as account_store
from ...store import office_store
from ..auth import appliance, current_principal, signed_in
from ..i18n import current_language
from ..login.access import role_name
from ..login.throttle import throttle as login_throttle
from .blueprint import bp
from .helpers import counter_choice, domain_error, form_status, render_admin


# --- account changes the store does not have yet ---------------------------------------------
# --- users ----------------------------------------------------------------------------------
def _role_choices(roles) -> list[SelectChoice]:
    return [SelectChoice(r, role_name(r)) for r in roles]


class UserForm(FlaskForm):
    login = StringField(_l("Tên đăng nhập"), validators=[
        DataRequired(_l("Hãy nhập tên đăng nhập, ví dụ hoa.nguyen.")), Length(max=40),
        Regexp(r"^[A-Za-z0-9._-]+$", message=_l("Tên đăng nhập chỉ gồm chữ không dấu, số, dấu chấm, "
                                                "gạch ngang hoặc gạch dưới, ví dụ hoa.nguyen."))],
        filters=[lambda v: (v or "").strip().lower()])
    full_name = StringField(_l("Họ và tên"), validators=[Optional(), Length(max=80)])
    role = SelectField(_l("Vai trò"), default="officer")


def _users_page(form: UserForm, status: int = 200, error: str | None = None, shown: dict | None = None):
    rows = account_store.list_users(appliance().db.conn())
    return render_admin("admin/users.html", status, form=form, rows=rows, error=error, shown=shown,
                        roles=_role_choices(account_store.USER_ROLES), me=current_principal(),
                        waiting=login_throttle().waiting())


@bp.route("/users", methods=["GET", "POST"])
def users():
    form = UserForm()
    form.role.choices = _role_choices(account_store.USER_ROLES)
    if not form.validate_on_submit():
        return _users_page(form, form_status(form))
    password = accounts.generate_password()
    full_name = (form.full_name.data or "").strip()
    try:
        with appliance().units() as tx:
            accounts.add_user(tx, form.login.data, form.role.data, password, full_name, must_change=True)
            tx.audit(signed_in().name, "user.create", f"user:{form.login.data}",
                           f"{full_name}; vai trò {form.role.data}")
    except DomainError as exc:
        error = domain_error(form, exc)
        return _users_page(form, 400, error)
    shown = {"login": form.login.data, "password": password, "created": True}
    return _users_page(UserForm(formdata=None), 200, shown=shown)


def _change_user(user_id: int, change) -> str | None:
    """Run ``change(tx, row)`` in one unit of work; returns a Vietnamese refusal, or None."""
    with appliance().units() as tx:
        row = account_store.user_row(tx.conn, user_id)
        if row is None:
            return _("Không có người dùng mã %(id)s.", id=user_id)
        return change(tx, row)


@bp.post("/users/<int:user_id>/active")
def user_active(user_id: int):
    active = request.form.get("active") == "1"
    me = current_principal()

    def change(tx, row):
        if row["id"] == me.id and me.kind == "user" and not active:
            return _("Không thể tự khóa tài khoản của chính mình.")
        if not active and row["role"] == "admin" and row["active"] and account_store.active_admins(tx.conn) <= 1:
            return _("Không thể khóa quản trị viên cuối cùng; hãy tạo hoặc mở lại một quản trị viên khác trước.")
        accounts.set_active(tx, row["id"], active)
        tx.audit(me.name, "user.activate" if active else "user.deactivate", f"user:{row['login']}")
        return None
    refusal = _change_user(user_id, change)
    if refusal:
        flash(refusal, "error")
    else:
        flash(_("Đã mở lại tài khoản.") if active else _("Đã khóa tài khoản; người này không đăng nhập được nữa."),
              "ok")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/unlock")
def user_unlock(user_id: int):
    """Forget the failed logins of this account (from every address): the officer may try at once."""
    row = account_store.user_row(appliance().db.conn(), user_id)
    if row is None:
        flash(_("Không có người dùng mã %(id)s.", id=user_id), "error")
        return redirect(url_for("admin.users"))
    login_throttle().unlock(row["login"])
    with appliance().units() as tx:
        tx.audit(signed_in().name, "user.unlock", f"user:{row['login']}")
    flash(_("Đã mở khóa đăng nhập cho %(login)s.", login=row["login"]), "ok")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/role")
def user_role(user_id: int):
    role = request.form.get("role", "")
    me = current_principal()

    def change(tx, row):
        if role not in account_store.USER_ROLES:
            return _("Vai trò không hợp lệ; chọn một trong danh sách.")
        if row["id"] == me.id and me.kind == "user":
            return _("Không thể tự đổi vai trò của chính mình; hãy nhờ một quản trị viên khác.")
        if row["role"] == "admin" and role != "admin" and row["active"] and account_store.active_admins(tx.conn) <= 1:
            return _("Không thể bỏ vai trò của quản trị viên cuối cùng.")
        if row["role"] == role:
            return None
        accounts.set_role(tx, row["id"], role)
        tx.audit(me.name, "user.role", f"user:{row['login']}", f"{row['role']} → {role}")
        return None
    refusal = _change_user(user_id, change)
    if refusal:
        flash(refusal, "error")
    else:
        flash(_("Đã đổi vai trò thành %(role)s.", role=role_name(role)), "ok")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:user_id>/password")
def user_password(user_id: int):
    me = current_principal()
    password = accounts.generate_password()
    done: dict = {}

    def change(tx, row):
        accounts.set_password(tx, row["id"], password, must_change=True)
        tx.audit(me.name, "user.password_reset", f"user:{row['login']}")
        done["login"] = row["login"]
        return None
    refusal = _change_user(user_id, change)
    if refusal:
        flash(refusal, "error")
        return redirect(url_for("admin.users"))
    form = UserForm(formdata=None)
    form.role.choices = _role_choices(account_store.USER_ROLES)
    return _users_page(form, 200, shown={"login": done["login"], "password": password, "created": False})


# --- API tokens -----------------------------------------------------------------------------
class TokenForm(FlaskForm):
    name = StringField(_l("Tên thiết bị hoặc mục đích"), validators=[
        DataRequired(_l("Hãy đặt tên để nhận ra mã, ví dụ TV sảnh.")), Length(max=60)])
    role = SelectField(_l("Vai trò"), default="display")
    # only for a mirror token (the citizen screen of one counter); "" for every other role
    counter = SelectField(_l("Quầy (chỉ cho màn hình công dân)"), default="")


def _token_form(fresh: bool = False) -> TokenForm:
    """The form bound to the request, or ``fresh`` (empty) after a token was created."""
    form = TokenForm(formdata=None) if fresh else TokenForm()
    form.role.choices = _role_choices(account_store.ALL_TOKEN_ROLES)
    form.counter.choices = [SelectChoice("", _("— không gắn quầy —"))] + [
        SelectChoice(str(c["id"]), counter_choice(c))
        for c in office_store.list_counters(appliance().db.conn())]
    return form


def _tokens_page(form: TokenForm, status: int = 200, error: str | None = None, shown: dict | None = None):
    rows = account_store.list_tokens(appliance().db.conn())
    return render_admin("admin/tokens.html", status, form=form, rows=rows, error=error, shown=shown)


def _device_url(role: str, token: str, counter_id: int | None) -> str | None:
    """The address to open once on the device, token included (display, kiosk, mirror)."""
    page: tuple[str, dict[str, Any]] | None = {"display": ("display.board", {}), "kiosk": ("kiosk.start", {}),
            "mirror": ("dossier_pages.mirror", {"counter_id": counter_id})}.get(role)
    if page is None:
        return None
    try:
        return url_for(page[0], token=token, _external=True, **page[1])
    except Exception:  # that page is not served in this build
        return None


@bp.route("/tokens", methods=["GET", "POST"])
def tokens():
    form = _token_form()
    if not form.validate_on_submit():
        return _tokens_page(form, form_status(form))
    name = form.name.data.strip()
    counter_id = int(form.counter.data) if form.counter.data else None
    detail = f"vai trò {form.role.data}" + (f", quầy {counter_id}" if counter_id is not None else "")
    try:
        with appliance().units() as tx:
            token = accounts.add_token(tx, name, form.role.data, counter_id=counter_id)
            tx.audit(signed_in().name, "token.create", f"token:{name}", detail)
    except DomainError as exc:
        return _tokens_page(form, 400, domain_error(form, exc, {"counter_id": "counter"}))
    shown = {"name": name, "role": form.role.data, "token": token,
             "device_url": _device_url(form.role.data, token, counter_id)}
    return _tokens_page(_token_form(fresh=True), 200, shown=shown)


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    try:
        with appliance().units() as tx:
            accounts.revoke_token(tx, token_id)  # NotFound unless the token exists
            row = account_store.token_row(tx.conn, token_id)
            name = row["name"] if row is not None else str(token_id)
            tx.audit(signed_in().name, "token.revoke", f"token:{name}")
    except DomainError as exc:
        flash(exc.message(current_language()), "error")
    else:
        flash(_("Đã thu hồi mã “%(name)s”; thiết bị dùng mã này sẽ bị từ chối.", name=name), "ok")
    return redirect(url_for("admin.tokens"))
