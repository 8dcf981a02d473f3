"""Where each district lies, for the district map of the qualification report: (longitude E, latitude N).

Approximate centres of the districts (raion seats, moved into the district where the seat lies at its
edge) and the cities of regional significance, to a tenth of a degree or so: enough to split the
hand-made oblast outlines of static/reports/kyrgyzstan-oblasts.svg into district cells that sit where
the districts are. Not survey data. Codes are academy/data/places.py's District codes; a district
missing here is left off the map (its figures are still in the tables).
"""

POINTS = {
    # Batken
    "batken_district": (70.9, 39.9),
    "kadamjai_district": (71.6, 39.95),
    "leilek_district": (69.8, 39.85),
    "batken_city": (70.82, 40.06),
    "kyzyl_kiya_city": (72.13, 40.26),
    "sulukta_city": (69.57, 39.93),
    # Jalal-Abad
    "aksy_district": (71.75, 41.45),
    "ala_buka_district": (71.3, 41.3),
    "bazar_korgon_district": (72.8, 41.1),
    "nooken_district": (72.5, 41.2),
    "suzak_district": (73.1, 40.85),
    "toguz_toro_district": (74.1, 41.35),
    "toktogul_district": (72.95, 41.9),
    "chatkal_district": (71.2, 41.85),
    "jalal_abad_city": (73.0, 40.93),
    "tash_kumyr_city": (72.23, 41.35),
    "mailuu_suu_city": (72.45, 41.27),
    "kara_kul_city": (72.75, 41.62),
    # Issyk-Kul
    "ak_suu_district": (78.6, 42.4),
    "jeti_oguz_district": (77.9, 42.05),
    "issyk_kul_district": (77.1, 42.7),
    "ton_district": (76.0, 42.05),
    "tup_district": (78.5, 42.75),
    "karakol_city": (78.4, 42.49),
    "balykchy_city": (76.18, 42.46),
    # Naryn
    "ak_talaa_district": (74.9, 41.25),
    "at_bashy_district": (75.8, 40.85),
    "jumgal_district": (74.5, 41.95),
    "kochkor_district": (75.8, 42.15),
    "naryn_district": (76.7, 41.45),
    "naryn_city": (76.0, 41.43),
    # Osh
    "alai_district": (73.4, 40.05),
    "aravan_district": (72.5, 40.5),
    "kara_kulja_district": (73.65, 40.6),
    "kara_suu_district": (72.9, 40.7),
    "nookat_district": (72.55, 40.2),
    "uzgen_district": (73.3, 40.8),
    "chong_alai_district": (72.9, 39.6),
    # Talas
    "bakai_ata_district": (71.85, 42.4),
    "kara_buura_district": (71.3, 42.55),
    "manas_district": (72.1, 42.65),
    "talas_district": (72.6, 42.45),
    "talas_city": (72.24, 42.52),
    # Chui
    "alamudun_district": (74.6, 42.75),
    "jaiyl_district": (73.85, 42.75),
    "issyk_ata_district": (75.0, 42.65),
    "kemin_district": (75.8, 42.75),
    "moskva_district": (74.2, 42.75),
    "panfilov_district": (73.4, 42.85),
    "sokuluk_district": (74.3, 42.9),
    "chui_district": (75.3, 42.8),
    "tokmok_city": (75.3, 42.84),
    # Cities of republican significance: one district each, drawn as the circle of the oblast map
    "bishkek_city": (74.6, 42.87),
    "osh_city": (72.8, 40.53),
}


def to_map(longitude, latitude):
    """The map's projection (see the SVG's comment): x = 45.3 px a degree east of 69.2 E, y = 60 px a degree
    south of 43.4 N, 10 px margin."""
    return 10 + (longitude - 69.2) * 45.3, 10 + (43.4 - latitude) * 60
