"""Workshops, trainings and meetings: staff create, publish, edit and cancel them (CLI and
staff chat); citizens browse, sign up or join the waitlist and cancel in chat; reminders,
notices of changes and the feedback go through the outbox; staff mark attendance by the
code citizens show. Importing the package registers its flow, menu entry and personal
data; everything else uses workshops through these exports."""

from handlers.workshops.attendance import Marked, mark_attendance, rate_workshop
from handlers.workshops.browsing import on_workshop_button, open_workshops, sign_up
from handlers.workshops.management import (
    AUDIENCES,
    KINDS,
    TEXT_LOCALES,
    Published,
    Reason,
    WorkshopFields,
    WorkshopRefused,
    cancel_workshop,
    create_workshop,
    edit_workshop,
    fields_from_document,
    fields_of,
    local_moment,
    publish_workshop,
    reason,
    staff_may_run,
    unknown_workshop,
)
from handlers.workshops.notices import DECLINE_PREFIX, JOIN_PREFIX, RATE_PREFIX
from handlers.workshops.personal_data import erase_workshop_data
from handlers.workshops.reminders import queue_workshop_feedback, queue_workshop_reminders
from handlers.workshops.reports import WorkshopFigures, registration_rows, workshop_figures
from handlers.workshops.seats import (
    SignUp,
    cancel_registration,
    fill_free_seats,
    promote_into_free_seats,
    register_for_workshop,
    seats_left,
)
from handlers.workshops.staff_chat import on_workshop_command
from handlers.workshops.views import local_time, text_in, when_text

WORKSHOP_BUTTON_PREFIX = "w."

__all__ = [
    "AUDIENCES",
    "DECLINE_PREFIX",
    "JOIN_PREFIX",
    "KINDS",
    "RATE_PREFIX",
    "TEXT_LOCALES",
    "WORKSHOP_BUTTON_PREFIX",
    "Marked",
    "Published",
    "Reason",
    "SignUp",
    "WorkshopFields",
    "WorkshopFigures",
    "WorkshopRefused",
    "cancel_registration",
    "cancel_workshop",
    "create_workshop",
    "edit_workshop",
    "erase_workshop_data",
    "fields_from_document",
    "fields_of",
    "fill_free_seats",
    "local_moment",
    "local_time",
    "mark_attendance",
    "on_workshop_button",
    "on_workshop_command",
    "open_workshops",
    "promote_into_free_seats",
    "publish_workshop",
    "queue_workshop_feedback",
    "queue_workshop_reminders",
    "rate_workshop",
    "reason",
    "register_for_workshop",
    "registration_rows",
    "seats_left",
    "sign_up",
    "staff_may_run",
    "text_in",
    "unknown_workshop",
    "when_text",
    "workshop_figures",
]
