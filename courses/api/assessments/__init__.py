"""Knowledge tests over the API: views (participants and session trainers) and their serializers."""
