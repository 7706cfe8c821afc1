"""`assistant sms --from NUMBER TEXT`: text the hotline without a phone.

The text goes through the real webhook (`POST /sms/incoming`, in process, signed with the
configured auth token if there is one), so it is stored and acted on exactly as a text from
that number would be. Printed: the reply, then every SMS the hotline sent because of it
(alerts, notifications), which in console mode are only stored in the outbox. With Twilio
credentials configured those are really sent.
"""
from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET

import click
from sqlalchemy import func, select

from assistant.cli.context import fail, pass_config
from assistant.config import Config
from assistant.db.models import SmsMessage
from assistant.phones import try_normalize
from assistant.runtime import Runtime
from assistant.telephony.console_backend import ConsoleTelephony
from assistant.telephony.signatures import sign

PATH = "/sms/incoming"


@click.command("sms")
@click.option("--from", "sender", required=True, help="The sender's phone number.")
@click.argument("text", nargs=-1, required=True)
@pass_config
def sms(config: Config, sender: str, text: tuple[str, ...]) -> None:
    """Text TEXT to the hotline from NUMBER; print the reply and every SMS it caused."""
    from assistant.web import create_app

    phone = try_normalize(sender, config.organization.default_region)
    if phone is None:
        fail(f"--from: {sender!r} is not a phone number")
    runtime = Runtime.build(config)
    runtime.db.upgrade()
    if isinstance(runtime.telephony, ConsoleTelephony):
        runtime.telephony = ConsoleTelephony(config, out=io.StringIO())  # listed below
    params = {"MessageSid": "SM" + uuid.uuid4().hex, "From": phone,
              "To": config.twilio.from_number or "+10000000000", "Body": " ".join(text),
              "AccountSid": config.twilio.account_sid or "AC" + "0" * 32, "NumMedia": "0"}
    headers = {}
    if config.twilio.auth_token:
        headers["X-Twilio-Signature"] = sign(config.twilio.auth_token, config.public_url + PATH, params)
    with runtime.db.session() as session:
        before = session.scalar(select(func.max(SmsMessage.id))) or 0
    response = create_app(config, runtime).test_client().post(PATH, data=params, headers=headers)
    if response.status_code != 200:
        fail(f"the webhook answered {response.status_code}: {response.get_data(as_text=True)[:200]}")
    reply = ET.fromstring(response.get_data(as_text=True)).findtext("Message")
    click.echo(f"reply: {reply}" if reply else "reply: (none)")
    with runtime.db.session() as session:
        sent = session.scalars(select(SmsMessage).where(
            SmsMessage.id > before, SmsMessage.direction == "outbound",
            SmsMessage.purpose != "reply").order_by(SmsMessage.id)).all()
        for message in sent:
            click.echo(f"sent to {message.to_number} ({message.purpose}, {message.status}): {message.body}")
    runtime.db.dispose()


COMMANDS = [sms]
