"""Live node counts: Socket.IO handlers and the coalescing publisher."""
