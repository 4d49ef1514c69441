"""ICD-10-CM code suggestion (clinical-rules.md §10), part of the Plan so that the note, the Plan tab
and `plan --json` show the same codes, and only in mode `cno`. Pure: no I/O.

M86.3- chronic multifocal osteomyelitis: 5th character = site, 6th = laterality for sites 1–7.
Two or more sites → M86.39. Any vertebral lesion → add M46.2- (osteomyelitis of vertebra); its
5th character (spinal region) is not in the spec, so it is left for the coder to complete.
A "site" here is the code's site (5th character with its side), not a bone or a lesion: a left
tibia and a left fibula are one site (lower leg, left).
"""
from __future__ import annotations

from typing import Iterable, Optional

from desktop_app.case.models import Lesion
from desktop_app.plan.types import CodeSuggestion

# 5th character of M86.3- by bone. Patella: the knee belongs to ICD-10's "lower leg" site.
SITE_BY_BONE: dict[str, int] = {
    "clavicle": 1, "scapula": 1,
    "humerus": 2,
    "radius": 3, "ulna": 3,
    "hand": 4,
    "femur": 5,
    "tibia": 6, "fibula": 6, "patella": 6,
    "calcaneus": 7, "talus": 7, "tarsal_other": 7, "metatarsal": 7, "foot_phalanx": 7,
    "pelvis": 8, "rib": 8, "skull": 8, "mandible": 8, "sternum": 8, "sacrum": 8,
    "vertebra": 8, "other": 8,
}
SITE_NAMES = {
    0: "unspecified site", 1: "shoulder", 2: "upper arm", 3: "forearm", 4: "hand", 5: "thigh",
    6: "lower leg", 7: "ankle and foot", 8: "other site", 9: "multiple sites",
}
LATERALITY = {"right": 1, "left": 2}  # anything else (midline, not recorded) → 9, unspecified
LATERALITY_NAMES = {1: "right", 2: "left", 9: "unspecified side"}


def _site_key(lesion: Lesion) -> tuple[int, Optional[int]]:
    site = SITE_BY_BONE.get(lesion.bone, 8)
    if site > 7:
        return site, None
    return site, LATERALITY.get(lesion.side or "", 9)


def _site_name(key: tuple[int, Optional[int]]) -> str:
    site, side = key
    return SITE_NAMES[site] if side is None else f"{SITE_NAMES[site]}, {LATERALITY_NAMES[side]}"


def _lesions(n: int) -> str:
    return "1 lesion" if n == 1 else f"{n} lesions"


def suggest_icd10(lesions: Iterable[Lesion]) -> list[CodeSuggestion]:
    """Codes suggested for the recorded lesions, the CRMO code first."""
    lesions = list(lesions)
    sites = sorted({_site_key(lesion) for lesion in lesions}, key=lambda k: (k[0], k[1] or 0))
    if not sites:
        codes = [CodeSuggestion(code="M86.30", label="Chronic multifocal osteomyelitis, unspecified site",
                                note="no lesions recorded")]
    elif len(sites) >= 2:
        codes = [CodeSuggestion(code="M86.39", label="Chronic multifocal osteomyelitis, multiple sites",
                                note=f"{_lesions(len(lesions))} in {len(sites)} code sites ("
                                     + "; ".join(_site_name(k) for k in sites) + "): two or more sites")]
    else:
        ((site, side),) = sites
        if side is None:
            code = f"M86.3{site}"
            label = f"Chronic multifocal osteomyelitis, {SITE_NAMES[site]}"
        else:
            code = f"M86.3{site}{side}"
            label = f"Chronic multifocal osteomyelitis, {LATERALITY_NAMES[side]} {SITE_NAMES[site]}"
        codes = [CodeSuggestion(code=code, label=label,
                                note=f"{_lesions(len(lesions))}, all in one code site ({_site_name(sites[0])})")]
    if any(lesion.bone == "vertebra" for lesion in lesions):
        levels = sorted({lesion.level for lesion in lesions if lesion.bone == "vertebra" and lesion.level})
        where = f"levels {', '.join(levels)}" if levels else "level not recorded"
        codes.append(CodeSuggestion(
            code="M46.2-", label="Osteomyelitis of vertebra",
            note=f"vertebral lesion ({where}); complete the 5th character (spinal region) per ICD-10-CM"))
    return codes
