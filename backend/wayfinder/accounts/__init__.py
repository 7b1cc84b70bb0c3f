"""Accounts: users, their passwords and memberships, and the sign-in rules (lockout, equal answers)."""
