"""Texts, emails and letters to families through GOV.UK Notify (docs/notify.md).

Each message sent is a contact attempt in the chronology, with Notify's id and the words as sent;
Notify's callbacks say whether it arrived. The household's domestic-abuse hold and each person's
safe-contact plan and preferred way of contact apply before anything is sent. Texts a family sends
back enter the chronology against the person whose number matches.
"""
