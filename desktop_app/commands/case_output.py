"""What `evaluate` and `plan` share: read the case (or exit 2 with one line), compute, and print the
result as readable text or as the JSON of docs/assessment-output.md."""
from __future__ import annotations

import json
import sys
from typing import Any, Callable

from desktop_app.commands.failure import fail


def print_case_result(args, compute: Callable[[Any], Any], to_json: Callable[[Any], dict],
                      to_text: Callable[[Any], str]) -> int:
    from desktop_app.storage.case_file import load_case
    from desktop_app.storage.errors import CaseFileError

    try:
        case = load_case(args.case)
    except CaseFileError as e:
        return fail(str(e))
    result = compute(case)
    if args.json:
        json.dump(to_json(result), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(to_text(result))
    return 0
