from ikm_registry.checks import nik_key_is_set


def test_deploy_check_warns_without_a_nik_key(settings):
    settings.NIK_ENCRYPTION_KEY = ""
    assert [w.id for w in nik_key_is_set(None)] == ["ikm_registry.W001"]


def test_deploy_check_is_quiet_with_a_nik_key(settings):
    settings.NIK_ENCRYPTION_KEY = "Y2ktY2hlY2stZGVwbG95LW5vdC1hLXJlYWwta2V5LTA9"
    assert nik_key_is_set(None) == []
