from ikm_registry import admin_inquiry  # noqa: F401 - registers InquiryAdmin (catalog issue #4)
