"""Staff: who acts for the commune in chat and with which role, the action buttons on
pushes to the staff group, the `/staff` dashboard, the pushes themselves and broadcasts
to citizens; back-office accounts, sign-in, the audit log and the roster admins keep.
Other capabilities use staff only through what this package exports."""

from handlers.staff.accounts import (
    WEB_LOCALES,
    AccountRefused,
    choose_web_locale,
    login_from_name,
    set_staff_password,
    web_locale_of,
)
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
from handlers.staff.audit import AuditPage, Where, read_audit_log, record_staff_action
from handlers.staff.broadcasts import (
    BroadcastProgress,
    BroadcastQueued,
    broadcast_message,
    broadcast_prefix,
    broadcast_progress,
    queue_broadcast,
)
from handlers.staff.dashboard import on_staff_command
from handlers.staff.pushes import notify_staff, staff_translator
from handlers.staff.roster import (
    ROLES,
    NewStaffMember,
    TemporaryPassword,
    add_to_staff,
    change_own_password,
    change_staff_role,
    remove_from_staff,
    reset_staff_password,
)
from handlers.staff.sign_in import (
    SignedIn,
    SignInRefused,
    forget_what_expired,
    link_holder,
    resume_session,
    send_sign_in_link,
    sign_in_with_link,
    sign_in_with_password,
    sign_out,
)

__all__ = [
    "ACTION_PREFIX",
    "ADMIN",
    "AGENT",
    "ROLES",
    "WEB_LOCALES",
    "AccountRefused",
    "AuditPage",
    "BroadcastProgress",
    "BroadcastQueued",
    "NewStaffMember",
    "SignInRefused",
    "SignedIn",
    "StaffAction",
    "TemporaryPassword",
    "Where",
    "action_button",
    "add_to_staff",
    "broadcast_message",
    "broadcast_prefix",
    "broadcast_progress",
    "change_own_password",
    "change_staff_role",
    "choose_web_locale",
    "forget_what_expired",
    "link_holder",
    "login_from_name",
    "notify_staff",
    "on_staff_button",
    "on_staff_command",
    "queue_broadcast",
    "read_audit_log",
    "record_staff_action",
    "register_staff_action",
    "remove_from_staff",
    "reset_staff_password",
    "resume_session",
    "send_sign_in_link",
    "set_staff_password",
    "sign_in_with_link",
    "sign_in_with_password",
    "sign_out",
    "staff_role",
    "staff_translator",
    "web_locale_of",
]
