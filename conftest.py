"""The notebooks as tests (nbval): a cell that writes to stderr fails.

nbval fails a cell that raises; a cell that only warns (a RuntimeWarning of numpy, a
UserWarning of matplotlib) would pass, and every reader would see the warning under it. Here
such a cell fails too, with the text it wrote. Cells that JupyterLab runs but the site does not
(the explorers) are covered as well, since nbval runs every cell.
"""

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    outputs = getattr(item, "test_outputs", None)
    if call.when != "call" or not report.passed or not outputs:
        return
    written = [
        out.get("text", "")
        for out in outputs
        if out.get("output_type") == "stream" and out.get("name") == "stderr"
    ]
    if written:
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} wrote to stderr (a warning every reader would see):\n"
            + "".join(written)[:2000]
        )
