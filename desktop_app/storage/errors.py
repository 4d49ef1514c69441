"""The one error type for case files that cannot be read or written.

Its message is one readable sentence naming the file and the problem; the window shows it in a
dialog and the CLI prints it on one stderr line. Never a traceback.
"""


class CaseFileError(Exception):
    pass
