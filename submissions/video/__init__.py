"""Video in articles (issue 29, item 2): a clip uploaded by an editor on an entry, judged by its
content before anything is kept, converted in the worker to an MP4 that phones play with a poster,
and shown in the entry's article.

    services.accept(...)     the upload form's checked file kept as the original, its conversion queued
    tasks.convert(video_id)  in the worker: platform.video.transcode(), then the original deleted
    selectors.shown_in(article)   the converted videos an article's page shows
    serve.response(...)      the bytes of an MP4 or poster, with range requests (the media view)

A video's state (uploaded → processing → ready / failed) is the processing state of a file,
written here and by the task only; it is not a workflow step. Published articles' videos and
posters are linked on the public path with their photos (platform/public_media.py).
"""
