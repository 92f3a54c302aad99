"""The Slack half of `aicost doctor`: the token, its scopes, and each configured channel.

A digest whose chart cannot be uploaded fails after its text already went out: files_upload_v2
needs the bot in the channel (`chat:write.public` lets text in, not files). So membership is
checked here, before the first digest, and a public channel is joined when the token may.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from ..core.doctor import Check, failed, missing_scopes, passed
from ..settings import Settings

__all__ = ["NEEDED_SCOPES", "slack_checks"]

# The bot scopes app.yaml (the manifest) asks for; tests/slack/test_doctor.py holds them equal.
NEEDED_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "files:write",
    "channels:history",
    "groups:history",
    "channels:read",
    "groups:read",
    "channels:join",
)
TOKEN = "slack token"
SCOPES = "slack scopes"
TOKEN_HELP = (
    "copy the Bot User OAuth Token (xoxb-...) from your Slack app's OAuth & Permissions page"
)
REINSTALL = (
    "add them under OAuth & Permissions → Scopes (or paste app.yaml as the app's manifest) "
    "and reinstall the app"
)
# What each channel setting needs membership for; None: text only (chat:write.public will do).
CHANNELS = {
    "AICOST_DIGEST_CHANNEL": "the digest's chart upload needs aicost in the channel",
    "AICOST_ALERT_CHANNEL": None,
}


def slack_checks(settings: Settings, *, timeout: int = 10) -> list[Check]:
    """The token (auth.test), its scopes (auth.test's x-oauth-scopes header), each channel."""
    if settings.slack_bot_token is None:
        return [failed(TOKEN, f"SLACK_BOT_TOKEN is not set: {TOKEN_HELP}")]
    client = WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=timeout,
    )
    try:
        auth = client.auth_test()
    except SlackApiError as exc:
        error = exc.response.get("error", "auth.test failed")
        return [failed(TOKEN, f"Slack rejected SLACK_BOT_TOKEN ({error}): {TOKEN_HELP}")]
    except (URLError, OSError) as exc:
        why = getattr(exc, "reason", None) or type(exc).__name__
        return [failed(TOKEN, f"Slack is unreachable at {settings.slack_api_url} ({why})")]
    checks = [passed(TOKEN, f"valid: @{auth.get('user')} in {auth.get('team')}")]
    granted = _header(auth.headers, "x-oauth-scopes")
    missing = missing_scopes(granted, NEEDED_SCOPES)
    if granted is None:
        checks.append(failed(SCOPES, "auth.test did not list the token's scopes"))
    elif missing:
        checks.append(failed(SCOPES, f"missing {', '.join(missing)}: {REINSTALL}"))
    else:
        checks.append(passed(SCOPES, "every scope app.yaml asks for"))
    can_join = not missing_scopes(granted, ["channels:join"])
    seen: set[str] = set()
    for setting, needs_membership in CHANNELS.items():
        channel = getattr(settings, setting.removeprefix("AICOST_").lower())
        if channel and channel not in seen:
            seen.add(channel)
            checks.append(_channel(client, setting, channel, needs_membership, can_join=can_join))
    return checks


def _header(headers: Mapping[str, object], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return ",".join(value) if isinstance(value, list) else str(value)
    return None


def _channel(
    client: WebClient, setting: str, channel: str, needs_membership: str | None, *, can_join: bool
) -> Check:
    """Reachable, not archived, and aicost a member where it must be (joined when it may)."""
    name = f"{setting} {channel}"
    try:
        info = client.conversations_info(channel=channel)["channel"]
    except SlackApiError as exc:
        return failed(name, _lookup_error(exc.response.get("error"), exc.response.get("needed")))
    except (URLError, OSError) as exc:
        return failed(name, f"Slack is unreachable ({getattr(exc, 'reason', None) or exc})")
    label = f"#{info.get('name', channel)}"
    if info.get("is_archived"):
        return failed(name, f"{label} is archived: unarchive it or set {setting} to another")
    if info.get("is_member"):
        return passed(name, f"{label}, aicost is a member")
    if info.get("is_private"):
        return failed(
            name, f"{label} is private and aicost is not in it: invite @aicost to {label}"
        )
    if can_join:
        try:
            client.conversations_join(channel=channel)
        except SlackApiError as exc:
            error = exc.response.get("error")
            return failed(name, f"could not join {label} ({error}): invite @aicost to {label}")
        return passed(name, f"{label}, joined it just now (aicost was not a member)")
    if needs_membership:
        return failed(
            name,
            f"aicost is not in {label} and {needs_membership}: invite @aicost to {label} "
            "(or add the channels:join scope and run `aicost doctor` again to join it)",
        )
    return passed(
        name,
        f"{label}, posting through chat:write.public; invite @aicost to {label} so that an "
        "alert interrupted mid-post is found there and not posted twice",
    )


def _lookup_error(error: str | None, needed: str | None) -> str:
    if error == "channel_not_found":
        return (
            "Slack finds no channel with this id that aicost can see: if the channel is private, "
            "invite @aicost to it; otherwise copy the id from the channel's details (About tab)"
        )
    if error == "missing_scope":
        return f"looking the channel up needs the {needed or 'channels:read'} scope: {REINSTALL}"
    return f"conversations.info answered {error}"
