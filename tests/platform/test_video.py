"""Videos are judged by content before anything is kept (size first, then the first bytes, then
ffprobe and a reading pass in bounded children) and converted to what phones play: H.264/AAC
MP4 with its index first, the long edge at most 1280, no metadata, a clean JPEG poster. The
conversion is bounded in time and memory and leaves no partial file. The clips are made here with
ffmpeg's test sources; what comes out is read back with ffprobe and by hand, not with the code
under test."""

import io
import json
import os
import socket
import struct
import subprocess
import time
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image

from submissions.platform import video
from submissions.platform.video import check, process
from tests.submit_data import image_bytes

HANG_GUARD = 30  # seconds: only against a hang


def ffmpeg(*args):
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True, timeout=120)


def ffprobe(path):
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", str(path)],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return json.loads(out.stdout)


def make_clip(
    path, *, size="320x240", rate=25, seconds=2, video=("-c:v", "libx264", "-preset", "ultrafast"), audio=True, extra=()
):
    inputs = ["-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}:duration={seconds}"]
    if audio:
        inputs += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    ffmpeg(*inputs, *video, *(("-c:a", "aac") if audio else ()), *extra, str(path))
    return path


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    """Clips made once a run, on first use."""
    folder = tmp_path_factory.mktemp("clips")
    recipes = {
        "phone.mp4": {"extra": ("-metadata", "title=secret", "-metadata", "location=+39.9042+116.4074/")},
        "phone.mov": {"size": "640x360"},
        "browser.webm": {"video": ("-c:v", "libvpx-vp9", "-deadline", "realtime"), "extra": ("-c:a", "libopus")},
        "old.3gp": {"size": "176x144", "rate": 15, "video": ("-c:v", "h263"), "extra": ("-ac", "1")},
        "wide.mp4": {"size": "1600x900", "rate": 10, "audio": False},
        "long.mp4": {"size": "1280x720", "rate": 30, "seconds": 8, "audio": False},
    }
    made = {}

    def get(name):
        if name not in made:
            made[name] = make_clip(folder / name, **recipes[name])
        return made[name]

    return get


def refused(source, code, **kwargs):
    started = time.monotonic()
    with pytest.raises(ValidationError) as caught:
        video.probe(source, **kwargs)
    assert time.monotonic() - started < HANG_GUARD
    assert caught.value.code == code, caught.value.messages
    message = " ".join(caught.value.messages)
    assert any("\u4e00" <= char <= "\u9fff" for char in message), message  # in Chinese
    return message


def top_level_boxes(path):
    """The ISO BMFF boxes at the top of a file, in order, read by hand."""
    data, boxes, offset = path.read_bytes(), [], 0
    while offset + 8 <= len(data):
        size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        if size == 1:
            size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
        boxes.append(kind.decode("latin-1"))
        offset += size if size else len(data)
    return boxes


def assert_plays_on_phones(result, dest, *, long_edge=None):
    info = ffprobe(result.mp4_path)
    kinds = {stream["codec_type"]: stream for stream in info["streams"]}
    assert sorted(kinds) == ["audio", "video"] or sorted(kinds) == ["video"]
    picture = kinds["video"]
    assert (picture["codec_name"], picture["pix_fmt"], picture["profile"]) == ("h264", "yuv420p", "High")
    if "audio" in kinds:
        assert kinds["audio"]["codec_name"] == "aac"
    width, height = picture["width"], picture["height"]
    assert max(width, height) <= 1280 and width % 2 == 0 and height % 2 == 0
    assert (result.width, result.height) == (width, height)
    if long_edge:
        assert max(width, height) == long_edge
    boxes = top_level_boxes(result.mp4_path)
    assert boxes.index("moov") < boxes.index("mdat"), boxes  # fast start
    tags = {**info["format"].get("tags", {}), **picture.get("tags", {})}
    assert not {"title", "location", "location-eng", "creation_time"} & set(tags), tags
    assert "encoder" not in info["format"].get("tags", {})  # the source's writer is not named either
    assert b"secret" not in result.mp4_path.read_bytes() and b"39.9042" not in result.mp4_path.read_bytes()
    with Image.open(result.poster_path) as poster:
        assert poster.format == "JPEG" and poster.size == (width, height)
        assert not poster.info.get("exif")
    assert sorted(os.listdir(dest)) == sorted([result.mp4_path.name, result.poster_path.name])
    assert result.mp4_path.stem == result.poster_path.stem and len(result.mp4_path.stem) >= 16


@pytest.mark.parametrize(
    ("name", "container", "codecs"),
    [
        ("phone.mp4", "mov", ("h264", "aac")),
        ("phone.mov", "mov", ("h264", "aac")),
        ("browser.webm", "matroska", ("vp9", "opus")),
        ("old.3gp", "mov", ("h263", "aac")),
    ],
)
def test_phone_formats_are_accepted_and_converted_for_phones(clips, tmp_path, name, container, codecs):
    checked = video.probe(clips(name))
    assert (checked.container, checked.video_codec, checked.audio_codec) == (container, *codecs)
    assert 1.9 <= checked.duration <= 2.2
    result = video.transcode(clips(name), tmp_path)
    assert 1.9 <= result.duration <= 2.2
    assert_plays_on_phones(result, tmp_path)


def test_a_large_picture_is_scaled_to_a_long_edge_of_1280(clips, tmp_path):
    result = video.transcode(clips("wide.mp4"), tmp_path)
    assert (result.width, result.height) == (1280, 720)
    assert_plays_on_phones(result, tmp_path, long_edge=1280)


def test_a_portrait_phone_clip_comes_out_upright(clips, tmp_path):
    """Phones record portrait as landscape with a rotation in the track header's matrix."""
    data = bytearray(clips("phone.mp4").read_bytes())
    tkhd = data.find(b"tkhd")
    assert data[tkhd + 4] == 0  # version 0: the matrix is 40 bytes after the box's fields start
    matrix = tkhd + 4 + 4 + 4 * 5 + 8 + 8
    data[matrix : matrix + 36] = struct.pack(">9i", 0, 65536, 0, -65536, 0, 0, 0, 0, 0x40000000)
    source = tmp_path / "portrait.mp4"
    source.write_bytes(bytes(data))
    dest = tmp_path / "out"
    dest.mkdir()
    result = video.transcode(source, dest)
    assert (result.width, result.height) == (240, 320)
    assert_plays_on_phones(result, dest)


def test_uploads_in_memory_and_on_disk_are_probed_alike(clips):
    data = clips("phone.mp4").read_bytes()
    in_memory = SimpleUploadedFile("片段.mp4", data, content_type="video/mp4")
    on_disk = TemporaryUploadedFile("片段.mp4", "video/mp4", len(data), None)
    on_disk.write(data)
    on_disk.seek(0)
    for upload in (in_memory, on_disk, io.BytesIO(data)):
        checked = video.probe(upload)
        assert (checked.width, checked.height, checked.size) == (320, 240, len(data))
    on_disk.close()


@pytest.fixture
def nothing_spawned(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a child process was started")

    monkeypatch.setattr(process.subprocess, "Popen", refuse)


def playlist(name, url):
    """A text that points ffmpeg elsewhere: `target.mp4` beside it (a real clip) and a URL."""
    return {
        "playlist.mp4": f"#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2,\n{url}\n#EXTINF:2,\ntarget.mp4\n#EXT-X-ENDLIST\n",
        "concat.mp4": f"file 'target.mp4'\nfile '{url}'\n",
        "ffconcat.mp4": f"ffconcat version 1.0\nfile 'target.mp4'\nfile '{url}'\n",
        "text.mp4": "这不是视频，只是改了扩展名的文本。\n",
    }[name]


@pytest.mark.parametrize("name", ["playlist.mp4", "concat.mp4", "ffconcat.mp4", "text.mp4", "photo.mp4"])
def test_text_playlists_and_pictures_named_mp4_are_refused_by_their_first_bytes(nothing_spawned, name):
    data = image_bytes() if name == "photo.mp4" else playlist(name, "http://127.0.0.1:9/x.ts").encode()
    refused(SimpleUploadedFile(name, data, content_type="video/mp4"), "video_unknown")


def test_a_heif_photo_is_not_taken_for_a_video(nothing_spawned):
    heic = struct.pack(">I", 24) + b"ftypheic" + b"\0\0\0\0" + b"mif1heic" + b"\0" * 64
    refused(SimpleUploadedFile("照片.mov", heic), "video_unknown")


@pytest.fixture
def pointing(clips, tmp_path):
    """(listener, path of a playlist of the kind asked for) with a real clip beside it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)

    def connected():
        server.settimeout(0.5)
        try:
            server.accept()[0].close()
        except TimeoutError:
            return False
        return True

    (tmp_path / "target.mp4").write_bytes(clips("phone.mp4").read_bytes())
    url = f"http://127.0.0.1:{server.getsockname()[1]}/segment.ts"

    def make(name):
        path = tmp_path / name
        path.write_text(playlist(name, url))
        return path

    yield SimpleNamespace(make=make, connected=connected)
    server.close()


def test_the_playlist_is_a_real_attack_on_an_unguarded_ffprobe(pointing):
    """The control for the test below: plain ffprobe, given the playlist, reads the other file."""
    path = pointing.make("playlist.mp4")
    plain = subprocess.run(["ffprobe", "-v", "error", "-show_streams", str(path)], capture_output=True, timeout=20)
    assert b"codec_name=h264" in plain.stdout


@pytest.mark.parametrize("name", ["playlist.mp4", "concat.mp4", "ffconcat.mp4"])
@pytest.mark.parametrize("container", ["mov", "matroska"])
def test_even_past_the_first_bytes_ffmpeg_follows_no_reference(pointing, monkeypatch, name, container):
    """Were the first-bytes check fooled, the forced demuxer, the demuxer whitelist and
    `-protocol_whitelist file` still keep ffmpeg from reading another file or the network."""
    path = pointing.make(name)
    monkeypatch.setattr(check, "sniff", lambda head: container)
    refused(path, "video_damaged")
    assert not pointing.connected()


def test_an_oversize_upload_is_refused_before_a_byte_is_read(settings, nothing_spawned):
    class Huge:
        name = "大视频.mp4"
        size = 200 * 1024 * 1024 + 1

        def read(self, *args):
            raise AssertionError("read")

        seek = fileno = temporary_file_path = read

    message = refused(Huge(), "video_too_big")
    assert "大视频.mp4" in message and "200 MB" in message


def test_the_size_bound_holds_for_paths_and_for_files_that_do_not_say_their_size(clips, settings, nothing_spawned):
    settings.VIDEO_MAX_BYTES = 1000
    refused(clips("phone.mp4"), "video_too_big")
    refused(io.BytesIO(clips("phone.mp4").read_bytes()), "video_too_big")


def test_an_empty_file_is_refused(nothing_spawned):
    refused(SimpleUploadedFile("空.mp4", b""), "video_empty")


def test_a_clip_longer_than_the_limit_is_refused(clips, settings):
    settings.VIDEO_MAX_SECONDS = 1
    message = refused(clips("phone.mp4"), "video_too_long")
    assert "1 秒" in message


@pytest.mark.parametrize(
    ("recipe", "code"),
    [
        ({"size": "4112x64", "rate": 5, "seconds": 1, "audio": False}, "video_dimensions"),
        ({"size": "32x32", "rate": 300, "seconds": 1, "audio": False}, "video_fps"),
        (
            {
                "size": "32x32",
                "rate": 5,
                "seconds": 1,
                "audio": False,
                "extra": (
                    "-map",
                    "0",
                )
                * 9,
            },
            "video_streams",
        ),
        ({"size": "64x64", "rate": 5, "seconds": 1, "audio": False, "video": ("-c:v", "mjpeg")}, "video_codec"),
    ],
)
def test_pictures_too_large_too_fast_too_many_or_in_other_codecs_are_refused(tmp_path, recipe, code):
    name = "clip.mkv" if code == "video_streams" else "clip.mov"
    refused(make_clip(tmp_path / name, **recipe), code)


def test_a_file_without_a_picture_is_refused(tmp_path):
    path = tmp_path / "sound.mp4"
    ffmpeg("-f", "lavfi", "-i", "sine=duration=1", "-c:a", "aac", str(path))
    refused(path, "video_no_picture")


@pytest.mark.parametrize("name", ["phone.mp4", "faststart.mp4", "browser.webm"])
def test_a_truncated_file_is_refused(clips, tmp_path, name):
    source = clips("phone.mp4" if name == "faststart.mp4" else name)
    if name == "faststart.mp4":  # the index first: ffprobe reads the header alone without a complaint
        source = tmp_path / name
        ffmpeg("-i", str(clips("phone.mp4")), "-c", "copy", "-movflags", "+faststart", str(source))
    data = source.read_bytes()
    cut = tmp_path / f"cut-{name}"
    cut.write_bytes(data[: len(data) * 6 // 10])
    refused(cut, "video_damaged")


def test_the_probe_is_bounded_in_memory(clips, settings):
    settings.VIDEO_PROBE_MEMORY_MB = 64  # less than ffprobe's libraries need
    refused(clips("phone.mp4"), "video_too_complex")


def test_missing_tools_are_a_clear_refusal_not_a_server_error(clips, settings, tmp_path):
    settings.VIDEO_FFPROBE = "no-such-ffprobe"
    refused(clips("phone.mp4"), "video_unavailable")
    settings.VIDEO_FFPROBE, settings.VIDEO_FFMPEG = "ffprobe", "no-such-ffmpeg"
    with pytest.raises(video.TranscodeError) as caught:
        video.transcode(clips("phone.mp4"), tmp_path)
    assert caught.value.code == "refused"  # the reading pass of the probe already needs ffmpeg
    assert os.listdir(tmp_path) == []


def children_named(*names):
    mine, found = str(os.getpid()), []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/comm") as comm:
                if fields[1] == mine and comm.read().strip() in names:
                    found.append(pid)
        except OSError:
            continue
    return found


def test_the_parent_kills_a_child_at_its_deadline_and_the_child_has_its_ceilings():
    """The wall clock is the parent's (the child's own alarm comes 2 s later, for a parent gone);
    the ceilings are set in the child before it runs; the portal's environment stays behind."""
    started = time.monotonic()
    finished = process.run(["sleep", "10"], seconds=0.3, memory_mb=64, cpu_seconds=5, max_file_bytes=1024)
    assert finished.ended == "time" and time.monotonic() - started < 1.5
    script = "ulimit -v; ulimit -t; ulimit -f; ulimit -c; env"
    finished = process.run(["sh", "-c", script], seconds=10, memory_mb=64, cpu_seconds=5, max_file_bytes=1024 * 1024)
    lines = finished.stdout.decode().split()
    assert lines[:4] == [str(64 * 1024), "5", str(1024 * 1024 // 512), "0"]
    assert "SECRET_KEY" not in finished.stdout.decode() and "MALLOC_ARENA_MAX=2" in lines


def test_a_conversion_past_its_time_limit_stops_and_leaves_nothing(clips, settings, tmp_path):
    settings.VIDEO_TRANSCODE_SECONDS = 0.4  # 8 s of 720p take several seconds here
    started = time.monotonic()
    with pytest.raises(video.TranscodeError) as caught:
        video.transcode(clips("long.mp4"), tmp_path)
    assert caught.value.code == "time"
    assert "时间限制" in caught.value.message
    assert time.monotonic() - started < HANG_GUARD
    assert os.listdir(tmp_path) == []  # no output, no poster, no working folder
    assert children_named("ffmpeg", "ffprobe") == []


def test_a_conversion_past_its_memory_limit_stops_and_leaves_nothing(clips, settings, tmp_path):
    settings.VIDEO_TRANSCODE_MEMORY_MB = 200  # ffmpeg's libraries alone map more
    with pytest.raises(video.TranscodeError) as caught:
        video.transcode(clips("phone.mp4"), tmp_path)
    assert caught.value.code == "memory"
    assert os.listdir(tmp_path) == []


def test_transcode_refuses_what_probe_refuses(tmp_path):
    source = tmp_path / "playlist.mp4"
    source.write_text("#EXTM3U\nfile:/etc/passwd\n")
    dest = tmp_path / "out"
    dest.mkdir()
    with pytest.raises(video.TranscodeError) as caught:
        video.transcode(source, dest)
    assert caught.value.code == "refused"
    assert os.listdir(dest) == []
