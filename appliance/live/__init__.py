"""Live updates without request threads (issue 15).

An event stream (Server-Sent Events: the hall display's feed, a counter console's, a citizen
mirror's) is held open for hours. Held by waitress, each took one of its request threads; here a
stream is described by a :class:`~appliance.live.streams.StreamSpec` (what the client may see, how
each event is written, what it gets first) and served by one asyncio loop in its own thread
(:mod:`appliance.live.event_server`). Waitress keeps pages and the API: it reads every request, and
the moment a request for a stream URL is complete it hands the socket over
(:mod:`appliance.live.handoff`), so pages and clients use the same port and URLs as before.
"""
