"""Keeping case records for their retention period, and disposing of them only then (records.py).

Which cases count as child protection records is the kernel's rule plus what the apps above add
in their ready() (`cases.contributions.child_protection_records_add`).
"""

from .records import APPEND_ONLY as APPEND_ONLY
from .records import CASE_APPS as CASE_APPS
from .records import DELETABLE_WITHOUT_DISPOSAL as DELETABLE_WITHOUT_DISPOSAL
from .records import DETACHED_ON_DISPOSAL as DETACHED_ON_DISPOSAL
from .records import DueCase as DueCase
from .records import RecordDeletionRefused as RecordDeletionRefused
from .records import RetentionError as RetentionError
from .records import case_dispose as case_dispose
from .records import case_paths as case_paths
from .records import cases_due_for_disposal as cases_due_for_disposal
from .records import cases_held_past_retention as cases_held_past_retention
from .records import disposal_order as disposal_order
from .records import guard_deletions as guard_deletions
from .records import guarded_models as guarded_models
from .records import legal_hold_place as legal_hold_place
from .records import legal_hold_release as legal_hold_release
from .records import record_type as record_type
from .records import retention_until as retention_until
