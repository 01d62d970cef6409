"""Forms by subject: each clean_* turns what was typed into domain values; services do the writing.

fields (what the forms share), people (the people picker of every form and filter), visits, concerns
(with actions and extension requests), public (the channel without sign-in), calendar (the admin's
holiday notice). Callers import from the subject module.
"""
