"""The closed sets users type and results hold (topics, stances, roles, periods, actor types):
one small module, so the command line's option choices cost no import of the record types."""

TOPICS = ("negotiation", "confrontation")
STANCES = ("support", "oppose", "neutral")
ROLES = ("actor", "target")
PERIODS = ("year", "month")
ACTOR_TYPES = ("person", "criminal_group", "government", "organization", "place")
