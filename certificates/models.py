"""Certificates, their PDF and public verification arrive with the certificates issue."""
