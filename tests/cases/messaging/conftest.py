from tests.notify_double import notify_api as notify_api
