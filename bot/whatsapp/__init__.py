"""The WhatsApp channel (Cloud API): a thin adapter over the same core as Telegram — the
webhook (handshake, signatures, the inbox before the 200), the messages it reads, and the
core's replies rendered within WhatsApp's limits."""
