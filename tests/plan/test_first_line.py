"""The summary's first-line recommendation reads the plan: proposed, edited, removed or held back."""
from desktop_app.case.models import PlanLineEdit
from desktop_app.criteria.assess import assess
from desktop_app.plan.build import plan
from desktop_app.plan.first_line import first_line_text
from desktop_app.storage.case_file import load_case
from tests.conftest import EXAMPLES


def _first(name, edit=None):
    case = load_case(EXAMPLES / f"{name}.crmo")
    if edit:
        case.plan_edits = {"nsaid": edit}
    return first_line_text(plan(case, assess(case)))


def test_proposed_edited_removed_and_held_back():
    assert _first("typical-multifocal") == "First line: NSAID: naproxen preferred; ibuprofen as an alternative."
    assert _first("typical-multifocal", PlanLineEdit(decision="edited", text="Naproxen 250 mg bd")) == \
        "First line: Naproxen 250 mg bd"
    assert _first("typical-multifocal", PlanLineEdit(decision="removed")) is None
    assert _first("leukaemia-mimic") is None  # mode workup: held back, so never recommended
