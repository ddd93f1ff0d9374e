"""The servers of issue 23's end-to-end check: the test directory (slapd), the SMTP server and the robots'
receivers, as the directory and notification tests start them."""

from opsmon.directory.tests.conftest import directory, slapd  # noqa: F401 - fixtures shared with those tests
from opsmon.notifications.tests.conftest import mailbox, receivers, smtp_sink  # noqa: F401
