"""The FHIR R4 export (issue 25): the consult as a document Bundle (fhir/bundle.py).

Imported only on the export path (`crmo-consult fhir`, File → Export FHIR…): fhir.resources is
imported by fhir/bundle.py alone, never at the window's start-up.
"""
