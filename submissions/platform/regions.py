"""Regions of the first deployment. Kept as data: another province loads its own list."""

SHANDONG = [
    ("jinan", "济南"),
    ("qingdao", "青岛"),
    ("zibo", "淄博"),
    ("zaozhuang", "枣庄"),
    ("dongying", "东营"),
    ("yantai", "烟台"),
    ("weifang", "潍坊"),
    ("jining", "济宁"),
    ("taian", "泰安"),
    ("weihai", "威海"),
    ("rizhao", "日照"),
    ("linyi", "临沂"),
    ("dezhou", "德州"),
    ("liaocheng", "聊城"),
    ("binzhou", "滨州"),
    ("heze", "菏泽"),
    ("provincial", "省直"),
]
