"""deploy/nginx.conf as a test or a benchmark runs it: Debian's nginx, the shipped server block
with plain HTTP on a loopback port, the upstream, cache and media folders swapped for the run's.
Used by tests/project/test_deploy_nginx.py and bench/nginx_run.py."""

import re
import shutil
import subprocess
import time
import urllib.error
import urllib.request

from bench.common import ROOT

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def site_config(folder, *, nginx_port, upstream_port, media):
    """deploy/nginx.conf as a test runs it: plain HTTP on a free port, the test's folders."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    text = re.sub(r"server \{\s*listen 80;.*?\n\}\n", "", text, count=1, flags=re.S)  # the HTTPS redirect
    text = text.replace("listen 443 ssl;", f"listen 127.0.0.1:{nginx_port};").replace("http2 on;", "")
    text = re.sub(r"^\s*ssl_certificate(_key)?\s.*$", "", text, flags=re.M)
    text = text.replace("server 127.0.0.1:8000", f"server 127.0.0.1:{upstream_port}")
    text = text.replace("/var/cache/nginx/portal", str(folder / "cache")).replace("/srv/portal/media/", f"{media}/")
    text = text.replace("/srv/portal/media-public/", f"{media}-public/")
    text = text.replace("/srv/portal/staticfiles/", f"{ROOT / 'staticfiles'}/")
    assert "listen 443" not in text and f"{upstream_port}" in text
    main = f"""
user root;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    {text}
}}
"""
    path = folder / "nginx.conf"
    path.write_text(main)
    return path


class Nginx:
    def __init__(self, folder, **ports):
        self.folder = folder
        self.port = ports["nginx_port"]
        self.url = f"http://127.0.0.1:{self.port}"
        config = site_config(folder, **ports)
        subprocess.run([NGINX, "-t", "-q", "-c", str(config), "-p", str(folder)], check=True)
        self.process = subprocess.Popen([NGINX, "-c", str(config), "-p", str(folder), "-g", "daemon off;"])

    def wait(self):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.url + "/robots.txt", timeout=5)
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not start:\n" + (self.folder / "error.log").read_text()[-2000:])

    def get(self, path, cookies=None):
        request = urllib.request.Request(
            self.url + path, headers={"Host": "localhost", **({"Cookie": cookies} if cookies else {})}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)
