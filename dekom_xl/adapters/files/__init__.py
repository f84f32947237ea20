"""The file adapter: .xlsx/.xlsm workbooks on disk through openpyxl, split by job.

- :mod:`.gate`: the safety gate every file passes before it is parsed;
- :mod:`.workbook`: :class:`FileWorkbook`, reading tables and named fields, and updating;
- :mod:`.sheets`: writing tool-sheet content with openpyxl;
- :mod:`.save`: atomic save with a backup.
"""

from dekom_xl.adapters.files.gate import BACKUP_INFIX, FileProblem, check_file
from dekom_xl.adapters.files.save import (
    BACKUP_DIR,
    atomic_save,
    backup_path,
    backups,
    check_writable,
    lock_owner,
    make_backup,
)
from dekom_xl.adapters.files.sheets import write_content
from dekom_xl.adapters.files.workbook import FileWorkbook, _find_table, open_workbook

__all__ = ["BACKUP_DIR", "BACKUP_INFIX", "backups", "check_writable", "lock_owner",
           "make_backup", "FileProblem", "FileWorkbook", "_find_table", "atomic_save",
           "backup_path", "check_file", "open_workbook", "write_content"]
