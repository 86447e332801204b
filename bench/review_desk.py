"""Keystrokes and page requests per claim when an editor reviews an article on the article
review screen (issue 16), from the "Done when" browser test.

    .venv/bin/python bench/review_desk.py

It runs tests/claims/test_review_desk_browser.py (Chromium, the shared seeds beside the
project): a real four-claim article reviewed from the keyboard alone, with one draft to
correct, one to reject and one missed figure to add from the text. The test writes what it
counted to artifacts/review-desk-scenario.json; this prints it per claim. Logging in is not
counted. Page times at 1,000,000 claims are bench/admin_changelist.py's.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST = "tests/claims/test_review_desk_browser.py"
RESULT = ROOT / "artifacts" / "review-desk-scenario.json"


def main() -> int:
    RESULT.unlink(missing_ok=True)
    run = subprocess.run(
        [sys.executable, "-m", "pytest", TEST, "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        check=False,
    )
    if run.returncode != 0 or not RESULT.exists():
        print("The scenario did not run to its end; see the test's output above.")
        return 1
    counts = json.loads(RESULT.read_text())
    claims = counts["claims"]
    print(
        f"\n{claims} claims: 2 approved, 1 corrected and approved, 1 rejected, 1 added and approved"
    )
    for label, key in [
        ("keystrokes", "keystrokes_in_review"),
        ("page requests (a POST and its redirect)", "page_requests_in_review"),
        ("POSTs", "posts_in_review"),
    ]:
        print(f"{label:<42} {counts[key]:>4}   {counts[key] / claims:5.1f} per claim")
    return 0


if __name__ == "__main__":
    sys.exit(main())
