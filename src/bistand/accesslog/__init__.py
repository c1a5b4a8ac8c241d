"""The access log every floor writes to: hash-chained and append-only.

Every read of a person's data by staff — from the caseworker's office, intake's powers, security's
commands and the auditors' own screens — is appended here (`accesslog.chain.append`), so the log stands
low in the floor plan (`docs/architecture.md`), just above identity. Its screens, register extracts and
retention (gallring) stay in `audit`, on the top floor, which reads this package.
"""
