"""Text messages to citizens: a USB GSM modem (AT commands over pyserial), the recording
``sim://`` modem, or an HTTP gateway, behind one interface (``transport.py``), and the worker
that drains the durable queue (``service.py``). See docs/sms.md."""
from .service import SmsService
from .transport import DeliveryReport, LinkState, Sent, SmsError, SmsLinkError, SmsRejected, SmsTransport

__all__ = ["DeliveryReport", "LinkState", "Sent", "SmsError", "SmsLinkError", "SmsRejected", "SmsService",
           "SmsTransport"]
