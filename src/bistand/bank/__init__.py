"""Bank formats, pure Python (no Django): what a Swedish bank and Bankgirot define, not what we decide.

* `accounts`: clearing series, account and Bankgiro numbers, their check digits and masking;
* `pain001`: the payment file we send (ISO 20022 pain.001), built and checked against the official XSD;
* `bankstatus`: what the bank answers (pain.002 status reports, camt.054 debit notifications), parsed;
* `holidays`: Swedish bank days.

Layer 1 of the floor plan (docs/architecture.md): it imports nothing of Bistånd outside this package, so
the payments app, the e-application and any script can use it; a test in tests/bank holds it to that.
"""
