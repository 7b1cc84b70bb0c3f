"""Workspaces (one brand each): the scoping choke point (`scoping`) and the brand settings (`settings`).

See docs/workspaces.md: how a request's workspace is decided, how every query and insert is scoped, and how to
add a scoped table.
"""
