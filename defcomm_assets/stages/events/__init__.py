"""Stage events: who contacted whom, how, when and about what (rules, event_dates, topics)."""
