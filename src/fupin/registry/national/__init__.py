"""The national systems' Excel layouts (全国防返贫监测信息系统 since 2021, 全国扶贫开发信息系统 2014–2020):
recognised by their headers, translated into the registry importer's own row form (so the same validation,
chunking and bulk writes apply), and written back in the monitoring system's layout.

- `layouts.py`   each layout's header names → fupin field (data: a field fupin does not hold yet is "not held")
- `vocab.py`     national values → fupin codes, and fupin codes → the national wording for the export
- `areas.py`     county / township / village / group names → area codes within the importer's scope
- `translate.py` a national sheet → the importer's table, and what follows a committed import (statuses,
                 monitoring records through the monitoring capability's hook)
- `export.py`    the member and household sheets (title row, export line, header on the third row)
- `reconcile.py` a national export against fupin's records: people only on one side, fields that differ
"""
