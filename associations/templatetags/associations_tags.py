from django import template

from associations.scope import is_staff_role

register = template.Library()


@register.filter
def staff_role(user):
    """Whether ``user`` is a trainer, coordinator or administrator (cohort pages are theirs)."""
    return is_staff_role(user)
