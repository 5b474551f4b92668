"""The load test's submitter: reads whatever submission form the page has (html.parser), fills
it as a person would (honeypot left empty, formset management forms kept, photos attached to
image inputs), and encodes the post as multipart/form-data."""

import io
import uuid
from html.parser import HTMLParser

PHOTOS_PER_ENTRY = 3


class FormReader(HTMLParser):
    """The fields of the first multipart POST form of a page."""

    def __init__(self):
        super().__init__()
        self.in_form = self.done = False
        self.fields, self.select, self.textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if (
            tag == "form"
            and not self.done
            and attrs.get("method", "").lower() == "post"
            and "multipart" in attrs.get("enctype", "")
        ):
            self.in_form = True
        if not self.in_form:
            return
        if tag == "input" and attrs.get("name"):
            self.fields.append({"tag": "input", **attrs})
        elif tag == "textarea" and attrs.get("name"):
            self.textarea = {"tag": "textarea", "value": "", **attrs}
            self.fields.append(self.textarea)
        elif tag == "select" and attrs.get("name"):
            self.select = {"tag": "select", "options": [], **attrs}
            self.fields.append(self.select)
        elif tag == "option" and self.select is not None and attrs.get("value"):
            self.select["options"].append(attrs["value"])

    def handle_endtag(self, tag):
        if tag == "form" and self.in_form:
            self.in_form, self.done = False, True
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["value"] += data


def fill(fields, index, marker, photos):
    """(form values, files) for one submitter: plausible values, honeypot left empty."""
    values, files, radios = [], [], set()
    for field in fields:
        name, kind = field["name"], field.get("type", "text").lower()
        limit = int(field.get("maxlength") or 200)
        if "portal-trap" in field.get("class", "") or name == "website":
            values.append((name, ""))
        elif kind == "hidden":
            values.append((name, field.get("value", "")))
        elif kind == "file":
            if "image" in field.get("accept", "") or any(word in name for word in ("photo", "image")):
                wanted = PHOTOS_PER_ENTRY - len(files) if "multiple" in field else min(1, PHOTOS_PER_ENTRY - len(files))
                files += [
                    (name, f"photo{len(files) + n}.jpg", photos[(index + len(files) + n) % len(photos)])
                    for n in range(max(0, wanted))
                ]
        elif kind == "checkbox":
            if not name.endswith("-DELETE"):
                values.append((name, field.get("value") or "on"))
        elif kind == "radio":
            if name not in radios:
                radios.add(name)
                values.append((name, field.get("value", "")))
        elif field["tag"] == "select":
            if field["options"]:
                values.append((name, field["options"][0]))
        elif kind in ("submit", "button", "reset"):
            continue
        elif kind == "email" or "email" in name:
            values.append((name, f"load{index}@example.com"))
        elif kind == "tel" or "phone" in name:
            values.append((name, f"139{index:08d}"))
        elif kind == "number":
            values.append((name, "1"))
        elif kind == "url":
            values.append((name, "https://example.com/"))
        elif "org_name" in name:
            values.append((name, f"{marker}第{index}党支部"[:limit]))
        elif "brand_name" in name:
            values.append((name, f"负载{index}"[:limit]))
        else:
            values.append((name, ("党建引领发展，服务群众零距离。" * 20)[: max(1, min(limit, 200))]))
    return values, files


def multipart(values, files):
    boundary = uuid.uuid4().hex
    body = io.BytesIO()
    for name, value in values:
        body.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    for name, filename, data in files:
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        )
        body.write(data + b"\r\n")
    body.write(f"--{boundary}--\r\n".encode())
    return body.getvalue(), f"multipart/form-data; boundary={boundary}"
