"""Intake: a member's file is screened, read, checked against the contract and its sum and warning rules."""
