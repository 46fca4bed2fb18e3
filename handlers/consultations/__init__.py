"""Consultations in chat: answering one (the survey engine decides what comes next),
quick polls, broadcasting a consultation, and publishing its results to those who took
part. Definitions, the engine, results and exports are data in `surveys/`. Importing the
package registers its flow, menu entry and personal data."""

from handlers.consultations.answering import open_consultations
from handlers.consultations.broadcasts import (
    INVITATION_PREFIX,
    BroadcastRefused,
    broadcast_consultation,
    consultation_audience,
    on_broadcast_command,
    on_invitation,
    staff_may_broadcast,
)
from handlers.consultations.lifecycle import (
    Closed,
    ConsultationRefused,
    close_consultation,
    open_consultation,
    store_consultation,
)
from handlers.consultations.publishing import PublishRefused, builtin_labels, publish_results
from handlers.consultations.quick_polls import (
    POLL_PREFIX,
    close_finished_polls,
    on_poll_answer,
    on_poll_button,
    remember_sent_poll,
)

__all__ = [
    "INVITATION_PREFIX",
    "POLL_PREFIX",
    "BroadcastRefused",
    "Closed",
    "ConsultationRefused",
    "PublishRefused",
    "broadcast_consultation",
    "builtin_labels",
    "close_consultation",
    "close_finished_polls",
    "consultation_audience",
    "on_broadcast_command",
    "on_invitation",
    "on_poll_answer",
    "on_poll_button",
    "open_consultation",
    "open_consultations",
    "publish_results",
    "remember_sent_poll",
    "staff_may_broadcast",
    "store_consultation",
]
