import pytest

from .receivers import RobotReceiver, SmtpSink


@pytest.fixture(scope="session")
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def mailbox(smtp_sink, settings):
    """Django's SMTP backend pointed at the local SMTP server; the test sees what arrived."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.SITE_URL = "https://opsmon.example.com"
    settings.NOTIFY_ENQUEUE = False  # the tests drive the outbox
    smtp_sink.messages.clear()
    return smtp_sink.messages


@pytest.fixture
def receivers():
    """One receiver per robot kind (DingTalk and Feishu with their secrets), stopped after the test."""
    started = {"wecom": RobotReceiver("wecom").start(),
               "dingtalk": RobotReceiver("dingtalk", "SECdingtalk-test-secret-0123456789").start(),
               "feishu": RobotReceiver("feishu", "feishu-test-secret-abcdef").start()}
    yield started
    for receiver in started.values():
        receiver.stop()
