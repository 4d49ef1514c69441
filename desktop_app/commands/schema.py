"""`crmo-consult schema`: the JSON Schema of the case file, generated from the pydantic models
so that the published contract and the code cannot drift (case-format.md)."""
from __future__ import annotations

import json
import sys

from desktop_app.case.models import Case


def run(args) -> int:
    json.dump(Case.model_json_schema(), sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")
    return 0
