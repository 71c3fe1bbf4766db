"""The notification center (站内通知, SMS, WeChat, email): ``shanghui.core.notifications`` is
its public face; the parts live here — ``kinds`` (message kinds and their per-channel
templates), ``senders`` (the gateways), ``preferences`` (an account's opt-outs and quiet
hours), ``delivery`` (``notify``, the delivery log and its worker) and ``broadcast`` (a send to
a whole audience as one job)."""
