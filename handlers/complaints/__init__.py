"""Complaints, observations and suggestions: filing in chat, tracking numbers, the status
table and its pushes, deadlines, follow-ups (rating, reopening), the staff side,
statistics and exports. Importing the package registers its flows, menu entry, staff
actions and personal data; everything else uses complaints through these exports."""

from handlers.complaints.categories import CATEGORIES, KINDS
from handlers.complaints.deadlines import is_overdue, queue_daily_digest, queue_deadline_pushes
from handlers.complaints.exports import export_rows
from handlers.complaints.filing import file_complaint
from handlers.complaints.follow_ups import on_citizen_action
from handlers.complaints.form import start_filing
from handlers.complaints.my_complaints import open_complaints, open_typed_number
from handlers.complaints.pushes import CITIZEN_ACTION_PREFIX
from handlers.complaints.staff import (
    author_channel,
    on_complaint_command,
    on_reason_command,
    similar_complaints,
)
from handlers.complaints.statistics import ComplaintStatistics, gather_complaint_statistics
from handlers.complaints.statuses import (
    OPEN_STATUSES,
    STATUSES,
    StatusChangeRefused,
    add_internal_note,
    assign_complaint,
    next_statuses,
    rule_for,
    set_complaint_status,
    set_status_as_staff,
    statuses_for_staff,
)
from handlers.complaints.tracking_numbers import read_tracking_number
from handlers.complaints.views import (
    attachment_text,
    category_label,
    file_text,
    kind_label,
    local_date,
    staff_card,
    status_label,
)

__all__ = [
    "CATEGORIES",
    "CITIZEN_ACTION_PREFIX",
    "KINDS",
    "OPEN_STATUSES",
    "STATUSES",
    "ComplaintStatistics",
    "StatusChangeRefused",
    "add_internal_note",
    "assign_complaint",
    "attachment_text",
    "author_channel",
    "category_label",
    "export_rows",
    "file_complaint",
    "file_text",
    "gather_complaint_statistics",
    "is_overdue",
    "kind_label",
    "local_date",
    "next_statuses",
    "on_citizen_action",
    "on_complaint_command",
    "on_reason_command",
    "open_complaints",
    "open_typed_number",
    "queue_daily_digest",
    "queue_deadline_pushes",
    "read_tracking_number",
    "rule_for",
    "set_complaint_status",
    "set_status_as_staff",
    "similar_complaints",
    "staff_card",
    "start_filing",
    "status_label",
    "statuses_for_staff",
]
