"""Building new workbooks with XlsxWriter: the allocation workbook and the decision-base template.

XlsxWriter writes only new files, so it builds; :mod:`dekom_xl.adapters.files` (openpyxl)
updates. Both write the tool sheets from the same :mod:`dekom_xl.core.render` blocks.

- :mod:`.sheets`: formats, cells, page setup, tool-sheet content;
- :mod:`.allocation`: the allocation workbook;
- :mod:`.template`: the decision-base template.
"""

from dekom_xl.adapters.builder.allocation import build_allocation
from dekom_xl.adapters.builder.sheets import write_content
from dekom_xl.adapters.builder.template import (
    OUTSIDE_TABLE,
    TEMPLATE_ROWS,
    build_template,
    fill_template,
    template_filename,
)

__all__ = ["OUTSIDE_TABLE", "TEMPLATE_ROWS", "build_allocation", "build_template", "fill_template",
           "template_filename", "write_content"]
