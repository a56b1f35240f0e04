"""Permissions in one query (factcheck.auth_backends.OneQueryModelBackend), as Django's ModelBackend answers them."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission

from factcheck.auth_backends import OneQueryModelBackend


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)  # no per-request permission caches


def test_it_answers_as_django_does_with_one_query(editor, django_assert_num_queries):
    editor.user_permissions.add(Permission.objects.get(codename="publish_decision"))
    expected = ModelBackend()
    ours = OneQueryModelBackend()

    user = _fresh(editor)
    with django_assert_num_queries(1):
        everything = ours.get_all_permissions(user)
        own, grouped = ours.get_user_permissions(user), ours.get_group_permissions(user)

    reference = _fresh(editor)
    assert everything == expected.get_all_permissions(reference)
    assert own == expected.get_user_permissions(reference) == {"factcheck.publish_decision"}
    assert grouped == expected.get_group_permissions(reference)
    assert "factcheck.add_annotation" in grouped and "factcheck.publish_decision" not in grouped


def test_it_gives_a_superuser_everything_and_an_inactive_user_nothing(staff, editor):
    ours = OneQueryModelBackend()
    assert ours.get_all_permissions(_fresh(staff)) == ModelBackend().get_all_permissions(_fresh(staff))
    editor.is_active = False
    assert ours.get_all_permissions(editor) == set()


def test_it_loads_the_user_as_django_does_with_their_permissions(editor, django_assert_num_queries):
    editor.user_permissions.add(Permission.objects.get(codename="publish_decision"))

    with django_assert_num_queries(1):
        user = OneQueryModelBackend().get_user(editor.pk)
        everything = user.get_all_permissions()
        own = OneQueryModelBackend().get_user_permissions(user)

    reference = ModelBackend().get_user(editor.pk)
    fields = [f.attname for f in get_user_model()._meta.concrete_fields]
    assert [getattr(user, f) for f in fields] == [getattr(reference, f) for f in fields]
    assert user.get_session_auth_hash() == reference.get_session_auth_hash()
    assert everything == ModelBackend().get_all_permissions(reference)
    assert own == {"factcheck.publish_decision"}


def test_it_loads_no_one_for_an_unknown_malformed_or_inactive_id(reader, staff):
    ours = OneQueryModelBackend()
    assert ours.get_user(reader.pk + staff.pk + 100) is None
    assert ours.get_user("not-a-number") is None
    reader.is_active = False
    reader.save()
    assert ours.get_user(reader.pk) is None
    superuser = ours.get_user(staff.pk)
    assert superuser.get_all_permissions() == ModelBackend().get_all_permissions(_fresh(staff))
