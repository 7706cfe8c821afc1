"""Order a meal: which meal, which menu (her diet by default), how many, which day; read back
and confirmed; then stored and sent to the provider by SMS.

A request said or texted in one breath ("two lunches tomorrow") is taken as said, one meal
unless she names a number. Asked step by step (the keypad's way), every slot is asked,
the number of meals too ("How many? Press 1 to 9"), so keys can order anything words can.
"""
from __future__ import annotations

from typing import Any

from assistant.db.models import OrderKind
from assistant.dialog import steps
from assistant.dialog.context import Ctx
from assistant.dialog.flows.menu import begin_task
from assistant.dialog.model import Choice
from assistant.dialog.states import State
from assistant.nlu import Expectation
from assistant.services import meal_menu, orders

SLOTS = ("meal", "date", "quantity")
MEALS = ["breakfast", "lunch", "dinner"]
MOST = 9
"""The largest number of meals one order takes by key (one key press)."""
ROUTES = ("order_meal.ask_meal", "order_meal.ask_item", "order_meal.ask_quantity", "order_meal.ask_day",
          "order_meal.confirm")


def start(ctx: Ctx) -> str:
    begin_task(ctx)
    ctx.take_slots(*SLOTS)
    if "meal" in ctx.slots:
        ctx.slots.setdefault("quantity", 1)
    item = meal_menu.default_item(ctx.menu, ctx.elder)
    if item is not None and ctx.elder is not None and ctx.elder.diet:
        ctx.slots["item"] = item.code
    return route(ctx)


def route(ctx: Ctx) -> str:
    if "meal" not in ctx.slots:
        return "order_meal.ask_meal"
    if "item" not in ctx.slots and ctx.menu:
        return "order_meal.ask_item"
    if "quantity" not in ctx.slots:
        return "order_meal.ask_quantity"
    if "date" not in ctx.slots:
        return "order_meal.ask_day"
    return "order_meal.confirm"


def meal_choices(ctx: Ctx) -> list[Choice]:
    return steps.labelled(ctx, "meal", MEALS)


def item_choices(ctx: Ctx) -> list[Choice]:
    return [Choice(str(i), item.code, meal_menu.item_name(item, ctx.lang), (item.code,))
            for i, item in enumerate(ctx.menu[:8], 1)]


def quantity_choices(ctx: Ctx) -> list[Choice]:
    """Keys 1 to 9. They have no words to be heard by: a fuzzy match of "twelve" to "two" or
    "12" to "1" would order the wrong number; a number is said with its unit ("two meals",
    "两份"), which fills the quantity slot."""
    return [Choice(str(n), str(n), "") for n in range(1, MOST + 1)]


def take_meal(ctx: Ctx) -> str:
    if ctx.choice is not None:
        ctx.slots["meal"] = ctx.choice.value
    ctx.take_slots(*SLOTS)
    return route(ctx)


def take_item(ctx: Ctx) -> str:
    ctx.slots["item"] = ctx.choice.value
    return route(ctx)


def take_quantity(ctx: Ctx) -> str:
    ctx.take_slots(*SLOTS)
    if ctx.choice is not None:
        ctx.slots["quantity"] = int(ctx.choice.value)
    if not 1 <= int(ctx.slots.get("quantity", 0)) <= MOST:
        ctx.slots.pop("quantity", None)
        ctx.say("sorry.retry")
    return route(ctx)


def item_name(ctx: Ctx) -> str:
    code = ctx.slots.get("item", "")
    item = next((i for i in ctx.menu if i.code == code), None)
    return meal_menu.item_name(item, ctx.lang) if item else ""


def confirm_values(ctx: Ctx) -> dict[str, Any]:
    return {"quantity": ctx.slots.get("quantity", 1), "item": item_name(ctx),
            "meal": ctx.text(f"meal.{ctx.slots['meal']}"), "when": steps.spoken_day(ctx, ctx.slots["date"])}


def correct(ctx: Ctx) -> str:
    ctx.take_slots(*SLOTS)
    return route(ctx)


def place(ctx: Ctx) -> str:
    order = orders.order_meal(
        ctx.db, ctx.rt, elder=ctx.elder, caller_phone=ctx.caller, meal=ctx.slots["meal"],
        item_code=ctx.slots.get("item", ""), quantity=int(ctx.slots.get("quantity", 1)),
        day=ctx.slots["date"], now=ctx.now, call_id=ctx.call_id)
    ctx.slots["last_order"] = {"kind": OrderKind.MEAL, "id": order.id}
    if order.provider is not None:
        ctx.say("order_meal.done", provider=order.provider.name, when=steps.spoken_day(ctx, ctx.slots["date"]))
    else:
        ctx.say("order_meal.no_provider")
    if ctx.elder is None:
        ctx.say("menu.new_caller")
    return "menu.anything_else"


STATES = [
    State("order_meal.start", enter=start, goes_to=ROUTES),
    State("order_meal.route", enter=route, goes_to=ROUTES),
    State("order_meal.ask_meal", prompt="order_meal.ask_meal", choices=meal_choices,
          expect=Expectation(slots=("meal",)), on={"choice": take_meal, "slots": take_meal},
          goes_to=ROUTES),
    State("order_meal.ask_item", prompt="order_meal.ask_item", choices=item_choices,
          on={"choice": take_item}, goes_to=ROUTES),
    State("order_meal.ask_quantity", prompt="order_meal.ask_quantity", choices=quantity_choices,
          read_choices=False, expect=Expectation(slots=("quantity",)),
          on={"choice": take_quantity, "slots": take_quantity}, goes_to=ROUTES),
    steps.ask_day("order_meal", "order_meal.route"),
    State("order_meal.confirm", prompt="order_meal.confirm", values=confirm_values, choices=steps.yes_no, read_choices=False,
          expect=Expectation(intents=("yes", "no"), slots=SLOTS),
          on={"yes": place, "slots": correct, "order_meal": correct,
              "no": steps.start_over(SLOTS, SLOTS, correct=correct, route=route)},
          goes_to=("menu.anything_else", *ROUTES), confirm_unsure=True),
]
