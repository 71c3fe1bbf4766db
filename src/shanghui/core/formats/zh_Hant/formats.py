# An event's day and hour in a list: 1月20日 14:00
MONTH_DAY_TIME_FORMAT = "n月j日 H:i"
