"""A synthetic clinic for the library's tests and benchmarks (issue 24):

    python tests/benchmarks/make_library.py N DIR

writes N varied, valid case files into DIR (in subfolders of 100, as a clinic's drive might), built
from the example cases as models (never from string templates): with and without visits, every mode,
urgent and act alerts, overdue monitoring, recorded review dates around TODAY, a few duplicate MRNs,
and a few hostile files beside them (damaged, half-written, newer schema, not a case, and on POSIX a
named pipe and a symbolic-link loop), plus a temp file and a .bak-v4 copy that the library ignores.
Deterministic: the same N gives the same files.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from desktop_app.case.models import LabValue, Labs, Measures, Treatment, Visit  # noqa: E402
from desktop_app.storage.case_file import case_to_bytes, check_case_rules, load_case  # noqa: E402

TODAY = dt.date(2027, 6, 1)  # the date the benchmarks and tests judge the synthetic clinic at
EXAMPLES = ("typical-multifocal", "followup-two-visits", "leukaemia-mimic", "bacterial-osteomyelitis",
            "unifocal-tibia-no-survey", "crp-mg-dl-biopsy")
DUPLICATE_EVERY = 100  # case i with i % 100 == 99 reuses the MRN of case i − 1
HOSTILE_EVERY = 500  # one set of hostile files per 500 cases (at least one set)


def _bloods(when: dt.date, i: int, blasts: bool = False) -> Labs:
    """A full blood count, ALT and creatinine on the visit's date (what §13.5 monitoring counts)."""
    return Labs(wbc=LabValue(value=6.5 + i % 3, unit="10^9/L"), hemoglobin=LabValue(value=125, unit="g/L"),
                platelets=LabValue(value=310, unit="10^9/L"),
                alt=LabValue(value=60 if i % 40 == 7 else 22, unit="U/L", ref_low=5, ref_high=45),
                creatinine=LabValue(value=48, unit="umol/L", ref_low=30, ref_high=75),
                crp=LabValue(value=max(1.0, 20 - i % 19), unit="mg/L"),
                peripheral_smear_blasts=blasts)


def synthetic_case(i: int, bases: list):
    """Case i of the clinic: one of the examples, renamed, re-dated, with 0–3 visits and treatments."""
    base = bases[i % len(bases)]
    seen = dt.date(2026, 1, 5) + dt.timedelta(days=(i * 7) % 330)
    mrn = f"S{(i - 1 if i % DUPLICATE_EVERY == DUPLICATE_EVERY - 1 else i):06d}"
    n_visits = i % 4
    on_mtx = n_visits > 0 and i % 3 == 0
    visits = []
    for k in range(n_visits):
        when = seen + dt.timedelta(days=70 * (k + 1))
        no_bloods = on_mtx and i % 2 == 0  # methotrexate with no bloods: monitoring overdue
        visits.append(Visit(
            id=f"V{k + 1}", date=when, weight_kg=30 + i % 10,
            measures=Measures(pain=(i + k) % 8, physician_global=(i + 2 * k) % 6, clinically_active_lesions=(i + k) % 3),
            labs=Labs() if no_bloods else _bloods(when, i, blasts=(i % 97 == 5 and k == n_visits - 1)),
            next_review_date=(TODAY + dt.timedelta(days=7 * ((i % 15) - 5))) if k == n_visits - 1 and i % 5 else None,
        ))
    treatments = [Treatment(drug="naproxen", drug_class="nsaid", start_date=seen, dose="200 mg twice daily")]
    if on_mtx:
        treatments.append(Treatment(drug="methotrexate", drug_class="dmard", start_date=seen + dt.timedelta(days=14),
                                    dose="15 mg/m² once weekly"))
    return base.model_copy(update={
        "patient": base.patient.model_copy(update={"name": f"Synthetic Patient {i:05d}", "mrn": mrn}),
        "encounter": base.encounter.model_copy(update={
            "date": seen, "next_review_date": TODAY + dt.timedelta(days=(i % 9) - 4) if not visits else None}),
        "visits": visits, "treatments": treatments if n_visits or i % 2 else [],
    })


def write_hostile(folder: Path, valid: bytes, k: int) -> list[Path]:
    """One of each hostile file the library must list as "could not read", and two it must ignore."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {
        f"damaged-{k}.crmo": b"{\"format\": \"crmo-consult/case\", \"schema_version\": 5, \"patient\": {{{",
        f"half-written-{k}.crmo": valid[: len(valid) // 2],
        f"newer-schema-{k}.crmo": json.dumps({**json.loads(valid), "schema_version": 99}).encode(),
        f"not-a-case-{k}.crmo": b"{\"hello\": \"world\"}",
    }
    out = []
    for name, data in made.items():
        (folder / name).write_bytes(data)
        out.append(folder / name)
    (folder / f".ignored-{k}.crmo.host-1-abcd.crmo-tmp").write_bytes(valid)
    (folder / f"old-{k}.crmo.bak-v4").write_bytes(valid)
    if os.name == "posix":
        os.mkfifo(folder / f"pipe-{k}.crmo")
        os.symlink(f"loop-b-{k}.crmo", folder / f"loop-a-{k}.crmo")
        os.symlink(f"loop-a-{k}.crmo", folder / f"loop-b-{k}.crmo")
        out += [folder / f"pipe-{k}.crmo", folder / f"loop-a-{k}.crmo", folder / f"loop-b-{k}.crmo"]
    return out


def make_library(n: int, folder: Path, hostile: bool = True) -> list[Path]:
    """Write the clinic; return the valid case files written."""
    bases = [load_case(REPO / "resources" / "examples" / f"{name}.crmo") for name in EXAMPLES]
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i in range(n):
        case = synthetic_case(i, bases)
        check_case_rules(case, f"case {i}")  # the loader's whole-case rules: never write what it would refuse
        sub = folder / f"group-{i // 100:03d}"
        sub.mkdir(exist_ok=True)
        path = sub / f"patient-{i:05d}.crmo"
        path.write_bytes(case_to_bytes(case))
        written.append(path)
    if hostile and written:
        valid = written[0].read_bytes()
        for k in range(max(1, n // HOSTILE_EVERY)):
            write_hostile(folder / "hostile", valid, k)
    return written


def main(argv: list[str]) -> int:
    if len(argv) != 2 or not argv[0].isdigit():
        print("usage: make_library.py N DIR", file=sys.stderr)
        return 2
    written = make_library(int(argv[0]), Path(argv[1]))
    print(f"{len(written)} case files in {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
