"""Our photo processing against plain Pillow, on the same 12-megapixel photos made at run time.

- ours: submissions.platform.images.make_renditions (size and pixel checks from the header, full decode
  so that a truncated file is refused, SHA-256, orientation, metadata stripped, three
  renditions: master ≤ 2560 px, display 1080 px wide, thumbnail 480×360);
- plain Pillow: open → exif_transpose → thumbnail → save, for the same three sizes.
Timed in turns, photo by photo, round after round; medians compared.
Then the peak memory of one upload request with nine such photos, processed as the form
does (one after another, each released before the next), in a fresh process.
`python -m bench.photos [--quick]`.
"""

import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageOps

from bench.common import PYTHON, ROOT, Target, base_env, cli, median, table

SIZE = (4000, 3000)
ORIENTATIONS = [1, 6, 1, 3, 8, 1, 6, 1, 1]  # some photos taken sideways, as phones write them
TARGET = 1.10  # ours against plain Pillow, per photo


def make_photo(index):
    """A 12-megapixel JPEG with gradients and noise (so it compresses like a photo), ~4 MB."""
    red = Image.linear_gradient("L").resize(SIZE)
    green = Image.radial_gradient("L").resize(SIZE)
    blue = Image.effect_noise((1000, 750), 40 + index * 5).resize(SIZE, Image.Resampling.BICUBIC)
    base = Image.merge("RGB", [red, green, blue] if index % 2 else [green, blue, red])
    picture = Image.blend(base, Image.effect_noise(SIZE, 30).convert("RGB"), 0.18)
    exif = Image.Exif()
    exif[0x0112] = ORIENTATIONS[index % len(ORIENTATIONS)]
    exif[0x010F] = "BenchCam"  # make: metadata that must not survive
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def photos(folder, count):
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        path = folder / f"photo-{index}.jpg"
        if not path.exists():
            path.write_bytes(make_photo(index))
        paths.append(path)
    return paths


def plain_pillow(data):
    """The plainest correct way with Pillow: open, turn upright, shrink, save (three sizes)."""
    sizes = []
    with Image.open(io.BytesIO(data)) as opened:
        image = ImageOps.exif_transpose(opened)
        for box in ((2560, 2560), (1080, 1080 * 4), (480, 360)):
            image.thumbnail(box)
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=85)
            sizes.append(len(buffer.getvalue()))
    return sizes


def ours(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from submissions.platform import images

    made = images.make_renditions(SimpleUploadedFile("photo.jpg", data, content_type="image/jpeg"))
    return [len(made.image), len(made.display), len(made.thumbnail)]


def setup_django():
    os.environ.update(
        {k: v for k, v in base_env("sqlite:///:memory:").items() if k not in os.environ or k == "DJANGO_SETTINGS_MODULE"}
    )
    import django

    django.setup()


def time_both(paths, rounds):
    setup_django()
    datas = [path.read_bytes() for path in paths]
    ours(datas[0]), plain_pillow(datas[0])  # warm up (imports, codecs)
    times = {"ours": [], "pillow": []}
    sizes = {"ours": ours(datas[0]), "pillow": plain_pillow(datas[0])}
    for _round in range(rounds):
        for data in datas:
            for name, work in (("ours", ours), ("pillow", plain_pillow)):
                start = time.perf_counter()
                work(data)
                times[name].append((time.perf_counter() - start) * 1000)
    return times, sizes


MEMORY_SCRIPT = """
import json, sys
import django
django.setup()
from django.core.files.uploadedfile import TemporaryUploadedFile
from submissions.platform import images
from submissions.models import Photo

def rss(field="VmHWM"):
    # Peak resident memory of this process since it started (ru_maxrss would carry the parent's over exec).
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024

paths = sys.argv[1:]
before = rss()
for path in paths:
    data = open(path, "rb").read()
    upload = TemporaryUploadedFile("photo.jpg", "image/jpeg", len(data), None)  # > 2 MB: spooled to disk, as Django does
    upload.write(data)
    del data
    upload.seek(0)
    photo = images.save_photo(Photo(caption="x"), upload)
    upload.close()
    del photo, upload
print(json.dumps({"before_mb": round(before, 1), "peak_mb": round(rss(), 1)}))
"""


def peak_memory(paths):
    media = tempfile.mkdtemp(prefix="bench-media-")
    env = base_env("sqlite:///:memory:", MEDIA_ROOT=media)
    output = subprocess.run(
        [PYTHON, "-c", MEMORY_SCRIPT, *map(str, paths)], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    subprocess.run(["rm", "-rf", media], check=False)
    return json.loads(output.strip().splitlines()[-1])


def measure(*, quick=False):
    folder = Path(tempfile.gettempdir()) / "portal_bench_photos"
    paths = photos(folder, 9)
    timed = paths[:3] if quick else paths[:5]
    rounds = 2 if quick else 4
    times, sizes = time_both(timed, rounds)
    memory = peak_memory(paths)
    ours_ms, pillow_ms = median(times["ours"]), median(times["pillow"])
    return {
        "photos": len(timed),
        "rounds": rounds,
        "megapixels": SIZE[0] * SIZE[1] / 1e6,
        "upload_mb": round(median([p.stat().st_size for p in timed]) / 1e6, 2),
        "ours_ms": round(ours_ms, 1),
        "pillow_ms": round(pillow_ms, 1),
        "ratio": round(ours_ms / pillow_ms, 3),
        "ours_kb": [round(n / 1024) for n in sizes["ours"]],
        "pillow_kb": [round(n / 1024) for n in sizes["pillow"]],
        "nine_photos_rss_before_mb": memory["before_mb"],
        "nine_photos_rss_peak_mb": memory["peak_mb"],
        "nine_photos_rss_added_mb": round(memory["peak_mb"] - memory["before_mb"], 1),
    }


def report(result):
    rows = [
        ("ours (make_renditions)", result["ours_ms"], " / ".join(map(str, result["ours_kb"])), f"{result['ratio']:.2f}"),
        ("plain Pillow", result["pillow_ms"], " / ".join(map(str, result["pillow_kb"])), "1.00"),
    ]
    text = table(rows, ["photo processing", "ms per photo (median)", "KB master / display / thumb", "× Pillow"])
    return (
        f"Photos ({result['photos']} photos of {result['megapixels']:.0f} MP, {result['upload_mb']} MB each, {result['rounds']} rounds; target ≤ {TARGET:.2f} × Pillow)\n{text}\n"
        f"One upload of nine photos: peak RSS {result['nine_photos_rss_peak_mb']} MB "
        f"({result['nine_photos_rss_added_mb']} MB above the {result['nine_photos_rss_before_mb']} MB of a loaded process)"
    )


def targets(result):
    return [Target("ours × plain Pillow, per photo", result.get("ratio"), "<=", TARGET)]


def main(argv=None):
    return cli("photos", __doc__, measure, report, argv)


if __name__ == "__main__":
    sys.exit(0 if main() else 1)
