"""Facts of the language: Russian morphology, the lexicons (words of the language, never of one
deployment), the contact facts a text states (phones, e-mails, addresses, hours, bodies), and how names of
organisations are written and found."""
