"""People by their names: a user's display name (王编辑, 李签审, …) wherever the newsroom sees them.

The display name is the account's name fields (for a Chinese name the whole name sits in
first_name, e.g. 王编辑), falling back to the user name only when no name was given. `install()`
makes it the user's str(), so that every select (责任编辑, the reviewer pickers), list column and
history row shows it without each one being told; the user name itself stays where an account
is managed (the user admin lists it in its own column, and the login form asks for it).
"""

from django.contrib.auth import get_user_model


def display_name(user):
    """王编辑 for a user named so; the user name if no name was given; "" for no user."""
    if user is None:
        return ""
    name = f"{user.last_name}{user.first_name}".strip() if _cjk(user) else user.get_full_name().strip()
    return name or user.get_username()


def _cjk(user):
    """A Chinese name is written family name first without a space (王 + 编辑)."""
    return any("\u4e00" <= ch <= "\u9fff" for ch in f"{user.first_name}{user.last_name}")


def install():
    """Make the user's str() its display name (called once from the app's ready())."""
    get_user_model().__str__ = display_name
