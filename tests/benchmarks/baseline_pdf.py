"""Baseline: a bare ReportLab Platypus document of about two pages, nothing else.

The app's `crmo-consult pdf` process is compared with this in the same run.
"""
import sys

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table


def main(out: str) -> int:
    styles = getSampleStyleSheet()
    story = [Paragraph("Consult note", styles["Title"])]
    for i in range(12):
        story.append(Paragraph(f"Section {i}", styles["Heading2"]))
        story.append(Paragraph("Lorem ipsum dolor sit amet, " * 8, styles["BodyText"]))
        story.append(Table([["item", "status", "evidence"]] + [[f"i{j}", "met", "x" * 20] for j in range(4)]))
    SimpleDocTemplate(out, pagesize=A4).build(story)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
