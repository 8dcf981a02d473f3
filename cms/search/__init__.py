"""Search across the public site: one index table of documents that apps fill through providers.

`cms` and `academy` know nothing of courses, so the search cannot import them: each app registers
providers (cms: practices, journal articles, news; courses: courses, sessions, materials' titles) in
its AppConfig.ready(), and the index, the query and the page only speak to the provider interface
(cms/search/registry.py). See docs/content.md, "Search".
"""
