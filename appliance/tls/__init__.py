"""Optional HTTPS on the office LAN (``motcua tls enable``): a local certificate authority, a
certificate for the appliance's names and addresses (``certs``), a TLS front that hands each
connection to the panel (``front``), and the state on disk (``state``). See docs/tls.md."""
