"""Posting a text message to a group robot's webhook: WeCom (企业微信), DingTalk (钉钉) or Feishu/Lark (飞书).

Each robot takes a JSON POST and answers HTTP 200 with its own verdict in the body:

- WeCom    `{"msgtype": "text", "text": {"content": …}}` → `{"errcode": 0, "errmsg": "ok"}`
- DingTalk `{"msgtype": "text", "text": {"content": …}}` → `{"errcode": 0, "errmsg": "ok"}`
- Feishu   `{"msg_type": "text", "content": {"text": …}}` → `{"code": 0, "msg": "success"}`
  (older robots: `{"StatusCode": 0, …}`)

so a 200 whose body says errcode/code ≠ 0 (a wrong keyword, a rate limit, a bad token) is a failure
too. The URL carries the robot's secret (WeCom `?key=`, DingTalk `?access_token=`, Feishu the last
path segment): nothing here ever prints it; `where()` names only the host. Stdlib only (urllib): one
POST per message needs nothing more.
"""

from __future__ import annotations

import http.client
import json
import socket
import urllib.error
import urllib.parse
import urllib.request

KINDS = ("wecom", "dingtalk", "feishu")
# The robots' limits: WeCom's text content is at most 2048 bytes of UTF-8, DingTalk's and Feishu's more.
MAX_BYTES = 2000
_HOSTS = {"qyapi.weixin.qq.com": "wecom", "oapi.dingtalk.com": "dingtalk", "api.dingtalk.com": "dingtalk",
          "open.feishu.cn": "feishu", "open.larksuite.com": "feishu"}


class WebhookFailed(Exception):
    """One line saying why (never the URL)."""


def kind_for(url: str, kind: str = "auto") -> str:
    """The robot's kind: `kind`, or with "auto" the one its host belongs to (WeCom's shape elsewhere)."""
    if kind != "auto":
        return kind
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return _HOSTS.get(host, "wecom")


def where(url: str) -> str:
    """The webhook as it may be printed: 'https://qyapi.weixin.qq.com' (no user, path or query: secrets)."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "?"
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}{port}"


def check_url(url: str) -> str | None:
    """What is wrong with `url` as a webhook (None when nothing), without quoting it."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018  # raises on a bad port
    except ValueError:
        return "not a URL"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "not an http:// or https:// URL"
    return None


def payload(kind: str, text: str) -> dict:
    if kind == "feishu":
        return {"msg_type": "text", "content": {"text": text}}
    return {"msgtype": "text", "text": {"content": text}}


def _verdict(body: bytes) -> str | None:
    """The robot's complaint in a 2xx answer, or None when it took the message."""
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None  # not a robot's JSON: an HTTP 2xx from a plain receiver is a yes
    if not isinstance(answer, dict):
        return None
    for code, message in (("errcode", "errmsg"), ("code", "msg"), ("StatusCode", "StatusMessage")):
        value = answer.get(code)
        if value not in (None, 0, "0"):
            why = str(answer.get(message, ""))[:200]
            return f"{code} {value}" + (f": {why}" if why else "")
    return None


def post(url: str, kind: str, text: str, *, timeout: float = 10.0) -> None:
    """POST `text` to the robot at `url`. Raises WebhookFailed (HTTP error, timeout, refused, the
    robot's errcode ≠ 0)."""
    problem = check_url(url)
    if problem:
        raise WebhookFailed(problem)
    data = json.dumps(payload(kind, text), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8",
                                              "User-Agent": "notedesk-remind"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # http(s) only, above
            body = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise WebhookFailed(f"HTTP {exc.code}" + (f" {exc.reason}" if exc.reason else "")) from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (TimeoutError, socket.timeout)):
            raise WebhookFailed(f"no answer within {timeout:g} s") from None
        if isinstance(reason, ConnectionRefusedError):
            raise WebhookFailed("connection refused") from None
        raise WebhookFailed(str(getattr(reason, "strerror", None) or reason)) from None
    except TimeoutError:
        raise WebhookFailed(f"no answer within {timeout:g} s") from None
    except ConnectionRefusedError:
        raise WebhookFailed("connection refused") from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise WebhookFailed(type(exc).__name__ + (f": {exc}" if str(exc) and "://" not in str(exc) else "")) from None
    complaint = _verdict(body)
    if complaint:
        raise WebhookFailed(complaint)
