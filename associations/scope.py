"""Who may see what. Every list, detail and export asks here, and nowhere else.

Each scoped model declares a ``scope_rule``: the lookup paths from that model to a territory, an
organisation, a person and a cohort ("" means the model itself, ``None`` means no such path).
A user's grants (territory nodes for a coordinator, organisations for a focal point, their own
person for a participant, the cohorts they facilitate for a trainer) are matched against those
paths. Access is denied unless a grant matches.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404


@dataclass(frozen=True)
class ScopeRule:
    territory: str | None = None
    organisation: str | None = None
    person: str | None = None
    cohort: str | None = None
    # Reference lists (domains of action): any user holding a grant may read every row.
    everyone: bool = False


@dataclass(frozen=True)
class Grants:
    everything: bool = False
    territory_paths: tuple[str, ...] = ()
    organisation_ids: tuple[int, ...] = ()
    person_ids: tuple[int, ...] = ()
    trainer_user_id: int | None = None

    @property
    def is_empty(self):
        return not (
            self.everything
            or self.territory_paths
            or self.organisation_ids
            or self.person_ids
            or self.trainer_user_id
        )


NO_GRANTS = Grants()


def _lookup(path, field):
    return f"{path}__{field}" if path else field


def grants_for(user):
    """The grants of ``user``, read once per user object (two queries at most)."""
    if not user or not user.is_authenticated or not user.is_active:
        return NO_GRANTS
    cached = getattr(user, "_renfort_grants", None)
    if cached is not None:
        return cached
    if user.is_superuser:
        grants = Grants(everything=True)
    else:
        from associations.models import Person, Role, RoleAssignment

        territory_paths, organisation_ids, is_trainer = [], [], False
        for role, path, organisation_id in RoleAssignment.objects.filter(user=user).values_list(
            "role", "territory__path", "organisation_id"
        ):
            if role == Role.COORDINATOR and path:
                territory_paths.append(path)
            elif role == Role.FOCAL_POINT and organisation_id:
                organisation_ids.append(organisation_id)
            elif role == Role.TRAINER:
                is_trainer = True
        grants = Grants(
            territory_paths=tuple(sorted(territory_paths)),
            organisation_ids=tuple(sorted(organisation_ids)),
            person_ids=tuple(Person.objects.filter(user=user).values_list("pk", flat=True)),
            trainer_user_id=user.pk if is_trainer else None,
        )
    user._renfort_grants = grants
    return grants


def _below(rule, path):
    return Q(**{_lookup(rule.territory, "path__startswith"): path})


def scope_q(rule, grants):
    """The condition a row must meet to be visible under ``grants``; ``None`` if none can."""
    if rule.everyone and not grants.is_empty:
        return Q()
    conditions = []
    if rule.territory is not None:
        conditions += [_below(rule, path) for path in grants.territory_paths]
    if rule.organisation is not None and grants.organisation_ids:
        conditions.append(Q(**{_lookup(rule.organisation, "pk__in"): grants.organisation_ids}))
    if rule.person is not None and grants.person_ids:
        conditions.append(Q(**{_lookup(rule.person, "pk__in"): grants.person_ids}))
    if rule.cohort is not None and grants.trainer_user_id:
        conditions.append(Q(**{_lookup(rule.cohort, "facilitators"): grants.trainer_user_id}))
    if not conditions:
        return None
    combined = conditions[0]
    for condition in conditions[1:]:
        combined |= condition
    return combined


def visible_to(user, queryset):
    """``queryset`` narrowed to the rows ``user`` may see (none for an unknown user).

    Conditions that cross to-many relations are applied in a subquery, so rows never repeat."""
    grants = grants_for(user)
    if grants.everything:
        return queryset
    condition = scope_q(queryset.model.scope_rule, grants)
    if condition is None:
        return queryset.none()
    allowed = queryset.model._default_manager.filter(condition).values("pk")
    return queryset.filter(pk__in=allowed)


def in_territory(queryset, territory):
    """``queryset`` narrowed to the rows in ``territory`` or anywhere below it."""
    rule = queryset.model.scope_rule
    if rule.territory is None:
        raise ValueError(f"{queryset.model.__name__} has no path to a territory.")
    allowed = queryset.model._default_manager.filter(_below(rule, territory.path)).values("pk")
    return queryset.filter(pk__in=allowed)


def get_visible_or_404(user, queryset, **lookup):
    """One row that ``user`` may see, or 404: out of scope looks the same as absent."""
    obj = visible_to(user, queryset).filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def is_coordinator(user):
    return bool(grants_for(user).territory_paths)


def is_trainer(user):
    return bool(grants_for(user).trainer_user_id)


def is_staff_role(user):
    """Administrators, trainers and coordinators: the roles that must use a second factor."""
    if not user.is_authenticated:
        return False
    grants = grants_for(user)
    return user.is_staff or grants.everything or is_trainer(user) or is_coordinator(user)
