"""Read a rendered form's errors by their codes, so that tests do not depend on the wording."""

from django.core.exceptions import NON_FIELD_ERRORS


def error_codes(response, field=NON_FIELD_ERRORS, form="form"):
    """Return the codes of `field`'s errors in the form the response rendered."""
    return [error.code for error in response.context[form].errors.as_data().get(field, [])]
