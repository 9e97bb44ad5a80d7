"""The feedback read models: feedback, requests, company values, kudos allowances and kudos."""
