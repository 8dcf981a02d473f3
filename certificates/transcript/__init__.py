"""The qualification transcript's own pieces: its PDF (a pure function of TranscriptData), its wording in
Kyrgyz and Russian, and its pages (the participant's record and the public verification). The rules live in
certificates/services (hours_ledger, qualification_cycle, transcripts)."""
