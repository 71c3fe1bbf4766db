"""What this app's audit codes mean (``core.audit.register_action_labels``); registered
from contributions. Each part adds its own codes in its own dict below."""
