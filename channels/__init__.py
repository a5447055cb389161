"""The gateway: the only process that faces the network (web chat, tester API, channels)."""
