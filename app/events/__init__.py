"""Visit events: the log on the terminal (`EventLog`), its tables, and the figures drawn from them."""
from app.events.log import EventLog, EventLogClosed
from app.events.schema import KINDS, EventError

__all__ = ["EventLog", "EventLogClosed", "EventError", "KINDS"]
