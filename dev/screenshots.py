"""Screenshots of the real screens for the Apps page and the README (make screenshots).

Logs into a running Odoo (make run) through JSON-RPC, then drives Debian's headless Chromium over the
DevTools protocol: the session cookie is set, each page is opened and captured once it has rendered.
Usage: python dev/screenshots.py BASE_URL DB OUT_DIR [--lang LANG] name=path[|click-selector] ...
A path may name a record by XML id in braces (/odoo/contacts/{module.xml_id}); the optional selectors
(separated by |) are clicked in turn once the page has rendered (a tab, a menu then its item, say);
"selector>>text" clicks the first element of the selector whose text contains the text, and
"selector>>English||Türkçe" the first containing any of them (a label in each language). The picture is cut
below the content: no empty screen under a list.
--lang: the language is activated if needed (with the addon's translations) and set on admin for the
captures, then admin's own language is put back.
"""

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

import requests
import websocket


def login(base, db):
    session = requests.Session()
    reply = session.post(f"{base}/web/session/authenticate", json={
        "jsonrpc": "2.0", "params": {"db": db, "login": "admin", "password": "admin"}}, timeout=60)
    reply.raise_for_status()
    if reply.json().get("error"):
        raise SystemExit(f"login failed: {reply.json()['error']}")
    return session.cookies["session_id"]


def resolve_xmlids(base, session_id, path):
    """/odoo/contacts/{module.name} -> /odoo/contacts/42, read through JSON-RPC as the logged-in admin."""
    def res_id(match):
        module, name = match.group(1).split(".", 1)
        reply = requests.post(f"{base}/web/dataset/call_kw", cookies={"session_id": session_id}, timeout=60, json={
            "jsonrpc": "2.0", "params": {
                "model": "ir.model.data", "method": "search_read",
                "args": [[("module", "=", module), ("name", "=", name)]],
                "kwargs": {"fields": ["res_id"], "limit": 1}}}).json()
        if not reply.get("result"):
            raise SystemExit(f"unknown XML id {match.group(1)}: {reply.get('error')}")
        return str(reply["result"][0]["res_id"])
    return re.sub(r"\{([\w.]+)\}", res_id, path)


# The lowest edge of what the view shows (records, sheet, chart), in CSS pixels.
CONTENT_BOTTOM = """(() => {
    const parts = document.querySelectorAll(
        '.o_control_panel, .o_form_sheet, .o_form_view .o-mail-Chatter-top, .o_kanban_record, .o_list_table,'
        + ' .o_graph_renderer canvas, .o_pivot table, .o_action_manager .o_view_nocontent, .modal-content');
    let bottom = 0;
    for (const part of parts) { bottom = Math.max(bottom, part.getBoundingClientRect().bottom); }
    return Math.ceil(bottom);
})()"""


READY = ("!!document.querySelector('.o_action_manager .o_view_controller, .o_relationship_overview canvas')"
         " && !document.querySelector('.o_loading_indicator, .o-main-components-container .o_loading')")


def find_expression(click):
    """JavaScript finding "selector", or with "selector>>text||other" the first such element containing one of
    the texts (the same label in each language)."""
    selector, _sep, text = click.partition(">>")
    texts = json.dumps(text.split("||"))
    return (f"[...document.querySelectorAll({json.dumps(selector)})]"
            f".find(element => {texts}.some(text => element.textContent.includes(text)))")


def click_expression(click):
    return f"{find_expression(click)}.click()"


def call_kw(base, session_id, model, method, args, kwargs=None):
    reply = requests.post(f"{base}/web/dataset/call_kw", cookies={"session_id": session_id}, timeout=600, json={
        "jsonrpc": "2.0", "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}}}).json()
    if "error" in reply:
        raise SystemExit(f"{model}.{method}: {reply['error']['data']['message']}")
    return reply["result"]


def use_language(base, session_id, lang):
    """Activate lang (Odoo's language wizard loads every module's terms) and set it on admin; returns admin's
    previous language."""
    found = call_kw(base, session_id, "res.lang", "search_read", [[("code", "=", lang)]],
                    {"fields": ["active"], "context": {"active_test": False}})
    if not found:
        raise SystemExit(f"unknown language {lang}")
    if not found[0]["active"]:
        wizard = call_kw(base, session_id, "base.language.install", "create",
                         [{"lang_ids": [[6, 0, [found[0]["id"]]]]}])
        call_kw(base, session_id, "base.language.install", "lang_install", [[wizard]])
    admin = call_kw(base, session_id, "res.users", "search_read", [[("login", "=", "admin")]], {"fields": ["lang"]})[0]
    call_kw(base, session_id, "res.users", "write", [[admin["id"]], {"lang": lang}])
    return admin["id"], admin["lang"]


class Page:
    def __init__(self, ws_url):
        self.ws = websocket.create_connection(ws_url, timeout=60)
        self.next_id = 0

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def wait_for(self, expression, seconds=180):
        deadline = time.time() + seconds
        while time.time() < deadline:
            result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
            if result.get("result", {}).get("value"):
                return True
            time.sleep(0.5)
        return False


def main(base, db, out_dir, shots, lang=None):
    session_id = login(base, db)
    restore = use_language(base, session_id, lang) if lang else None
    try:
        capture(base, session_id, out_dir, shots)
    finally:
        if restore:
            call_kw(base, session_id, "res.users", "write", [[restore[0]], {"lang": restore[1]}])


def capture(base, session_id, out_dir, shots):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser:
        raise SystemExit("Chromium is missing: apt-get install chromium")
    # a free port: two captures at once (other clones) must not drive each other's browser
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    profile = tempfile.mkdtemp()
    proc = subprocess.Popen([
        browser, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--remote-debugging-port={port}", f"--user-data-dir={profile}", "--window-size=1440,900",
        "--hide-scrollbars", "about:blank"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(60):
            try:
                targets = requests.get(f"http://127.0.0.1:{port}/json", timeout=2).json()
                break
            except requests.RequestException:
                time.sleep(0.5)
        page = Page(next(t for t in targets if t["type"] == "page")["webSocketDebuggerUrl"])
        page.call("Page.enable")
        host = urllib.parse.urlparse(base).hostname
        page.call("Network.enable")
        page.call("Network.setCookie", name="session_id", value=session_id, domain=host, path="/")
        page.call("Emulation.setDeviceMetricsOverride", width=1440, height=900, deviceScaleFactor=1, mobile=False)
        for name, target_spec in shots:
            # "|" separates the clicks; "||" inside a click separates its labels in each language
            path, *clicks = re.split(r"(?<!\|)\|(?!\|)", target_spec)
            page.call("Page.navigate", url=base + resolve_xmlids(base, session_id, path))
            ready = page.wait_for(READY)
            time.sleep(2)  # charts and kanban counters settle
            for click in clicks:
                # a menu or a button may render after the view reports ready (the first load of a language is
                # slow): clicking before it exists captured the screen without its dialog
                if not page.wait_for(f"!!{find_expression(click)}", seconds=30):
                    print(f"{name}: nothing to click for {click!r}", file=sys.stderr)
                page.call("Runtime.evaluate", expression=click_expression(click))
                time.sleep(2)  # the click may open another action: wait for it to render too
                ready = page.wait_for(READY)
                time.sleep(3)
            bottom = page.call("Runtime.evaluate", expression=CONTENT_BOTTOM, returnByValue=True)["result"]["value"]
            height = max(480, min(900, bottom + 24))
            data = page.call("Page.captureScreenshot", format="png", clip={
                "x": 0, "y": 0, "width": 1440, "height": height, "scale": 1})["data"]
            target = os.path.join(out_dir, f"screenshot_{name}.png")
            with open(target, "wb") as handle:
                handle.write(base64.b64decode(data))
            print(f"{target}{'' if ready else ' (page did not report ready)'}")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    base_url, database, out, *rest = sys.argv[1:]
    language = None
    if rest[:1] == ["--lang"]:
        language, rest = rest[1], rest[2:]
    main(base_url, database, out, [arg.split("=", 1) for arg in rest], language)
