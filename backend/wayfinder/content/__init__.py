"""Message content outside a running journey: previews as a customer and test sends."""
