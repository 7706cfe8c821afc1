"""How times read in the dashboard: in the organisation's time zone, waits in words."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Blueprint, request, url_for

from assistant.web import runtime
from assistant.web.dashboard.i18n import t


def local_zone() -> ZoneInfo:
    return ZoneInfo(runtime().config.organization.default_timezone)


def now_utc() -> datetime:
    """Now, by the runtime's clock."""
    return runtime().clock.now()


def local_today(zone: ZoneInfo | None = None) -> date:
    return now_utc().astimezone(zone or local_zone()).date()


def when(value: datetime | None, with_date: bool = True) -> str:
    if value is None:
        return ""
    local = value.astimezone(local_zone())
    return local.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def duration(span: timedelta | int | None) -> str:
    """A wait or a length in words: "3 min", "2 h 5 min", "4 d 3 h"."""
    if span is None:
        return ""
    seconds = int(span.total_seconds() if isinstance(span, timedelta) else span)
    minutes, hours, days = seconds // 60 % 60, seconds // 3600 % 24, seconds // 86400
    if days:
        return t("time.days_hours", d=days, h=hours)
    if hours:
        return t("time.hours_minutes", h=hours, m=minutes)
    if minutes:
        return t("time.minutes", m=minutes)
    return t("time.seconds", s=seconds)


def since(value: datetime | None) -> str:
    return duration(now_utc() - value) if value else ""


def page_url(page: int) -> str:
    """This page's URL with the same filters, at another page number."""
    return url_for(request.endpoint or "", **{**(request.view_args or {}), **request.args.to_dict(),
                                              "page": page})


def init_blueprint(parent: Blueprint) -> None:
    for name, function in (("when", when), ("duration", duration), ("since", since)):
        parent.add_app_template_filter(function, name)
    parent.add_app_template_global(page_url, "page_url")
    parent.add_app_template_global(now_utc, "now_utc")
