# A day and its month in Russian take the genitive ("1 декабря"); Django's "j F" writes the
# nominative ("1 Декабрь"), which reads as a mistake in every appointment line.
MONTH_DAY_FORMAT = "j E"
