"""品牌档案: each brand's own page across campaigns and years (issue 29, item 4).

models/brand.py holds the Brand row; services.py makes it when an article is first published (the
workflow's "brand" effect, hooks.py); selectors.py reads the page; views.py serves /brands/ and
/brands/<slug>/ through the public page cache.
"""
