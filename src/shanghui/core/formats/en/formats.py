# An event's day and hour in a list: Jan 20, 14:00 (the 24-hour clock, as Chinese readers use)
MONTH_DAY_TIME_FORMAT = "M j, H:i"
