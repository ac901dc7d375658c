"""Who may do what with a diagnostic. Reading always goes through ``associations.scope``; these
rules only add the role that writes (the focal point fills a draft self-assessment of their own
organisation, a coordinator of the organisation's territory reviews, validates and corrects)."""

from associations.scope import grants_for


def is_coordinator_of(user, organisation):
    """``user`` coordinates ``organisation``'s territory (or is an administrator)."""
    grants = grants_for(user)
    if grants.everything:
        return True
    path = organisation.territory.path
    return any(path.startswith(prefix) for prefix in grants.territory_paths)


def is_focal_point_of(user, organisation):
    return organisation.pk in grants_for(user).organisation_ids


def can_edit_responses(user, diagnostic):
    """Draft: its author's side (the focal point for a self-assessment, else a coordinator);
    submitted: the reviewing coordinator; validated: nobody (corrections make a revision)."""
    status = diagnostic.Status
    organisation = diagnostic.organisation
    if diagnostic.status == status.DRAFT:
        if diagnostic.is_self_assessment and is_focal_point_of(user, organisation):
            return True
        return is_coordinator_of(user, organisation)
    if diagnostic.status == status.SUBMITTED:
        return is_coordinator_of(user, organisation)
    return False


def can_submit(user, diagnostic):
    return diagnostic.status == diagnostic.Status.DRAFT and can_edit_responses(user, diagnostic)


def can_validate(user, diagnostic):
    return diagnostic.status in (
        diagnostic.Status.DRAFT,
        diagnostic.Status.SUBMITTED,
    ) and is_coordinator_of(user, diagnostic.organisation)


def can_correct(user, diagnostic):
    return diagnostic.status == diagnostic.Status.VALIDATED and is_coordinator_of(
        user, diagnostic.organisation
    )


def can_start_diagnostic(user, organisation):
    return is_coordinator_of(user, organisation) or is_focal_point_of(user, organisation)
