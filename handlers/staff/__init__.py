"""Staff: who acts for the commune in chat and with which role, the action buttons on
pushes to the staff group, the `/staff` dashboard, the pushes themselves and broadcasts
to citizens. Other capabilities use staff only through what this package exports."""

from handlers.staff.actions import (
    ACTION_PREFIX,
    ADMIN,
    AGENT,
    StaffAction,
    action_button,
    on_staff_button,
    register_staff_action,
    staff_role,
)
from handlers.staff.broadcasts import (
    BroadcastQueued,
    broadcast_message,
    broadcast_prefix,
    queue_broadcast,
)
from handlers.staff.dashboard import on_staff_command
from handlers.staff.pushes import notify_staff, staff_translator

__all__ = [
    "ACTION_PREFIX",
    "ADMIN",
    "AGENT",
    "BroadcastQueued",
    "StaffAction",
    "action_button",
    "broadcast_message",
    "broadcast_prefix",
    "notify_staff",
    "on_staff_button",
    "on_staff_command",
    "queue_broadcast",
    "register_staff_action",
    "staff_role",
    "staff_translator",
]
