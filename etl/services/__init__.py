"""The one door for people's actions: access checks, accounts, and the workspace's workflow."""
