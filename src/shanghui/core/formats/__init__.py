"""Date formats by language (settings.FORMAT_MODULE_PATH), on top of Django's own.

Templates name a format instead of writing one, so that English readers see "Jan 20, 14:00"
where Chinese readers see "1月20日 14:00": ``{{ event.starts_at|date:"MONTH_DAY_TIME_FORMAT" }}``.
Numeric ISO dates (``Y-m-d``) read the same in every language and stay written out. Every
language offered in settings.LANGUAGES has a module here with every name below (a test checks);
Django would otherwise print a missing name literally."""

CUSTOM_FORMATS = ("MONTH_DAY_TIME_FORMAT",)
